using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Referrals;

namespace CoSell.Application.Referrals;

/// <summary>A referral as its reader may see it; <see cref="Contact"/> is null for the receiver until it accepts.</summary>
public sealed record ReferralDto(
    Guid Id,
    ReferralDirection Direction,
    Guid PartnerId,
    string SentBy,
    Guid? VendorUserId,
    CustomerDto Customer,
    ContactDto? Contact,
    IReadOnlyList<string> ProductLines,
    MoneyDto? EstimatedValue,
    string? Message,
    ReferralStatus Status,
    int RulesVersion,
    DateTimeOffset AcceptBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? RespondedAt,
    DeclineReason? DeclineReason,
    string? DeclineComment,
    ReferralConversion? ConvertedTo,
    Guid? ConvertedId,
    long Version) : IVersionedDto;

/// <summary>What a converted referral became: a registration or an opportunity, with its id.</summary>
public sealed record ReferralConversionDto(ReferralDto Referral, ReferralConversion Kind, Guid Id);
