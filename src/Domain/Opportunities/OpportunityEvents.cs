using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Opportunities;

public enum NoteVisibility
{
    /// <summary>Every participant reads it.</summary>
    Shared,

    /// <summary>The vendor's people only.</summary>
    Internal,
}

/// <summary>Event types others act on.</summary>
public static class OpportunityEvents
{
    public const string OwnerChanged = "opportunity.owner_changed";

    /// <summary>A conflict case bound the open direct deal (the vendor's line only: the case is the vendor's to see).</summary>
    public const string ConflictBound = "opportunity.conflict_bound";

    /// <summary>An invited partner's accepted participation ended; the event's audience names the partner.</summary>
    public const string ParticipationEnded = "opportunity.participation_ended";
}

/// <summary>A change to an opportunity: its stage, a field, a participant. <see cref="Version"/> is the opportunity's version after the change.</summary>
public sealed record OpportunityEvent(
    Guid OpportunityId,
    string Type,
    string Summary,
    string Actor,
    DateTimeOffset OccurredAt,
    EventAudience Audience,
    long Version,
    OpportunityStage Stage) : IDomainEvent;

/// <summary>A note on an opportunity's timeline; <see cref="NoteVisibility.Internal"/> notes reach the vendor only.</summary>
public sealed record OpportunityNoteAdded(
    Guid OpportunityId,
    Guid NoteId,
    NoteVisibility Visibility,
    string Body,
    Guid? AuthorPartnerId,
    string Type,
    string Summary,
    string Actor,
    DateTimeOffset OccurredAt,
    EventAudience Audience,
    long Version) : IDomainEvent;

/// <summary>A note as its author gets it back.</summary>
public sealed record OpportunityNote(Guid Id, Guid OpportunityId, NoteVisibility Visibility, string Body, string AuthorId, DateTimeOffset CreatedAt);
