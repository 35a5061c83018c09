using System.Globalization;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Conflicts;

/// <summary>The rule that fired on a case, what it recommends, and why — never naming a party.</summary>
public sealed record ConflictRecommendation(string Rule, Guid RecommendedClaimId, string Explanation, string Wording);

/// <summary>
/// The rules of engagement for conflicts: the vendor's direct engagement inside the look-back wins over a
/// later partner registration (unless the arbiter records that the partner brought the customer newly);
/// otherwise the first valid claim wins; a higher tier never overrides an earlier valid claim.
/// </summary>
public static class ConflictRules
{
    public const string DirectEngagement = "direct_engagement";
    public const string FirstToRegister = "first_to_register";

    /// <summary>
    /// What the rules recommend among the claims still in the case: a claim that left it (withdrawn, closed, expired) is
    /// recommended no more. With none left in it, among all of them, so that the case keeps a recommendation.
    /// </summary>
    public static ConflictRecommendation Recommend(IReadOnlyCollection<ConflictClaim> claims, int directLookbackDays, DateTimeOffset at)
    {
        if (claims.Any(c => !c.HasLeft))
        {
            claims = claims.Where(c => !c.HasLeft).ToList();
        }

        // The vendor's direct engagement counts as a claim within the look-back only: one older is no earlier claim
        // (weighed among the claims only when the case holds nothing else).
        var lookbackStart = at.AddDays(-directLookbackDays);
        var valid = claims.Where(c => c.Kind != ClaimKind.DirectOpportunity || c.ClaimedAt >= lookbackStart).ToList();
        var earliest = (valid.Count > 0 ? valid : claims).OrderBy(c => c.ClaimedAt).ThenBy(c => c.ClaimId).First();
        var direct = valid.Where(c => c.Kind == ClaimKind.DirectOpportunity).OrderBy(c => c.ClaimedAt).FirstOrDefault();
        var firstPartner = claims.Where(c => c.Kind == ClaimKind.Registration).OrderBy(c => c.ClaimedAt).FirstOrDefault();
        // Not after any partner registered it: engaged at the very instant a partner registered (two claims 100 ns apart at
        // most), the engagement still counts, so that the answer never turns on how two random ids sort.
        if (direct is not null && (firstPartner is null || direct.ClaimedAt <= firstPartner.ClaimedAt))
        {
            return new ConflictRecommendation(
                DirectEngagement,
                direct.ClaimId,
                $"The vendor's direct sales team engaged this customer on {Date(direct.ClaimedAt)}, within the {directLookbackDays}-day look-back and no later than any partner registration; direct engagement wins over a later registration unless the arbiter records that the partner brought the customer newly.",
                "The rules recommend the vendor's earlier direct engagement.");
        }

        if (valid.Count == 0)
        {
            // Only direct engagements older than the look-back are left: none is a valid claim, and the case still names one.
            return new ConflictRecommendation(
                FirstToRegister,
                earliest.ClaimId,
                $"No claim left in the case is valid: a direct engagement older than the {directLookbackDays}-day look-back is no earlier claim. Of those left, the earliest was made on {Date(earliest.ClaimedAt)}.",
                "The rules find no valid claim left; they name the earliest.");
        }

        return new ConflictRecommendation(
            FirstToRegister,
            earliest.ClaimId,
            $"First to register wins: the earliest valid claim was made on {Date(earliest.ClaimedAt)}; a higher partner tier does not override an earlier valid claim.",
            "The rules recommend the earliest valid claim.");
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
