using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Referrals;
using CoSell.Domain.Users;
using MediatR;

namespace CoSell.Application.Referrals;

/// <summary>
/// Tells a referral's parties (after commit) that it moved: the partner's users and the vendor user who answers for it,
/// and, when a rep takes up a partner's referral, the channel manager it went to. A partner's referral that no vendor
/// user answers for (its partner has no channel manager) waits for any of them, and every active channel manager hears
/// of it (and, when a reassignment left it so, the manager it was taken from), as every one of them reads a registration
/// routed to nobody, up to and including the answer that makes it one vendor user's.
/// </summary>
public sealed class PushReferralChanges(IRealtimeNotifier notifier, IRepository<User> users) : INotificationHandler<DomainEventNotification<ReferralEvent>>
{
    public async Task Handle(DomainEventNotification<ReferralEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        IReadOnlyList<Guid> vendorUsers = e.Direction == ReferralDirection.PartnerToVendor && (e.VendorUserId is null || e.WaitedForAnyVendorUser)
            ? [.. e.VendorUsers.Union((await users.ListAsync(new ActiveChannelManagersSpec(), cancellationToken)).Select(u => u.Id))]
            : e.VendorUsers;
        await notifier.ReferralChangedAsync(
            new ReferralChangedMessage(e.ReferralId, e.Direction, e.Type, e.From, e.To, e.OccurredAt),
            e.PartnerId,
            vendorUsers,
            cancellationToken);
    }
}
