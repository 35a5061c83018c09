using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Partners;

public enum PartnerTier
{
    Registered,
    Silver,
    Gold,
    Platinum,
}

public enum PartnerStatus
{
    Active,
    Suspended,
}

/// <summary>A channel partner organisation of the vendor.</summary>
public sealed class Partner : AggregateRoot
{
    public const int MaximumNameLength = 200;

    private List<string> _territories = [];

    private Partner()
    {
        Name = string.Empty;
        NameKey = string.Empty;
    }

    public string Name { get; private set; }

    /// <summary>
    /// The name with the case of every letter folded (upper case, invariant): the store's unique index holds it, so no
    /// two partners share a name in any case, however both are written at the same moment.
    /// </summary>
    public string NameKey { get; private set; }

    public PartnerTier Tier { get; private set; }

    public PartnerStatus Status { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 codes of the countries the partner may sell in.</summary>
    public IReadOnlyList<string> Territories => _territories;

    /// <summary>Whether the partner sells in the country (one of its territories).</summary>
    public bool SellsIn(CountryCode country) => _territories.Contains(country.Value);

    /// <summary>The channel manager who reviews this partner's registrations.</summary>
    public Guid? ChannelManagerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Partner Create(Guid id, string name, PartnerTier tier, IEnumerable<string> territories, Guid? channelManagerId, string actor, DateTimeOffset at)
    {
        var partner = new Partner { Id = id, Status = PartnerStatus.Active, CreatedAt = at };
        partner.Apply(name ?? string.Empty, tier, territories, channelManagerId);
        partner.Raise(new PartnerChanged(id, "partner.created", $"Partner '{partner.Name}' created: {partner.Terms()}.", actor, at));
        return partner;
    }

    /// <summary>
    /// Changes what is given; null leaves a value as it is. <paramref name="unassignManager"/> leaves the partner with no
    /// channel manager: its submissions then wait in the queue every channel manager reads.
    /// </summary>
    public void Update(string? name, PartnerTier? tier, IEnumerable<string>? territories, Guid? channelManagerId, PartnerStatus? status, string actor, DateTimeOffset at, bool unassignManager = false)
    {
        if (unassignManager && channelManagerId is not null)
        {
            throw new DomainValidationException("partner.channel_manager_ambiguous", "channelManagerId", "A partner is either assigned a channel manager or unassigned, not both.");
        }

        var before = (Name, Tier, Territories: string.Join(',', _territories), ChannelManagerId, Status);
        // A name left as it is is not judged again: one stored before today's rules stays, whatever else changes.
        Apply(name is null || name == Name ? null : name, tier ?? Tier, territories ?? _territories, unassignManager ? null : channelManagerId ?? ChannelManagerId);
        Status = status ?? Status;
        if (before == (Name, Tier, string.Join(',', _territories), ChannelManagerId, Status))
        {
            // Nothing changed: the version stays and the audit log says nothing.
            return;
        }

        Raise(new PartnerChanged(Id, "partner.updated", $"Partner '{Name}' updated: {Terms()}.", actor, at));
    }

    public bool IsActive => Status == PartnerStatus.Active;

    /// <summary>
    /// The name as stored, or why it is refused. Two partners whose names look alike would be one to the people reading
    /// cases: a name is stored with its letter variants as the letters they show (a full-width Ｎ is an N; ™ and µ stay),
    /// so that the comparison of names (in any case, and without the joiners, selectors and direction marks that only
    /// choose how a neighbour shows) sees what readers see, and in that form it shows every character it holds and keeps
    /// each word in one alphabet.
    /// </summary>
    private static string Named(string name)
    {
        // A partner's name is one line: a line break inside it is refused, not folded as a company name's is.
        if (name.Trim().Any(Characters.IsControl))
        {
            throw new DomainValidationException("partner.name_invalid", "name", "A partner name cannot contain control characters.");
        }

        const string Invisible = "A partner name is written without invisible characters (zero-width spaces, direction controls, soft hyphens, tags or blank letters; a joiner or a direction mark only where it shapes or places what is beside it).";
        if (!Characters.ShowsEverything(name, name: true))
        {
            // Checked before the compatibility form too, which a broken surrogate pair has none of.
            throw new DomainValidationException("partner.name_invalid", "name", Invisible);
        }

        var normalised = Characters.FoldLetterVariants(name);
        if (!Characters.ShowsEverything(normalised, name: true))
        {
            throw new DomainValidationException("partner.name_invalid", "name", Invisible);
        }

        if (LatinLookalikes.MixesLatinWithLookalikeScript(normalised))
        {
            throw new DomainValidationException("partner.name_invalid", "name", "Write each word of a partner name in one alphabet: a word that mixes Latin letters with letters of an alphabet whose letters pass for Latin ones (Cyrillic, Greek, Armenian, Cherokee and the like) is refused.");
        }

        var trimmed = Characters.FoldWhiteSpace(normalised, MaximumNameLength);
        if (!IsOfNameLength(trimmed))
        {
            throw new DomainValidationException("partner.name_invalid", "name", $"A partner name has 2 to {MaximumNameLength} characters.");
        }

        return trimmed;
    }

    /// <summary>
    /// Whether <paramref name="name"/> has 2 to <see cref="MaximumNameLength"/> characters as it is stored (letter variants
    /// such as <c>⒇</c> written out, white space folded) and keeps two in its key: <c>Q</c> and a direction mark is one.
    /// </summary>
    public static bool IsOfNameLength(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stored = Characters.FoldWhiteSpace(Characters.FoldLetterVariants(name), MaximumNameLength);
        return stored.Length is >= 2 and <= MaximumNameLength && KeyOf(stored).Length >= 2;
    }

    /// <summary>
    /// What two names that read alike share: without the marks that only choose how a neighbour shows, with the white
    /// space a mark stood beside folded again, in capitals (taken of each letter apart from its marks, then composed again),
    /// <c>ß</c> and its capital <c>ẞ</c> as the <c>SS</c> they fold
    /// to (Unicode's full case folding; the invariant culture has no capital for <c>ß</c>). The start-up brings every
    /// stored key to it (<c>PartnerNameRekeyer</c>, ADR 0023), so a change to these rules holds for partners named before it too.
    /// </summary>
    public static string KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Capitals of the letters apart from their marks, so a letter whose other case is a letter and a mark (ΐ and Ϊ́,
        // i̇ and İ, ǰ and J̌) reads as that other case does.
        var folded = Characters.FoldWhiteSpace(Characters.WithoutShapingMarks(name), MaximumNameLength + 1).Normalize(System.Text.NormalizationForm.FormD);
        return folded.ToUpperInvariant().Normalize(System.Text.NormalizationForm.FormC)
            .Replace("\u00DF", "SS", StringComparison.Ordinal).Replace("\u1E9E", "SS", StringComparison.Ordinal);
    }

    /// <summary>
    /// The key of a name stored under earlier rules, as a name given now is keyed: its letter variants folded and its
    /// letters composed first (a stored <c>Ｎorthwind</c> or a decomposed <c>Cafe\u0301</c> keeps its spelling, and reads as
    /// <c>Northwind</c> or <c>Café</c> does), then <see cref="KeyOf"/>.
    /// </summary>
    public static string KeyOfStored(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return KeyOf(Characters.FoldLetterVariants(name));
    }

    /// <summary>The partner's terms as its audit entries give them whole: each entry says what holds from then on.</summary>
    private string Terms()
    {
        var manager = ChannelManagerId is { } assigned ? $"channel manager {assigned}" : "no channel manager";
        return $"{Tier}, {Status}, territories {string.Join(", ", _territories)}, {manager}";
    }

    /// <summary>Sets what is given; a null <paramref name="name"/> keeps the name as it is.</summary>
    private void Apply(string? name, PartnerTier tier, IEnumerable<string> territories, Guid? channelManagerId)
    {
        var named = name is null ? Name : Named(name);
        if (!Enum.IsDefined(tier))
        {
            throw new DomainValidationException("partner.tier_unknown", "tier", "Unknown partner tier.");
        }

        var codes = territories.Select(t => CountryCode.From(t).Value).Distinct().Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            throw new DomainValidationException("partner.territories_required", "territories", "A partner sells in at least one country.");
        }

        if (name is not null)
        {
            Name = named;
            // Marks that only choose how a neighbour shows are no part of the key: "Northwind\u200E Systems" is Northwind Systems.
            NameKey = KeyOf(named);
        }

        Tier = tier;
        _territories = codes;
        ChannelManagerId = channelManagerId;
    }
}

public sealed record PartnerChanged(Guid PartnerId, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent;
