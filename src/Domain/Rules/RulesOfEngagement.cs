using System.Globalization;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Rules;

/// <summary>What one partner tier gets under a rules version; its thresholds in one written form each, as amounts are.</summary>
public sealed record TierPolicy(
    PartnerTier Tier,
    int ProtectionDays,
    int ExtensionDays,
    int MaximumExtensions,
    decimal MinimumDealValue,
    decimal AutoApproveCeiling,
    int ReviewSlaHours)
{
    public decimal MinimumDealValue { get; init; } = Money.OneWrittenForm(MinimumDealValue);

    public decimal AutoApproveCeiling { get; init; } = Money.OneWrittenForm(AutoApproveCeiling);
}

/// <summary>
/// One version of the programme's rules of engagement. Exactly one version is active; every
/// registration records the version it was judged under. Versions are never edited, only superseded.
/// </summary>
public sealed class RulesOfEngagement : AggregateRoot
{
    /// <summary>The longest a review, a conflict case or a referral's answer may be given: 30 days.</summary>
    public const int MaximumSlaHours = 720;

    private List<TierPolicy> _tiers = [];

    private RulesOfEngagement()
    {
        Currency = "USD";
        CreatedBy = string.Empty;
    }

    public int Number { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>The currency the tier thresholds are written in.</summary>
    public string Currency { get; private set; }

    public IReadOnlyList<TierPolicy> Tiers => _tiers;

    /// <summary>Score from which a duplicate check says <c>likely</c>.</summary>
    public double LikelyDuplicateThreshold { get; private set; }

    /// <summary>Score from which a duplicate check says <c>possible</c>.</summary>
    public double PossibleDuplicateThreshold { get; private set; }

    public int DirectLookbackDays { get; private set; }

    public int ConflictSlaHours { get; private set; }

    public int ReferralAcceptSlaHours { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static RulesOfEngagement Defaults(string actor, DateTimeOffset at) => Create(
        1,
        "USD",
        [
            new TierPolicy(PartnerTier.Registered, 60, 0, 0, 1_000m, 0m, 48),
            new TierPolicy(PartnerTier.Silver, 90, 30, 1, 1_000m, 25_000m, 48),
            new TierPolicy(PartnerTier.Gold, 120, 30, 2, 1_000m, 50_000m, 48),
            new TierPolicy(PartnerTier.Platinum, 180, 60, 2, 1_000m, 100_000m, 48),
        ],
        likelyDuplicateThreshold: 0.85,
        possibleDuplicateThreshold: 0.6,
        directLookbackDays: 60,
        conflictSlaHours: 72,
        referralAcceptSlaHours: 48,
        actor,
        at);

    public static RulesOfEngagement Create(
        int number,
        string currency,
        IReadOnlyCollection<TierPolicy> tiers,
        double likelyDuplicateThreshold,
        double possibleDuplicateThreshold,
        int directLookbackDays,
        int conflictSlaHours,
        int referralAcceptSlaHours,
        string actor,
        DateTimeOffset at)
    {
        var missing = Enum.GetValues<PartnerTier>().Where(t => tiers.Count(p => p.Tier == t) != 1).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException("rules.tiers_incomplete", "tiers", $"Each tier needs exactly one policy; check {string.Join(", ", missing.Select(Named))}.");
        }

        foreach (var p in tiers)
        {
            if (p.ProtectionDays is < 1 or > 730 || p.ExtensionDays is < 0 or > 365 || p.MaximumExtensions is < 0 or > 10 ||
                p.MinimumDealValue < 0 || p.AutoApproveCeiling < 0 || p.ReviewSlaHours is < 1 or > MaximumSlaHours)
            {
                throw new DomainValidationException("rules.tier_out_of_range", "tiers", $"The {Named(p.Tier)} policy has a value out of range.");
            }
        }

        if (possibleDuplicateThreshold is <= 0 or >= 1 || likelyDuplicateThreshold <= possibleDuplicateThreshold || likelyDuplicateThreshold > 1)
        {
            throw new DomainValidationException("rules.thresholds_invalid", "likelyDuplicateThreshold", "Thresholds need 0 < possible < likely ≤ 1.");
        }

        if (directLookbackDays is < 0 or > 730 || conflictSlaHours is < 1 or > MaximumSlaHours || referralAcceptSlaHours is < 1 or > MaximumSlaHours)
        {
            throw new DomainValidationException("rules.programme_out_of_range", "rules", "A programme-wide value is out of range.");
        }

        var rules = new RulesOfEngagement
        {
            Id = Guid.NewGuid(),
            Number = number,
            Currency = currency.ToUpperInvariant(),
            _tiers = tiers.OrderBy(t => t.Tier).ToList(),
            LikelyDuplicateThreshold = likelyDuplicateThreshold,
            PossibleDuplicateThreshold = possibleDuplicateThreshold,
            DirectLookbackDays = directLookbackDays,
            ConflictSlaHours = conflictSlaHours,
            ReferralAcceptSlaHours = referralAcceptSlaHours,
            CreatedBy = actor,
            CreatedAt = at,
        };
        return rules;
    }

    public TierPolicy For(PartnerTier tier) => _tiers.Single(t => t.Tier == tier);

    public void Activate(string actor, DateTimeOffset at)
    {
        IsActive = true;
        Raise(new RulesChanged(Id, "rules.activated", $"Rules of engagement version {Number} activated.", actor, at));
    }

    public void Supersede(string actor, DateTimeOffset at)
    {
        IsActive = false;
        Raise(new RulesChanged(Id, "rules.superseded", $"Rules of engagement version {Number} superseded.", actor, at));
    }

    /// <summary>The rules in plain words, as a partner reads them.</summary>
    public IReadOnlyList<string> Explain()
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"These are version {Number} of the rules of engagement, in force since {CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", c)}.",
        };
        foreach (var t in _tiers)
        {
            var extensions = t.MaximumExtensions == 0
                ? "it cannot be extended"
                : $"your channel manager can extend it {t.MaximumExtensions} time(s) by {t.ExtensionDays} days";
            var auto = t.AutoApproveCeiling > 0
                ? $"deals under {Money.InWords(t.AutoApproveCeiling, Currency)} for a customer in the partner's territories that collide with no other claim are approved at once"
                : "every deal is reviewed by your channel manager";
            lines.Add(
                $"{t.Tier} partners: an approved registration is protected for {t.ProtectionDays} days and {extensions}; " +
                $"deals start at {Money.InWords(t.MinimumDealValue, Currency)}; {auto}; a review is due within {t.ReviewSlaHours} hours of submission.");
        }

        lines.Add($"Thresholds are written in {Currency}, and no exchange rate is applied: a deal in another currency is held to no minimum and approved by no ceiling, but always reviewed by a person.");
        lines.Add($"A registration whose customer matches another claim with a score of {Score(LikelyDuplicateThreshold)} or more is a likely duplicate and goes to conflict handling; from {Score(PossibleDuplicateThreshold)} it is flagged for the reviewer.");
        lines.Add($"The vendor's own direct engagement with a customer in the last {DirectLookbackDays} days counts as an earlier claim.");
        lines.Add("When claims on one customer conflict, an arbiter decides the case with a written reason that every party reads. The rules recommend: "
            + "the vendor's direct engagement within that look-back, begun before any partner registered the customer, wins over a later registration unless the arbiter records that the partner brought the customer newly; "
            + "otherwise the first valid claim wins, and a higher partner tier never overrides an earlier valid claim. The arbiter may also have the parties co-sell, or reject every claim.");
        lines.Add($"A channel conflict is decided within {ConflictSlaHours} hours; a referral must be accepted or declined, and an invitation to co-sell answered, within {ReferralAcceptSlaHours} hours.");
        return lines;
    }

    // A threshold is given to at most four decimals, as scores are: it reads as it was written (0.855, not 0.86), and
    // never in exponent form. One published before that rule, finer, reads to the fifteen digits a double holds exactly.
    private static string Score(double threshold) =>
        threshold.ToString(Math.Round(threshold, 4) == threshold ? "0.####" : "0.###############", CultureInfo.InvariantCulture);

    /// <summary>A tier as the API writes it (<c>gold</c>), so that a refusal names the value the request sent.</summary>
    private static string Named(PartnerTier tier) => tier.ToString() is var name ? char.ToLowerInvariant(name[0]) + name[1..] : string.Empty;
}

public sealed record RulesChanged(Guid RulesId, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent;
