using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Opportunities;

namespace CoSell.Application.Opportunities;

public sealed record ContactDto(string Name, string? Email, string? Phone);

public sealed record OpportunitySourceDto(OpportunitySourceKind Kind, Guid? ReferenceId);

/// <summary>A partner on an opportunity; <see cref="InvitationId"/> is what it accepts or rejects.</summary>
public sealed record ParticipantDto(
    Guid InvitationId,
    Guid PartnerId,
    ParticipantRole Role,
    InvitationStatus Status,
    DateTimeOffset InvitedAt,
    DateTimeOffset? RespondBy,
    DateTimeOffset? RespondedAt,
    string? Message,
    string? RejectionReason);

/// <summary>An opportunity as its reader may see it: a partner sees only its own participation, and the contact once it accepted.</summary>
public sealed record OpportunityDto(
    Guid Id,
    CustomerDto Customer,
    ContactDto? Contact,
    OpportunityStage Stage,
    MoneyDto Amount,
    DateOnly CloseDate,
    string? NextStep,
    Guid OwnerId,
    OpportunitySourceDto Source,
    IReadOnlyList<ParticipantDto> Participants,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    long Version) : IVersionedDto;

/// <summary>A note as written; <see cref="OpportunityVersion"/> is the opportunity's version after it (its ETag), which the next change names.</summary>
public sealed record NoteDto(Guid Id, Guid OpportunityId, NoteVisibility Visibility, string Body, string AuthorId, DateTimeOffset CreatedAt, long OpportunityVersion = 0);

/// <summary>An invitation; <see cref="OpportunityVersion"/> is the opportunity's version after the invitation or the answer (its ETag).</summary>
public sealed record InvitationDto(
    Guid Id,
    Guid OpportunityId,
    Guid PartnerId,
    ParticipantRole Role,
    InvitationStatus Status,
    DateTimeOffset InvitedAt,
    DateTimeOffset? RespondBy,
    string? Message,
    long OpportunityVersion = 0);

/// <summary>A customer contact as a request names it.</summary>
[System.ComponentModel.Description("A customer's contact: a name, and an e-mail address or a phone number (at least one of the two).")]
public sealed record ContactInput(string? Name, string? Email, string? Phone);
