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
    DateTimeOffset OccurredAt) : IDomainEvent;
