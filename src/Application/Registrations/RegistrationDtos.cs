using CoSell.Application.Abstractions;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;

namespace CoSell.Application.Registrations;

public sealed record CustomerDto(string Name, string? Domain, string? RegistrableDomain, string Country, string? Duns);

public sealed record MoneyDto(decimal Amount, string Currency);

/// <summary>The duplicate check stored on submission; partners see the verdict alone.</summary>
public sealed record DuplicateDto(DuplicateVerdict Verdict, double? Score, IReadOnlyList<string> Reasons);

public sealed record RegistrationDto(
    Guid Id,
    Guid PartnerId,
    string RegisteredBy,
    RegistrationStatus Status,
    CustomerDto Customer,
    IReadOnlyList<string> ProductLines,
    MoneyDto EstimatedValue,
    DateOnly ExpectedCloseDate,
    string? Notes,
    int? RulesVersion,
    PartnerTier? Tier,
    Guid? ReviewerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ReviewDueAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ProtectionEndsAt,
    int ExtensionsUsed,
    RejectionReason? RejectionReason,
    LossReason? LossReason,
    string? ReviewerMessage,
    DateTimeOffset? ClosedAt,
    bool AutoApproved,
    DuplicateDto? Duplicate,
    Guid? SourceReferralId,
    long Version) : IVersionedDto;

public sealed record ReviewQueueItem(RegistrationDto Registration, bool Overdue);

/// <summary>A customer as a request names it; the service normalises it.</summary>
public sealed record CustomerInput(string? Name, string? Domain, string? Country, string? Duns = null);

public sealed record MoneyInput(decimal? Amount, string? Currency);
