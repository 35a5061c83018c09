using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Registrations;

/// <summary>
/// A registration collides when another live claim has the same registrable domain or the same DUNS: another
/// partner's registration, or an open direct opportunity the vendor opened within the rules' direct look-back.
/// The interim rule until the customer-identity engine judges names, products and time as well.
/// </summary>
public sealed class ExactMatchCollisionDetector(CoSellDbContext db, TimeProvider time) : IClaimCollisionDetector
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
            .Select(r => new { r.Customer.Domain!.Registrable, r.Customer.Duns })
            .Take(5)
            .ToListAsync(cancellationToken);

        var lookbackDays = await db.Rules.AsNoTracking().Where(r => r.IsActive).Select(r => (int?)r.DirectLookbackDays).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var since = time.GetUtcNow().AddDays(-lookbackDays);
        var open = OpportunityStages.Open.ToList();
        var direct = await db.Opportunities.AsNoTracking()
            .Where(o => o.Source.Kind == OpportunitySourceKind.Direct && open.Contains(o.Stage) && o.CreatedAt >= since)
            .Where(o => (domain != null && o.Customer.Domain!.Registrable == domain) || (duns != null && o.Customer.Duns == duns))
            .Select(o => new { o.Customer.Domain!.Registrable, o.Customer.Duns })
            .Take(5)
            .ToListAsync(cancellationToken);
        if (matches.Count == 0 && direct.Count == 0)
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

        if (domain is not null && direct.Any(m => m.Registrable == domain))
        {
            reasons.Add($"open direct opportunity with the same registrable domain {domain} (opened within {lookbackDays} days)");
        }

        if (duns is not null && direct.Any(m => m.Duns == duns))
        {
            reasons.Add($"open direct opportunity with the same DUNS {duns} (opened within {lookbackDays} days)");
        }

        return new DuplicateAssessment(DuplicateVerdict.Likely, 1.0, reasons);
    }
}
