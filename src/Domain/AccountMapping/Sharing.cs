using CoSell.Domain.SeedWork;

namespace CoSell.Domain.AccountMapping;

/// <summary>The kinds of account a side keeps a list of.</summary>
public enum AccountPopulation
{
    Customers,
    Prospects,
    OpenOpportunities,
}

/// <summary>How much of one population a side lets the other side see; each level includes the ones before it.</summary>
public enum SharingLevel
{
    /// <summary>Nothing: not even a count.</summary>
    Hidden,

    /// <summary>Only how many accounts overlap.</summary>
    Counts,

    /// <summary>The overlapping accounts' names and the population they are in.</summary>
    Overlaps,

    /// <summary>Overlaps, and white space: this side's accounts the other side lacks.</summary>
    All,
}

/// <summary>The two sides of a partnership.</summary>
public enum PartnershipSide
{
    Vendor,
    Partner,
}

/// <summary>One side's sharing level for each of its populations.</summary>
public sealed record SharingSettings(SharingLevel Customers, SharingLevel Prospects, SharingLevel OpenOpportunities)
{
    /// <summary>Nothing is shared until a side chooses to.</summary>
    public static readonly SharingSettings Hidden = new(SharingLevel.Hidden, SharingLevel.Hidden, SharingLevel.Hidden);

    public static IReadOnlyList<AccountPopulation> Populations { get; } = Enum.GetValues<AccountPopulation>();

    public SharingLevel For(AccountPopulation population) => population switch
    {
        AccountPopulation.Customers => Customers,
        AccountPopulation.Prospects => Prospects,
        AccountPopulation.OpenOpportunities => OpenOpportunities,
        _ => throw new DomainValidationException("account_mapping.population_unknown", "population", "Unknown population."),
    };

    public static SharingSettings Of(SharingLevel customers, SharingLevel prospects, SharingLevel openOpportunities)
    {
        foreach (var (level, field) in new[] { (customers, "customers"), (prospects, "prospects"), (openOpportunities, "openOpportunities") })
        {
            if (!Enum.IsDefined(level))
            {
                throw new DomainValidationException("account_mapping.sharing_unknown", field, "A sharing level is hidden, counts, overlaps or all.");
            }
        }

        return new SharingSettings(customers, prospects, openOpportunities);
    }

    public override string ToString() => $"customers {Customers}, prospects {Prospects}, open opportunities {OpenOpportunities}";
}

/// <summary>
/// What one side sees of one cell (its population × the other side's population): the intersection of
/// both sides' rules, so the lower of the two levels.
/// </summary>
public static class SharingRule
{
    public static SharingLevel Effective(SharingLevel mine, SharingLevel theirs) => (SharingLevel)Math.Min((int)mine, (int)theirs);

    public static bool ShowsCount(SharingLevel effective) => effective >= SharingLevel.Counts;

    public static bool ShowsOverlaps(SharingLevel effective) => effective >= SharingLevel.Overlaps;

    public static bool ShowsWhiteSpace(SharingLevel effective) => effective == SharingLevel.All;
}
