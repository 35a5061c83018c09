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
}

/// <summary>Commits every change of one command in one transaction, writes its audit rows, then publishes its events.</summary>
public interface IUnitOfWork
{
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>One row of an aggregate's audit trail.</summary>
public sealed record TimelineEntry(long Sequence, DateTimeOffset OccurredAt, string Type, string Actor, string Summary);

/// <summary>Reads the append-only audit trail.</summary>
public interface IAuditTrail
{
    Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>The aggregate kinds the audit trail names.</summary>
public static class AuditAggregates
{
    public const string Registration = "registration";
    public const string Partner = "partner";
    public const string Rules = "rules";
    public const string User = "user";
    public const string Conflict = "conflict";
    public const string Partnership = "partnership";
    public const string AccountList = "account_list";
}
