namespace CoSell.Domain.SeedWork;

public enum AudienceKind
{
    /// <summary>Everyone who may see the aggregate.</summary>
    Everyone,

    /// <summary>The vendor's own people only.</summary>
    Vendor,

    /// <summary>The vendor and one partner organisation.</summary>
    Partner,
}

/// <summary>Who may read an event: everyone who sees the aggregate, the vendor only, or the vendor and one partner.</summary>
public readonly record struct EventAudience
{
    private EventAudience(AudienceKind kind, Guid? partnerId)
    {
        Kind = kind;
        PartnerId = partnerId;
    }

    public static EventAudience Everyone => new(AudienceKind.Everyone, null);

    public static EventAudience Vendor => new(AudienceKind.Vendor, null);

    public AudienceKind Kind { get; }

    public Guid? PartnerId { get; }

    public static EventAudience VendorAnd(Guid partnerId) => new(AudienceKind.Partner, partnerId);

    /// <summary>The tag stored with an audit row: null for everyone, <c>vendor</c>, or <c>partner:{id}</c>.</summary>
    public string? Tag => Kind switch
    {
        AudienceKind.Vendor => VendorTag,
        AudienceKind.Partner => PartnerTag(PartnerId!.Value),
        _ => null,
    };

    public const string VendorTag = "vendor";

    public static string PartnerTag(Guid partnerId) => $"partner:{partnerId}";
}
