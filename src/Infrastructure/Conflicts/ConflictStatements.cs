using CoSell.Application.Conflicts;
using CoSell.Domain.Conflicts;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Conflicts;

public sealed class ConflictStatements(CoSellDbContext db) : IConflictStatements
{
    public void Add(ConflictStatement statement) => db.Add(statement);

    public async Task<IReadOnlyList<ConflictStatement>> ListAsync(ChannelConflict conflict, IReadOnlySet<Guid>? forClaims, CancellationToken cancellationToken)
    {
        if (conflict.LastStatementId is not { } last)
        {
            return [];
        }

        var query = db.Set<ConflictStatement>().AsNoTracking().Where(s => s.ConflictId == conflict.Id);
        if (forClaims is not null)
        {
            var claims = forClaims.ToList();
            query = query.Where(s => claims.Contains(s.ClaimId));
        }

        // Keys sort as made (ChannelConflict.After; a GUID compares as its hexadecimal form reads): one past the case's
        // last was added by a version after the one read. Sorted here, not by the store, whose sorter would copy every
        // row, megabytes at a case's limits, where the statements come in their key's order only by chance.
        var stored = (await query.ToListAsync(cancellationToken))
            .Where(s => s.Id.CompareTo(last) <= 0)
            .OrderBy(s => s.Id)
            .ToList();
        stored.AddRange(db.ChangeTracker.Entries<ConflictStatement>()
            .Where(e => e.State == EntityState.Added && e.Entity.ConflictId == conflict.Id && (forClaims is null || forClaims.Contains(e.Entity.ClaimId)))
            .Select(e => e.Entity));
        return stored;
    }
}
