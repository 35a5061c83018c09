using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Registrations;

/// <summary>
/// A registration collides when another live claim has the same registrable domain or the same DUNS.
/// The interim rule until the customer-identity engine judges names, products and time as well.
/// </summary>
public sealed class ExactMatchCollisionDetector(CoSellDbContext db) : IClaimCollisionDetector
{
    public async Task<DuplicateAssessment> AssessAsync(DealRegistration candidate, CancellationToken cancellationToken)
    {
        var domain = candidate.Customer.Domain?.Registrable;
        var duns = candidate.Customer.Duns;
        if (domain is null && duns is null)
        {
            return DuplicateAssessment.Clear;
        }

        var live = RegistrationLifecycle.ActiveClaim.ToList();
        var matches = await db.Registrations.AsNoTracking()
            .Where(r => r.Id != candidate.Id && live.Contains(r.Status))
            .Where(r => (domain != null && r.Customer.Domain!.Registrable == domain) || (duns != null && r.Customer.Duns == duns))
            .Select(r => new { r.Id, r.PartnerId, r.SubmittedAt, r.CreatedAt, r.Customer.Domain!.Registrable, r.Customer.Duns })
            .Take(5)
            .ToListAsync(cancellationToken);
        if (matches.Count == 0)
        {
            return DuplicateAssessment.Clear;
        }

        var reasons = new List<string>();
        if (domain is not null && matches.Any(m => m.Registrable == domain))
        {
            reasons.Add($"same registrable domain {domain}");
        }

        if (duns is not null && matches.Any(m => m.Duns == duns))
        {
            reasons.Add($"same DUNS {duns}");
        }

        return new DuplicateAssessment(DuplicateVerdict.Likely, 1.0, reasons)
        {
            Matches = matches.Select(m => new ClaimReference(m.Id, ClaimKind.Registration, m.PartnerId, m.SubmittedAt ?? m.CreatedAt, 1.0,
                [m.Registrable == domain && domain is not null ? $"same registrable domain {domain}" : $"same DUNS {duns}"])).ToList(),
        };
    }
}
