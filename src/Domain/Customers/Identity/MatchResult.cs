using CoSell.Domain.Registrations;
using CoSell.Domain.Rules;

namespace CoSell.Domain.Customers.Identity;

/// <summary>A customer to check against the live claims, with the product lines of the deal and the time of the check.</summary>
public sealed record MatchQuery(NormalisedCustomer Customer, IReadOnlyCollection<string> ProductLines, DateTimeOffset At)
{
    /// <summary>A claim to leave out, typically the registration being checked itself.</summary>
    public Guid? ExcludeClaimId { get; init; }

    /// <summary>Leaves out every claim of this partner (its own earlier registrations).</summary>
    public Guid? ExcludePartnerId { get; init; }

    /// <summary>
    /// The partner whose deal is checked, whose own claims are weighed but make no channel conflict: past the strongest
    /// matches the answer still names every likely match of another party, so that the partner's own repeats cannot
    /// crowd out a claim its deal collides with.
    /// </summary>
    public Guid? OwnPartnerId { get; init; }

    /// <summary>
    /// Claims an open conflict case holds: their protection lasts until the case's decision, so one past its window's
    /// end weighs in full. The index knows windows, not cases; see <see cref="MatchResult.Lapsed"/>.
    /// </summary>
    public IReadOnlySet<Guid> Held { get; init; } = new HashSet<Guid>();

    /// <summary>
    /// Claims the index still files that the store no longer holds live: left out. A claim's exit (a withdrawal, a deal
    /// closed) reaches the index once its command has finished, which a check that read the index first may not wait for.
    /// </summary>
    public IReadOnlySet<Guid> Departed { get; init; } = new HashSet<Guid>();

    /// <summary>
    /// Weighs who the customer is and nothing of the claims' deals: neither product lines in common nor a claim's protection
    /// or age moves a score. A partner's check is weighed so, as its verdict must not tell a rival claim's product lines,
    /// status or dates to a partner that asks again with other ones.
    /// </summary>
    public bool CustomerOnly { get; init; }
}

/// <summary>
/// The scores from which a match is <c>likely</c> or <c>possible</c>, and the look-back within which a
/// direct opportunity still counts as an engagement. The rules of engagement hold all three.
/// </summary>
public sealed record MatchThresholds
{
    public static readonly MatchThresholds Default = new(0.85, 0.6);

    public MatchThresholds(double likely, double possible)
    {
        if (possible is <= 0 or >= 1 || likely <= possible || likely > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(likely), "Thresholds need 0 < possible < likely ≤ 1.");
        }

        Likely = likely;
        Possible = possible;
    }

    public double Likely { get; }

    public double Possible { get; }

    public TimeSpan DirectLookBack { get; init; } = TimeSpan.FromDays(60);

    public static MatchThresholds From(RulesOfEngagement rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new MatchThresholds(rules.LikelyDuplicateThreshold, rules.PossibleDuplicateThreshold)
        {
            DirectLookBack = TimeSpan.FromDays(rules.DirectLookbackDays),
        };
    }

    public DuplicateVerdict VerdictFor(double score) =>
        score >= Likely ? DuplicateVerdict.Likely : score >= Possible ? DuplicateVerdict.Possible : DuplicateVerdict.Clear;
}

/// <summary>One claim that matches the customer, with the reasons in words a channel manager reads.</summary>
public sealed record ClaimMatch(Guid ClaimId, ClaimKind Kind, Guid? PartnerId, double Score, IReadOnlyList<string> Reasons);

/// <summary>The outcome of a duplicate check: the verdict of the best match, its score, and the matches from <c>possible</c> up, best first.</summary>
public sealed record MatchResult(DuplicateVerdict Verdict, double Score, IReadOnlyList<ClaimMatch> Matches)
{
    public static readonly MatchResult Clear = new(DuplicateVerdict.Clear, 0, []);

    /// <summary>
    /// Claims whose protection had ended (and that the query's <see cref="MatchQuery.Held"/> did not name), which would
    /// have matched, or matched more, had it not. When an open case holds any of them, the check is asked again with
    /// those in <see cref="MatchQuery.Held"/>.
    /// </summary>
    public IReadOnlyList<Guid> Lapsed { get; init; } = [];

    /// <summary>The assessment a registration records: the verdict and score, with the best match's reasons.</summary>
    public DuplicateAssessment ToAssessment() =>
        Matches.Count == 0 ? new DuplicateAssessment(Verdict, Score, []) : new DuplicateAssessment(Verdict, Score, Matches[0].Reasons);
}
