using CoSell.Application.Abstractions;
using CoSell.Domain.Referrals;
using MediatR;

namespace CoSell.Application.Referrals;

/// <summary>
/// Tells a referral's parties (after commit) that it moved: the partner's users and the vendor user who answers for it,
/// and, when a rep takes up a partner's referral, the channel manager it went to.
/// </summary>
public sealed class PushReferralChanges(IRealtimeNotifier notifier) : INotificationHandler<DomainEventNotification<ReferralEvent>>
{
    public Task Handle(DomainEventNotification<ReferralEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        return notifier.ReferralChangedAsync(
            new ReferralChangedMessage(e.ReferralId, e.Direction, e.Type, e.From, e.To, e.OccurredAt),
            e.PartnerId,
            e.VendorUsers,
            cancellationToken);
    }
}
