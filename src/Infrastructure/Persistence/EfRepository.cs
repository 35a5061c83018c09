using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure.Persistence.CompiledModel;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Persistence;

public sealed class EfRepository<T>(CoSellDbContext db, InTransactionWork inTransaction) : IRepository<T>
    where T : AggregateRoot
{
    private readonly SpecificationEvaluator _evaluator = SpecificationEvaluator.Default;

    /// <summary>
    /// Whether the aggregate owns more than one collection (a conflict case's claims and log). Joined in one statement
    /// their rows multiply (claims × entries), so they are read one statement each, in one snapshot so that they agree.
    /// </summary>
    private static readonly bool Splits =
        CoSellDbContextModel.Instance.FindEntityType(typeof(T))?.GetNavigations().Count(n => n.IsCollection && n.ForeignKey.IsOwnership) > 1;

    // Compiled once per aggregate type: a lookup by id skips building, parameterising and caching a query each time.
    private static readonly Func<CoSellDbContext, Guid, CancellationToken, Task<T?>> ById = Splits
        ? EF.CompileAsyncQuery((CoSellDbContext context, Guid id, CancellationToken ct) => context.Set<T>().AsSplitQuery().FirstOrDefault(e => e.Id == id))
        : EF.CompileAsyncQuery((CoSellDbContext context, Guid id, CancellationToken ct) => context.Set<T>().FirstOrDefault(e => e.Id == id));

    /// <summary>Like <c>Find</c>: the tracked instance when there is one, otherwise a query.</summary>
    public async Task<T?> GetByIdAsync(Guid id, CancellationToken cancellationToken) =>
        Tracked(id) ?? await InOneSnapshot(() => ById(db, id, cancellationToken), cancellationToken);

    private IQueryable<T> Set() => Splits ? db.Set<T>().AsSplitQuery() : db.Set<T>();

    private async Task<TResult> InOneSnapshot<TResult>(Func<Task<TResult>> read, CancellationToken cancellationToken)
    {
        if (!Splits)
        {
            return await read();
        }

        await using var snapshot = await new SqliteReadSnapshot(db).BeginAsync(cancellationToken);
        return await read();
    }

    /// <summary>
    /// The instance the context tracks under the id, if any. A request tracks a handful of entities, so reading the
    /// entries is cheaper than the <c>Local</c> view, which a pooled context builds afresh for each request.
    /// Changes need not be detected for this, so they are not.
    /// </summary>
    private T? Tracked(Guid id)
    {
        using var reading = db.ChangeTracker.Pause();
        foreach (var entry in db.ChangeTracker.Entries<T>())
        {
            if (entry.Entity.Id == id)
            {
                return entry.Entity;
            }
        }

        return null;
    }

    public Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        InOneSnapshot(() => _evaluator.GetQuery(Set(), specification).FirstOrDefaultAsync(cancellationToken), cancellationToken);

    public Task<TResult?> FirstOrDefaultAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken) =>
        InOneSnapshot(() => _evaluator.GetQuery(Set(), specification).FirstOrDefaultAsync(cancellationToken), cancellationToken);

    public Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        InOneSnapshot(() => _evaluator.GetQuery(Set(), specification).ToListAsync(cancellationToken), cancellationToken);

    public Task<List<TResult>> ListAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken) =>
        InOneSnapshot(() => _evaluator.GetQuery(Set(), specification).ToListAsync(cancellationToken), cancellationToken);

    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        _evaluator.GetQuery(db.Set<T>(), specification, evaluateCriteriaOnly: true).CountAsync(cancellationToken);

    public Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        _evaluator.GetQuery(db.Set<T>(), specification, evaluateCriteriaOnly: true).AnyAsync(cancellationToken);

    public void Add(T aggregate) => db.Set<T>().Add(aggregate);

    /// <summary>
    /// Marks the version as written without changing it: the commit's UPDATE then matches the row only at the version
    /// read, as for any change (the version is the concurrency token), and the single writer makes check and commit one step.
    /// </summary>
    public void RequireUnchanged(T aggregate, bool moveVersionOn = false)
    {
        var entry = db.Entry(aggregate);
        switch (entry.State)
        {
            case EntityState.Unchanged:
                var version = entry.Property(a => a.Version);
                version.IsModified = true;
                if (moveVersionOn)
                {
                    // Still matched at the version read (the original value), and written one on.
                    version.CurrentValue = version.OriginalValue + 1;
                }

                break;
            case EntityState.Detached:
                // Read without tracking: the commit could not check it, and a guard that silently checks nothing is worse than none.
                throw new InvalidOperationException($"{typeof(T).Name} {aggregate.Id} was read without tracking; read it through the repository to depend on it.");
            default:
                // Added or already changed: its own write checks its version.
                break;
        }
    }

    /// <summary>Asks the store again inside the commit's transaction, where no other commit can come between.</summary>
    public void RequireNoneAdded(ISpecification<T> specification, IReadOnlyCollection<T> read)
    {
        var known = read.Select(a => a.Id).ToHashSet();
        inTransaction.Add(async (_, _, cancellationToken) =>
        {
            var matched = await _evaluator.GetQuery(db.Set<T>().AsNoTracking(), specification, evaluateCriteriaOnly: true).Select(a => a.Id).ToListAsync(cancellationToken);
            if (matched.Exists(id => !known.Contains(id)))
            {
                throw new ConcurrentChangeException("conflict.concurrent_change", "Something this change covers was added at the same moment; read it again and retry.");
            }
        });
    }
}
