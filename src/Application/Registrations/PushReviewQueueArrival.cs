using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>
/// Tells the channel managers (after commit) that a registration arrived in their review queue, as <c>GET /reviews</c>
/// lists it: by submission, by resubmission, or passed on while it waits (its partner's channel manager changed or was
/// removed, or the manager who took it up was deactivated). It goes to the active channel managers whose queue lists it
/// once the command committed and did not when the command began (<see cref="RegistrationEvent.Before"/>): the manager
/// it is routed to, or every active channel manager when it is routed to nobody or to one since deactivated, less those
/// who listed it already — the manager whose registration is passed to the shared queue, which it reads too, and the
/// manager a registration waiting in the shared queue is passed to. A submission approved at once, or taken into a
/// conflict case by the same command, and a registration passed on while returned for action, reach no queue and tell
/// no one. Each registration is one message to its managers' groups, however many one command passes on. Managers are
/// vendor users: the message holds nothing they may not read. The queue it leaves is told by <see cref="PushReviewQueueDeparture"/>.
/// </summary>
public sealed class PushReviewQueueArrival(IRepository<DealRegistration> registrations, ReviewQueueReaders readers, IRealtimeNotifier notifier)
    : INotificationHandler<DomainEventNotification<RegistrationEvent>>
{
    public async Task Handle(DomainEventNotification<RegistrationEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        if (e.Type is not ("registration.submitted" or "registration.resubmitted" or "registration.rerouted"))
        {
            return;
        }

        // Where the command left it, not where the submission put it: it may have been approved or flagged since.
        if (await registrations.GetByIdAsync(e.RegistrationId, cancellationToken) is not { AwaitsReview: true } registration)
        {
            return;
        }

        // A submission or resubmission began in no queue, and is sent without a further read.
        var listedBefore = await readers.ListedBeforeAsync(e.Before, cancellationToken);
        var managers = (await readers.OfAsync(registration.ReviewerId, cancellationToken)).Except(listedBefore).ToList();
        if (managers.Count > 0)
        {
            await notifier.ReviewQueuedAsync(PushRegistrationStatus.MessageOf(e), managers, cancellationToken);
        }
    }
}
