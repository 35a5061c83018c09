using CoSell.Domain.SeedWork;

namespace CoSell.Domain.AccountMapping;

public enum PartnershipStatus
{
    /// <summary>At least one side has not opted in yet.</summary>
    AwaitingOptIn,

    Active,

    /// <summary>Both opted in, and at least one side paused it: every result is hidden.</summary>
    Paused,
}

/// <summary>
/// Account mapping between the vendor and one partner. It shows results only while both sides have
/// opted in and neither has paused it; each side chooses what it shares of each of its populations.
/// </summary>
public sealed class Partnership : AggregateRoot
{
    private Partnership()
    {
        CreatedBy = string.Empty;
        VendorSharing = SharingSettings.Hidden;
        PartnerSharing = SharingSettings.Hidden;
    }

    public Guid PartnerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset? VendorOptedInAt { get; private set; }

    public string? VendorOptedInBy { get; private set; }

    public DateTimeOffset? PartnerOptedInAt { get; private set; }

    public string? PartnerOptedInBy { get; private set; }

    public bool PausedByVendor { get; private set; }

    public bool PausedByPartner { get; private set; }

    public SharingSettings VendorSharing { get; private set; }

    public SharingSettings PartnerSharing { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public PartnershipStatus Status =>
        VendorOptedInAt is null || PartnerOptedInAt is null ? PartnershipStatus.AwaitingOptIn
        : PausedByVendor || PausedByPartner ? PartnershipStatus.Paused
        : PartnershipStatus.Active;

    public bool IsActive => Status == PartnershipStatus.Active;

    /// <summary>Either side proposes the partnership; nobody is opted in by proposing it.</summary>
    public static Partnership Propose(Guid id, Guid partnerId, PartnershipSide proposer, string actor, DateTimeOffset at)
    {
        if (partnerId == Guid.Empty)
        {
            throw new DomainValidationException("partnership.partner_required", "partnerId", "A partnership is with one partner.");
        }

        var partnership = new Partnership { Id = id, PartnerId = partnerId, CreatedAt = at, CreatedBy = actor, UpdatedAt = at };
        partnership.Raise(new PartnershipEvent(id, partnerId, "partnership.proposed", $"Account mapping proposed by the {Word(proposer)}; both sides must opt in.", actor, at));
        return partnership;
    }

    public void OptIn(PartnershipSide side, string actor, DateTimeOffset at)
    {
        if (OptedIn(side))
        {
            throw new DomainException("partnership.already_opted_in", $"The {Word(side)} has already opted in.");
        }

        if (side == PartnershipSide.Vendor)
        {
            VendorOptedInAt = at;
            VendorOptedInBy = actor;
        }
        else
        {
            PartnerOptedInAt = at;
            PartnerOptedInBy = actor;
        }

        Touch("partnership.opted_in", $"The {Word(side)} opted in; the partnership is {Describe(Status)}.", actor, at);
    }

    /// <summary>Hides every result from both sides at once, until the same side resumes.</summary>
    public void Pause(PartnershipSide side, string actor, DateTimeOffset at)
    {
        if (!OptedIn(side))
        {
            throw new DomainException("partnership.not_opted_in", $"The {Word(side)} has not opted in; there is nothing to pause.");
        }

        if (PausedBy(side))
        {
            throw new DomainException("partnership.already_paused", $"The {Word(side)} has already paused this partnership.");
        }

        SetPaused(side, true);
        Touch("partnership.paused", $"Paused by the {Word(side)}: no results are shown to either side.", actor, at);
    }

    public void Resume(PartnershipSide side, string actor, DateTimeOffset at)
    {
        if (!PausedBy(side))
        {
            throw new DomainException("partnership.not_paused", $"The {Word(side)} has not paused this partnership.");
        }

        SetPaused(side, false);
        Touch("partnership.resumed", $"Resumed by the {Word(side)}; the partnership is {Describe(Status)}.", actor, at);
    }

    public void ChangeSharing(PartnershipSide side, SharingSettings settings, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (SharingOf(side) == settings)
        {
            // The levels as they are: nothing changed, so the version stays and the audit log says nothing.
            return;
        }

        if (side == PartnershipSide.Vendor)
        {
            VendorSharing = settings;
        }
        else
        {
            PartnerSharing = settings;
        }

        Touch("partnership.sharing_changed", $"The {Word(side)} now shares {settings}.", actor, at);
    }

    /// <summary>
    /// Records that the partner now goes by another name. The partnership's representation names its partner, so its
    /// version moves with the name: a client that keeps a copy by its ETag reads the new one.
    /// </summary>
    public void PartnerRenamed(string name, string actor, DateTimeOffset at) =>
        Touch("partnership.partner_renamed", $"The partner is now named {name}.", actor, at);

    public SharingSettings SharingOf(PartnershipSide side) => side == PartnershipSide.Vendor ? VendorSharing : PartnerSharing;

    /// <summary>
    /// What <paramref name="viewer"/> may see of the cell (its population <paramref name="ours"/> × the other
    /// side's <paramref name="theirs"/>): nothing unless the partnership is active, else the lower of both levels.
    /// </summary>
    public SharingLevel Visibility(PartnershipSide viewer, AccountPopulation ours, AccountPopulation theirs) =>
        IsActive ? SharingRule.Effective(SharingOf(viewer).For(ours), SharingOf(Other(viewer)).For(theirs)) : SharingLevel.Hidden;

    public bool OptedIn(PartnershipSide side) => (side == PartnershipSide.Vendor ? VendorOptedInAt : PartnerOptedInAt) is not null;

    public bool PausedBy(PartnershipSide side) => side == PartnershipSide.Vendor ? PausedByVendor : PausedByPartner;

    public static PartnershipSide Other(PartnershipSide side) => side == PartnershipSide.Vendor ? PartnershipSide.Partner : PartnershipSide.Vendor;

    private void SetPaused(PartnershipSide side, bool paused)
    {
        if (side == PartnershipSide.Vendor)
        {
            PausedByVendor = paused;
        }
        else
        {
            PausedByPartner = paused;
        }
    }

    private void Touch(string type, string summary, string actor, DateTimeOffset at)
    {
        UpdatedAt = at;
        Raise(new PartnershipEvent(Id, PartnerId, type, summary, actor, at));
    }

    private static string Word(PartnershipSide side) => side == PartnershipSide.Vendor ? "vendor" : "partner";

    private static string Describe(PartnershipStatus status) => status switch
    {
        PartnershipStatus.Active => "active",
        PartnershipStatus.Paused => "paused",
        _ => "awaiting the other side's opt-in",
    };
}

public sealed record PartnershipEvent(Guid PartnershipId, Guid PartnerId, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent;
