using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>
/// Tells the registering partner's users (after commit) that their registration moved, that its protection was extended
/// (its new end), that a conflict case now holds it, that a case was decided in its favour while it stayed approved
/// (its window goes on, or a fresh one opens), or that it was made an opportunity (its version moved on: what they
/// hold of it is stale).
/// </summary>
public sealed class PushRegistrationStatus(IRealtimeNotifier notifier) : INotificationHandler<DomainEventNotification<RegistrationEvent>>
{
    public Task Handle(DomainEventNotification<RegistrationEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        return e.StatusChanged || e.Type is "registration.conflict_held" or "registration.conflict_awarded" or "registration.extended" or "registration.opportunity_opened"
            ? notifier.RegistrationStatusChangedAsync(MessageOf(e), cancellationToken)
            : Task.CompletedTask;
    }

    public static RegistrationStatusMessage MessageOf(RegistrationEvent e) =>
        new(e.RegistrationId, e.PartnerId, e.From, e.To, e.OccurredAt, e.Type, RegistrationMappings.ShownProtectionEnd(e.To, e.ProtectionEndsAt));
}
