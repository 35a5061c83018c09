using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>
/// Tells the channel managers (after commit) that a registration left their review queue: those whose queue
/// (<c>GET /reviews</c>) listed it when the command began (<see cref="RegistrationEvent.Before"/>) and lists it no more.
/// It leaves when it is approved, rejected, returned for action, withdrawn or taken into a conflict case by another
/// party's claim on its customer; when it is passed on while it waits (its partner's channel manager changed or was
/// removed); and, for every other manager, when a channel manager takes it up from the shared queue (by starting its
/// review or deciding it).
/// A manager whose queue lists it both before and after (the one who takes it up, the one whose registration is passed to
/// the shared queue, which it reads too) is told nothing, so no manager hears that it left and arrived at once; a
/// manager deactivated by the command is told nothing either (the reviews it took up arrive in the shared queue for
/// every other active manager). Both lists count the channel managers active once the command committed. A
/// registration that awaited no review when the command began (a submission, a resubmission, an approved one expiring)
/// left no queue, and is decided without reading anything. Each registration is one message per command, however many
/// changes the command made to it. Managers are vendor users: the message holds nothing they may not read.
/// </summary>
public sealed class PushReviewQueueDeparture(IRepository<DealRegistration> registrations, ReviewQueueReaders readers, IRealtimeNotifier notifier)
    : INotificationHandler<DomainEventNotification<RegistrationEvent>>
{
    // The registrations already told of in this request, by the version their command committed.
    private readonly HashSet<(Guid Id, long Version)> _told = [];

    public async Task Handle(DomainEventNotification<RegistrationEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        if (!e.Before.AwaitsReview)
        {
            return;
        }

        // Where the command left it: every change it made carries where the registration stood before the first.
        if (await registrations.GetByIdAsync(e.RegistrationId, cancellationToken) is not { } registration
            || !_told.Add((registration.Id, registration.Version))
            || (registration.AwaitsReview && registration.ReviewerId == e.Before.ReviewerId))
        {
            return;
        }

        var listedBefore = await readers.ListedBeforeAsync(e.Before, cancellationToken);
        var listedNow = registration.AwaitsReview ? await readers.OfAsync(registration.ReviewerId, cancellationToken) : [];
        var left = listedBefore.Except(listedNow).ToList();
        if (left.Count > 0)
        {
            await notifier.ReviewQueueLeftAsync(new ReviewQueueLeftMessage(registration.Id, registration.PartnerId, registration.Status, e.Type, e.OccurredAt), left, cancellationToken);
        }
    }
}
