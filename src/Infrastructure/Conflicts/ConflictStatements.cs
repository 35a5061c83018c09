using CoSell.Application.Conflicts;
using CoSell.Domain.Conflicts;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Conflicts;

public sealed class ConflictStatements(CoSellDbContext db) : IConflictStatements
{
    public void Add(ConflictStatement statement) => db.Add(statement);

    public async Task<IReadOnlyList<ConflictStatement>> ListAsync(Guid conflictId, IReadOnlySet<Guid>? forClaims, CancellationToken cancellationToken)
    {
        var query = db.Set<ConflictStatement>().AsNoTracking().Where(s => s.ConflictId == conflictId);
        if (forClaims is not null)
        {
            var claims = forClaims.ToList();
            query = query.Where(s => claims.Contains(s.ClaimId));
        }

        var stored = await query.OrderBy(s => s.Id).ToListAsync(cancellationToken);
        // A statement this unit of work adds is keyed after every stored one (ChannelConflict.LastStatementId).
        stored.AddRange(db.ChangeTracker.Entries<ConflictStatement>()
            .Where(e => e.State == EntityState.Added && e.Entity.ConflictId == conflictId && (forClaims is null || forClaims.Contains(e.Entity.ClaimId)))
            .Select(e => e.Entity)
            .OrderBy(s => s.Id.ToString("N"), StringComparer.Ordinal));
        return stored;
    }
}
