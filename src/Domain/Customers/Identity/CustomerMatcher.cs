using System.Globalization;
using System.Text;
using CoSell.Domain.Registrations;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Scores a customer against the live claims of a <see cref="ClaimsIndex"/> and explains each match.
/// </summary>
/// <remarks>
/// Each clue is a probability that the two claims are about one company, combined as independent
/// clues are (1 − Π(1 − clue)): the same DUNS number 0.95, the same registrable domain 0.90, domains
/// with the same name under another suffix (acme.com / acme.de, in any country) 0.50, and the name similarity
/// (<see cref="NameSimilarity"/>, counted above 0.5) in full within one country, at half weight across
/// countries beside one of those three. Contrary evidence then scales the score down: different DUNS numbers × 0.70 and unrelated
/// web domains × 0.80 (each only when the other strong identifier does not agree), no product line in
/// common × 0.85, a protection that has ended × 0.70 (unless an open conflict case holds the claim:
/// <see cref="MatchQuery.Held"/>), a direct opportunity older than the look-back × 0.80. A shared
/// product line closes a fifth of the gap to 1.
/// </remarks>
public sealed class CustomerMatcher
{
    public const double SameDuns = 0.95;
    public const double SameDomain = 0.90;
    public const double SameDomainName = 0.50;
    /// <summary>Names count only when more than half of them agrees: one shared word of two ("Acme Clinic" / "Zenith Clinic") is no clue.</summary>
    public const double MinimumNameSimilarity = 0.5;
    public const double OtherCountryNameWeight = 0.5;
    public const double DifferentDunsFactor = 0.70;
    public const double DifferentDomainsFactor = 0.80;
    public const double NoCommonProductFactor = 0.85;
    public const double CommonProductGain = 0.20;
    public const double ProtectionEndedFactor = 0.70;
    public const double OutsideLookBackFactor = 0.80;

    private readonly ClaimsIndex _index;
    private readonly int _maximumMatches;

    public CustomerMatcher(ClaimsIndex index, int maximumMatches = 10)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumMatches, 1);
        _index = index;
        _maximumMatches = maximumMatches;
    }

    /// <summary>Checks the customer against the claims that share a blocking key with it.</summary>
    public MatchResult Match(MatchQuery query, MatchThresholds thresholds) => Run(query, thresholds, fullScan: false);

    /// <summary>
    /// Whether two customers are likely one company, weighed on who they are alone (<see cref="MatchQuery.CustomerOnly"/>):
    /// as a check would find the one when the other is claimed.
    /// </summary>
    public static bool AreLikelyOne(NormalisedCustomer first, NormalisedCustomer second, MatchThresholds thresholds, DateTimeOffset at)
    {
        using var index = new ClaimsIndex();
        index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), first, [], "submitted", at, null));
        return new CustomerMatcher(index).Match(new MatchQuery(second, [], at) { CustomerOnly = true }, thresholds).Verdict == DuplicateVerdict.Likely;
    }

    /// <summary>Checks the customer against every claim with the same scorer: the reference the index is measured against.</summary>
    public MatchResult ScanAll(MatchQuery query, MatchThresholds thresholds) => Run(query, thresholds, fullScan: true);

    private MatchResult Run(MatchQuery query, MatchThresholds thresholds, bool fullScan)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(thresholds);
        _index.EnterRead();
        try
        {
            var prepared = new PreparedQuery(query, thresholds, _index);
            var best = new List<(int Slot, double Score)>();
            if (fullScan)
            {
                for (var slot = 0; slot < _index.SlotCount; slot++)
                {
                    if (_index.IsLive(slot))
                    {
                        Consider(prepared, slot, best);
                    }
                }
            }
            else
            {
                Span<BlockingKey> keys = stackalloc BlockingKey[BlockingKeys.MaximumKeys];
                var count = _index.KeysOf(query.Customer, keys, forQuery: true, out var words);
                var candidates = new List<int>();
                _index.CollectCandidates(keys[..count], words, candidates);
                foreach (var slot in candidates)
                {
                    Consider(prepared, slot, best);
                }
            }

            if (best.Count == 0)
            {
                return prepared.Lapsed.Count == 0 ? MatchResult.Clear : MatchResult.Clear with { Lapsed = prepared.Lapsed };
            }

            best.Sort(static (x, y) => y.Score.CompareTo(x.Score));
            var matches = new List<ClaimMatch>(Math.Min(best.Count, _maximumMatches));
            for (var i = 0; i < best.Count; i++)
            {
                var (slot, score) = best[i];
                if (i >= _maximumMatches && (query.OwnPartnerId is null || AsRead(score) < thresholds.Likely))
                {
                    break;
                }

                // Past the strongest few, only another party's likely claim is still named: one the deal collides with.
                var view = _index.View(slot);
                if (i >= _maximumMatches && view.Kind != ClaimKind.DirectOpportunity && view.PartnerId == query.OwnPartnerId)
                {
                    continue;
                }

                var reasons = new List<string>();
                Score(prepared, view, reasons);
                matches.Add(new ClaimMatch(view.ClaimId, view.Kind, view.PartnerId, AsRead(score), reasons));
            }

            var top = matches[0].Score;
            return new MatchResult(thresholds.VerdictFor(top), top, matches) { Lapsed = prepared.Lapsed };
        }
        finally
        {
            _index.ExitRead();
        }
    }

    /// <summary>A score as a match gives it, to four decimals: every threshold (the verdict's, the cuts to possible and likely) is met by it.</summary>
    private static double AsRead(double score) => Math.Round(score, 4);

    private void Consider(PreparedQuery query, int slot, List<(int Slot, double Score)> best)
    {
        var view = _index.View(slot);
        if ((query.ExcludeClaimId is { } excluded && view.ClaimId == excluded) || (query.ExcludePartner is { } partner && view.Partner == partner)
            || (query.Departed.Count > 0 && query.Departed.Contains(view.ClaimId)))
        {
            return;
        }

        var score = Score(query, view, reasons: null);
        if (AsRead(score) >= query.Thresholds.Possible)
        {
            best.Add((slot, score));
        }

        // Only a case can hold a claim past its end, and the index does not know cases: the caller learns which lapsed
        // claims would match (or match more) had they not lapsed, and asks again with those a case holds.
        if (score > 0 && !query.CustomerOnly && query.HasLapsed(view) && score / ProtectionEndedFactor >= query.Thresholds.Possible)
        {
            query.Lapsed.Add(view.ClaimId);
        }
    }

    /// <summary>The score of one claim; with <paramref name="reasons"/>, also the words that explain it.</summary>
    private static double Score(PreparedQuery query, ClaimsIndex.ClaimView claim, List<string>? reasons)
    {
        var sameDuns = query.Duns >= 0 && claim.Duns == query.Duns;
        var sameDomain = query.Domain.Length > 0 && claim.Domain.SequenceEqual(query.Domain);
        var sameCountry = query.Country != 0 && claim.Country == query.Country;
        var relation = sameDomain || query.Domain.Length == 0 || claim.Domain.IsEmpty ? DomainRelation.None : Relate(query, claim.Domain);
        var identified = sameDuns || sameDomain || relation == DomainRelation.SameName;
        if (!identified && !sameCountry)
        {
            return 0; // names alone count only within a country
        }

        Span<char> claimName = stackalloc char[claim.NameKey.Length];
        Encoding.ASCII.GetChars(claim.NameKey, claimName);
        var names = NameSimilarity.Score(query.NameKey, claimName);
        if (!identified && names <= MinimumNameSimilarity)
        {
            return 0;
        }

        var doubt = 1.0;
        if (sameDuns)
        {
            doubt *= 1 - SameDuns;
            reasons?.Add($"same DUNS {query.DunsText}");
        }

        if (sameDomain)
        {
            doubt *= 1 - SameDomain;
            reasons?.Add($"same registrable domain {query.DomainText}");
        }

        if (relation == DomainRelation.SameName)
        {
            doubt *= 1 - SameDomainName;
            reasons?.Add($"web domains with the same name: {query.DomainText} / {Ascii(claim.Domain)}");
        }

        if (names > MinimumNameSimilarity)
        {
            doubt *= 1 - (sameCountry ? names : names * OtherCountryNameWeight);
            reasons?.Add($"names {Two(names)} alike: '{query.NameKey}' / '{claimName}'");
        }

        if (reasons is not null)
        {
            var country = ClaimsIndex.CountryText(claim.Country) ?? "unknown";
            reasons.Add(sameCountry ? $"same country {country}" : $"different countries: {query.CountryText ?? "unknown"} / {country}");
        }

        // A strong identifier that agrees outweighs one that differs: a company has several domains,
        // and a group's companies share a domain under different DUNS numbers.
        var score = 1 - doubt;
        if (query.Duns >= 0 && claim.Duns >= 0 && !sameDuns && !sameDomain)
        {
            score *= DifferentDunsFactor;
            reasons?.Add($"different DUNS: {query.DunsText} / {claim.Duns.ToString("D9", CultureInfo.InvariantCulture)}");
        }

        if (relation == DomainRelation.Unrelated && !sameDuns)
        {
            score *= DifferentDomainsFactor;
            reasons?.Add($"different web domains: {query.DomainText} / {Ascii(claim.Domain)}");
        }

        if (query.CustomerOnly)
        {
            return score;
        }

        score = ApplyProducts(query, claim, score, reasons);
        return ApplyTime(query, claim, score, reasons);
    }

    private static double ApplyProducts(PreparedQuery query, ClaimsIndex.ClaimView claim, double score, List<string>? reasons)
    {
        var claimed = query.Index.ProductSet(claim.ProductSet);
        if (query.ProductCount == 0 || claimed.IsEmpty)
        {
            return score;
        }

        List<string>? common = null;
        var any = false;
        foreach (var id in claimed)
        {
            if (Array.IndexOf(query.ProductIds, id) >= 0)
            {
                any = true;
                if (reasons is null)
                {
                    break;
                }

                (common ??= []).Add(query.Index.ProductLineName(id));
            }
        }

        if (any)
        {
            reasons?.Add($"same product line{(common!.Count > 1 ? "s" : "")}: {string.Join(", ", common)}");
            return score + ((1 - score) * CommonProductGain);
        }

        if (reasons is not null)
        {
            var theirs = new List<string>();
            foreach (var id in claimed)
            {
                theirs.Add(query.Index.ProductLineName(id));
            }

            reasons.Add($"no product line in common: {string.Join(", ", query.ProductNames)} / {string.Join(", ", theirs)}");
        }

        return score * NoCommonProductFactor;
    }

    private static double ApplyTime(PreparedQuery query, ClaimsIndex.ClaimView claim, double score, List<string>? reasons)
    {
        var at = query.At;
        var claimedAt = claim.ClaimedAt;
        var protectedUntil = claim.ProtectedUntil;
        var lapsed = protectedUntil is { } until && until <= at;
        var held = lapsed && query.Held.Contains(claim.ClaimId);
        var ended = lapsed && !held;
        var stale = protectedUntil is null && claim.Kind == ClaimKind.DirectOpportunity && at - claimedAt > query.Thresholds.DirectLookBack;
        if (reasons is not null)
        {
            var days = Math.Max(0, (int)(at - claimedAt).TotalDays);
            var when = days switch { 0 => "today", 1 => "1 day ago", _ => $"{days} days ago" };
            var text = $"{claim.Status} {when}";
            if (protectedUntil is { } end)
            {
                text += held ? $", protection ended {Date(end)} but held by an open conflict case until its decision"
                    : ended ? $", protection ended {Date(end)}"
                    : $", protected until {Date(end)}";
            }
            else if (stale)
            {
                text += $", outside the {(int)query.Thresholds.DirectLookBack.TotalDays}-day look-back";
            }

            reasons.Add(text);
        }

        return score * (ended ? ProtectionEndedFactor : 1) * (stale ? OutsideLookBackFactor : 1);
    }

    private enum DomainRelation
    {
        None,
        SameName,
        Alike,
        Unrelated,
    }

    /// <summary>
    /// How two different registrable domains relate: the same name under another suffix (acme.com /
    /// acme.de), alike when one name starts with the other (acme.com / acmecorp.com: a company often
    /// holds several), or unrelated.
    /// </summary>
    private static DomainRelation Relate(PreparedQuery query, ReadOnlySpan<byte> claimDomain)
    {
        // A registrable domain is one label in front of a public suffix: the label is the name.
        var dot = claimDomain.IndexOf((byte)'.');
        var label = dot < 0 ? claimDomain : claimDomain[..dot];
        ReadOnlySpan<byte> ours = query.DomainLabel;
        if (label.SequenceEqual(ours))
        {
            return DomainRelation.SameName;
        }

        var shorter = Math.Min(label.Length, ours.Length);
        if (shorter >= 3 && (label.StartsWith(ours) || ours.StartsWith(label)))
        {
            return DomainRelation.Alike;
        }

        return DomainRelation.Unrelated;
    }

    private static string Two(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Ascii(ReadOnlySpan<byte> text) => Encoding.ASCII.GetString(text);

    /// <summary>The query in the forms the scorer compares, computed once per check.</summary>
    private sealed class PreparedQuery
    {
        public PreparedQuery(MatchQuery query, MatchThresholds thresholds, ClaimsIndex index)
        {
            var customer = query.Customer;
            Index = index;
            Thresholds = thresholds;
            NameKey = customer.NameKey;
            DomainText = customer.RegistrableDomain ?? "";
            Domain = Encoding.ASCII.GetBytes(DomainText);
            DomainLabel = Encoding.ASCII.GetBytes(BlockingKeys.DomainName(DomainText).ToString());
            DunsText = customer.Duns;
            Duns = ClaimsIndex.DunsNumber(customer.Duns);
            CountryText = customer.Country;
            Country = ClaimsIndex.CountryNumber(customer.Country);
            ProductNames = [.. (query.ProductLines ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())];
            ProductIds = [.. ProductNames.Select(index.ProductLineId).Where(id => id >= 0)];
            At = query.At;
            ExcludeClaimId = query.ExcludeClaimId;
            ExcludePartner = query.ExcludePartnerId is { } partner ? index.PartnerNumber(partner) : null;
            Held = query.Held;
            Departed = query.Departed;
            CustomerOnly = query.CustomerOnly;
        }

        public ClaimsIndex Index { get; }

        public MatchThresholds Thresholds { get; }

        public string NameKey { get; }

        public string DomainText { get; }

        public byte[] Domain { get; }

        /// <summary>The domain's name, the label in front of its public suffix, as the index stores domains (ASCII).</summary>
        public byte[] DomainLabel { get; }

        public string? DunsText { get; }

        public int Duns { get; }

        public string? CountryText { get; }

        public ushort Country { get; }

        public string[] ProductNames { get; }

        public int ProductCount => ProductNames.Length;

        public int[] ProductIds { get; }

        public DateTimeOffset At { get; }

        public Guid? ExcludeClaimId { get; }

        public int? ExcludePartner { get; }

        public IReadOnlySet<Guid> Held { get; }

        public IReadOnlySet<Guid> Departed { get; }

        public bool CustomerOnly { get; }

        /// <summary>The candidates whose protection has ended, no case being known to hold them, that would score from <c>possible</c> up had it not.</summary>
        public List<Guid> Lapsed { get; } = [];

        public bool HasLapsed(ClaimsIndex.ClaimView claim) =>
            claim.ProtectedUntil is { } until && until <= At && !Held.Contains(claim.ClaimId);
    }
}
