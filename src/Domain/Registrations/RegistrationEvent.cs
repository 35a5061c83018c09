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
}
