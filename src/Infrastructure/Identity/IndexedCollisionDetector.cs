using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Infrastructure.Identity;

/// <summary>
/// Judges a customer against the in-memory claims index with the explainable matcher, under the
/// thresholds of the active rules of engagement.
/// </summary>
public sealed class IndexedCollisionDetector(CustomerMatcher matcher, ClaimsIndex index, CustomerNormaliser normaliser, IActiveRules rules, TimeProvider time)
    : IClaimCollisionDetector
{
    public async Task<DuplicateAssessment> AssessAsync(DuplicateQuery query, CancellationToken cancellationToken)
    {
        var thresholds = MatchThresholds.From(await rules.GetAsync(cancellationToken));
        var result = matcher.Match(
            new MatchQuery(normaliser.Normalise(query.Customer), query.ProductLines.ToList(), time.GetUtcNow())
            {
                ExcludeClaimId = query.ExcludeClaimId,
                ExcludePartnerId = query.ExcludePartnerId,
            },
            thresholds);
        return result.ToAssessment() with
        {
            Matches = result.Matches
                .Select(m => new ClaimReference(m.ClaimId, m.Kind, m.PartnerId, index.Find(m.ClaimId)?.ClaimedAt ?? time.GetUtcNow(), m.Score, m.Reasons))
                .ToList(),
        };
    }
}
