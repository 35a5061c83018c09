using Ardalis.Specification;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.Abstractions;

/// <summary>Loads and adds aggregates of one kind; changes are committed by the unit of work, never here.</summary>
public interface IRepository<T>
    where T : AggregateRoot
{
    Task<T?> GetByIdAsync(Guid id, CancellationToken cancellationToken);

    Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<TResult?> FirstOrDefaultAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken);

    Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<List<TResult>> ListAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken);

    /// <summary>Counts with the filtering part of the specification only.</summary>
    Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    void Add(T aggregate);

    /// <summary>
    /// Makes the command's commit depend on <paramref name="aggregate"/> as it was read: when another command changed
    /// it meanwhile (a partner suspended while its registration was being approved), the commit fails with 409
    /// <c>{kind}.changed</c> and stores nothing. For decisions that rest on an aggregate the command does not change.
    /// With <paramref name="moveVersionOn"/> the aggregate's version also moves on, so that a command which read it
    /// before this one committed fails at its own commit: both orders of two such commands are caught, not one.
    /// </summary>
    void RequireUnchanged(T aggregate, bool moveVersionOn = false);

    /// <summary>
    /// Makes the command's commit depend on <paramref name="specification"/> (its criteria) matching no aggregate but
    /// those in <paramref name="read"/>: one another command added meanwhile (a partner's referral sent while the
    /// partner was being handed to another channel manager, after the hand-over read the partner's waiting referrals)
    /// fails the commit with 409 <c>conflict.concurrent_change</c>, and a command marked
    /// <see cref="IRetriedOnConcurrentChange"/> is decided again and finds it. An added row is no change of a row read,
    /// so no version can catch it: the store is asked again inside the commit.
    /// </summary>
    void RequireNoneAdded(ISpecification<T> specification, IReadOnlyCollection<T> read);
}

/// <summary>
/// A read of several statements that must agree with each other: from its first statement until it is disposed, the
/// command's reads see the store as it stood then, whatever commits meanwhile (an export streaming the rows behind an
/// overlap while a list is replaced). Writes go on beside it; the store keeps what it shows until it is disposed.
/// </summary>
public interface IReadSnapshot
{
    Task<IAsyncDisposable> BeginAsync(CancellationToken cancellationToken);
}

/// <summary>Commits every change of one command in one transaction, writes its audit rows, then publishes its events.</summary>
public interface IUnitOfWork
{
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Forgets everything the command read and changed, after a commit that failed, so it can be decided again.</summary>
    void Discard();
}

/// <summary>
/// One row of an aggregate's audit trail. <see cref="Sequence"/> orders the entries: the audit log's row number for
/// vendor readers, the entry's place in the partner's own view for partner readers.
/// </summary>
public sealed record TimelineEntry(long Sequence, DateTimeOffset OccurredAt, string Type, string Actor, string Summary);

/// <summary>An audit row for something that is not an aggregate's change (a duplicate check, a sign-in).</summary>
public sealed record AuditRecord(string AggregateType, Guid AggregateId, string Type, string Actor, DateTimeOffset OccurredAt, string Summary);

/// <summary>Reads the append-only audit trail, and appends rows the unit of work commits with the command.</summary>
public interface IAuditTrail
{
    Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, PageRequest page, CancellationToken cancellationToken);

    void Append(AuditRecord record);

    /// <summary>The rows a partner may read: those for everyone and those addressed to that partner; null reads every row (vendor).</summary>
    Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, Guid? partnerReader, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>The aggregate kinds the audit trail names.</summary>
public static class AuditAggregates
{
    public const string Registration = "registration";
    public const string Partner = "partner";
    public const string Rules = "rules";
    public const string User = "user";
    public const string Conflict = "conflict";
    public const string DuplicateCheck = "duplicate_check";
    public const string Opportunity = "opportunity";
    public const string Referral = "referral";
    public const string Partnership = "partnership";
    public const string AccountList = "account_list";
}
