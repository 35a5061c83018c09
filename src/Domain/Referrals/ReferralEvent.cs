using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Referrals;

/// <summary>A change to a referral; <see cref="VendorUserId"/> is the vendor user who answers for it, if any.</summary>
public sealed record ReferralEvent(
    Guid ReferralId,
    Guid PartnerId,
    Guid? VendorUserId,
    ReferralDirection Direction,
    string Type,
    ReferralStatus From,
    ReferralStatus To,
    string Summary,
    string Actor,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>The vendor user who answered for the referral until this change handed it to another (a rep took it up).</summary>
    public Guid? FormerVendorUserId { get; init; }

    /// <summary>
    /// A partner's referral that no vendor user answered for when this change came (its partner had no channel manager):
    /// every channel manager heard of it, and hears of this change too.
    /// </summary>
    public bool WaitedForAnyVendorUser { get; init; }

    /// <summary>The vendor users who hear of this change: the one who answers for the referral, and the one it was taken from.</summary>
    public IReadOnlyList<Guid> VendorUsers => new[] { VendorUserId, FormerVendorUserId }.OfType<Guid>().ToList();
}
