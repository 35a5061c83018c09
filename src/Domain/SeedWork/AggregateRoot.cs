namespace CoSell.Domain.SeedWork;

/// <summary>Something that happened inside an aggregate: an audit row in the same transaction, published after commit.</summary>
public interface IDomainEvent
{
    /// <summary>A stable dotted name, e.g. <c>registration.approved</c>.</summary>
    string Type { get; }

    /// <summary>What happened, in words a person reads on a timeline.</summary>
    string Summary { get; }

    /// <summary>The user id who caused it, or <see cref="Actors.System"/>.</summary>
    string Actor { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>Who may read the event on the aggregate's timeline and receive it live; everyone who may see the aggregate unless the event says otherwise.</summary>
    EventAudience Audience => EventAudience.Everyone;
}

public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public Guid Id { get; protected set; }

    /// <summary>
    /// Optimistic concurrency token and ETag. Every change raises an event, and the first event of a
    /// unit of work moves the version on; persistence checks the version it loaded when it writes.
    /// </summary>
    public long Version { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent)
    {
        if (_domainEvents.Count == 0)
        {
            Version++;
        }

        _domainEvents.Add(domainEvent);
    }

    /// <summary>
    /// Writes this unit of work's events of one kind again, before any is committed: an event that carries the state at
    /// its version says what the unit of work leaves, as every event of it carries the one version it leaves.
    /// </summary>
    protected void RestampPending<TEvent>(Func<TEvent, TEvent> restamp)
        where TEvent : IDomainEvent
    {
        for (var i = 0; i < _domainEvents.Count; i++)
        {
            if (_domainEvents[i] is TEvent pending)
            {
                _domainEvents[i] = restamp(pending);
            }
        }
    }

    /// <summary>Called once the events are committed and published.</summary>
    public void ClearDomainEvents() => _domainEvents.Clear();
}
