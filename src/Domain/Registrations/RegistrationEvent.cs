using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Registrations;

/// <summary>A change to a registration; <see cref="From"/> equals <see cref="To"/> when the status did not move.</summary>
public sealed record RegistrationEvent(
    Guid RegistrationId,
    Guid PartnerId,
    string Type,
    RegistrationStatus From,
    RegistrationStatus To,
    string Summary,
    string Actor,
    DateTimeOffset OccurredAt) : IDomainEvent
{
    public bool StatusChanged => From != To;

    /// <summary>The end of the registration's protection once the change is made; null while it has had none.</summary>
    public DateTimeOffset? ProtectionEndsAt { get; init; }

    /// <summary>
    /// Where the registration stood for review when the command that made this change began, before a channel manager
    /// took it up from the shared queue: every change one command makes to a registration carries the same.
    /// </summary>
    public ReviewStanding Before { get; init; }
}

/// <summary>Where a registration stands for review: its status and the channel manager it is routed to (none: the shared queue).</summary>
public readonly record struct ReviewStanding(RegistrationStatus Status, Guid? ReviewerId)
{
    /// <summary>Whether a review queue lists it (<see cref="DealRegistration.AwaitsReview"/>).</summary>
    public bool AwaitsReview => RegistrationLifecycle.AwaitingReview.Contains(Status);
}
