using CoSell.Application.Conflicts;
using CoSell.Domain.Conflicts;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Conflicts;

public sealed class OpenConflictFinder(CoSellDbContext db) : IOpenConflictFinder
{
    public async Task<Guid?> FindBindingAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken)
    {
        var ids = claimIds.ToList();
        return await db.Conflicts.AsNoTracking()
            .Where(c => c.Status == ConflictStatus.Open)
            .SelectMany(c => c.Claims.Where(claim => ids.Contains(claim.ClaimId)), (c, _) => (Guid?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<Guid>> BoundAmongAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken)
    {
        var ids = claimIds.ToList();
        return (await db.Conflicts.AsNoTracking()
            .Where(c => c.Status == ConflictStatus.Open)
            .SelectMany(c => c.Claims.Where(claim => ids.Contains(claim.ClaimId)), (_, claim) => claim.ClaimId)
            .ToListAsync(cancellationToken)).ToHashSet();
    }

    public async Task<IReadOnlyList<Guid>> FindAllBindingAsync(Guid claimId, CancellationToken cancellationToken) =>
        await db.Conflicts.AsNoTracking()
            .Where(c => c.Claims.Any(claim => claim.ClaimId == claimId))
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
}
