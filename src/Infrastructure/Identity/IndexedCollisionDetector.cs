using CoSell.Application.Conflicts;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Infrastructure.Identity;

/// <summary>
/// Judges a customer against the in-memory claims index with the explainable matcher, under the
/// thresholds of the active rules of engagement. A claim whose window has ended weighs less, unless an open conflict
/// case holds it: the index knows windows, not cases, so when a lapsed claim would matter the cases are asked which
/// of those they hold, and the check runs again with them (rare: the expiry service expires the others within its
/// interval).
/// </summary>
public sealed class IndexedCollisionDetector(CustomerMatcher matcher, ClaimsIndex index, CustomerNormaliser normaliser, IActiveRules rules, IOpenConflictFinder cases, TimeProvider time)
    : IClaimCollisionDetector
{
    public async Task<DuplicateAssessment> AssessAsync(DuplicateQuery query, CancellationToken cancellationToken)
    {
        var thresholds = MatchThresholds.From(await rules.GetAsync(cancellationToken));
        var match = new MatchQuery(normaliser.Normalise(query.Customer), query.ProductLines.ToList(), time.GetUtcNow())
        {
            ExcludeClaimId = query.ExcludeClaimId,
            ExcludePartnerId = query.ExcludePartnerId,
            OwnPartnerId = query.OwnPartnerId,
            Departed = query.Departed,
            CustomerOnly = query.CustomerOnly,
        };
        var result = matcher.Match(match, thresholds);
        if (result.Lapsed.Count > 0 && await cases.BoundAmongAsync(result.Lapsed, cancellationToken) is { Count: > 0 } held)
        {
            result = matcher.Match(match with { Held = held }, thresholds);
        }

        return result.ToAssessment() with
        {
            Matches = result.Matches
                .Select(m => new ClaimReference(m.ClaimId, m.Kind, m.PartnerId, index.Find(m.ClaimId)?.ClaimedAt ?? time.GetUtcNow(), m.Score, m.Reasons))
                .ToList(),
        };
    }
}
