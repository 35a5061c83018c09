using CoSell.Application.Abstractions;
using CoSell.Domain.Partners;
using MediatR;

namespace CoSell.Application.Partners;

/// <summary>
/// A partner suspended loses its live feeds at once, not when its users next reconnect: a suspended partner may neither
/// work nor watch an opportunity, and a feed it already had would go on carrying the opportunity's changes.
/// </summary>
public sealed class CloseSuspendedPartnersFeeds(IRepository<Partner> partners, IRealtimeNotifier notifier) : INotificationHandler<DomainEventNotification<PartnerChanged>>
{
    public async Task Handle(DomainEventNotification<PartnerChanged> notification, CancellationToken cancellationToken)
    {
        if (await partners.GetByIdAsync(notification.Event.PartnerId, cancellationToken) is { IsActive: false } suspended)
        {
            await notifier.PartnerSuspendedAsync(suspended.Id, cancellationToken);
        }
    }
}
