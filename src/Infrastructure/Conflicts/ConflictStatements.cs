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

        // Keys sort as made (ChannelConflict.After): one past the case's last was added by a version after the one read.
        var upTo = last.ToString("N");
        var stored = (await query.OrderBy(s => s.Id).ToListAsync(cancellationToken))
            .Where(s => string.CompareOrdinal(s.Id.ToString("N"), upTo) <= 0)
            .ToList();
        stored.AddRange(db.ChangeTracker.Entries<ConflictStatement>()
            .Where(e => e.State == EntityState.Added && e.Entity.ConflictId == conflict.Id && (forClaims is null || forClaims.Contains(e.Entity.ClaimId)))
            .Select(e => e.Entity));
        return stored;
    }
}
