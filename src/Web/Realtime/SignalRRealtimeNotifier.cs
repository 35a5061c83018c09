using CoSell.Application.Abstractions;
using CoSell.Domain.Users;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>
/// Sends committed changes to the hub groups allowed to see them. The groups of one message never share a
/// connection (vendor groups hold no partner user), so nobody receives a message twice.
/// </summary>
public sealed class SignalRRealtimeNotifier(IHubContext<CoSellHub, ICoSellClient> hub, HubConnections connections) : IRealtimeNotifier
{
    public Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken) =>
        hub.Clients.Group(HubGroups.Partner(message.PartnerId)).RegistrationStatusChanged(message);

    public Task ReviewQueuedAsync(RegistrationStatusMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken) =>
        channelManagerIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Groups([.. channelManagerIds.Distinct().Select(id => HubGroups.User(id.ToString()))]).RegistrationStatusChanged(message);

    public Task ReviewQueueLeftAsync(ReviewQueueLeftMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken) =>
        channelManagerIds.Count == 0
            ? Task.CompletedTask
            : hub.Clients.Groups([.. channelManagerIds.Distinct().Select(id => HubGroups.User(id.ToString()))]).ReviewQueueLeft(message);

    public Task OpportunityChangedAsync(OpportunityChangedMessage message, RealtimeAudience audience, PartnerActor? actor, CancellationToken cancellationToken) => audience.Kind switch
    {
        RealtimeAudienceKind.Everyone => ToEveryone(message.OpportunityId, actor, message, m => m with { Actor = actor!.Unnamed }, (client, m) => client.OpportunityChanged(m)),
        RealtimeAudienceKind.Vendor => hub.Clients.Group(HubGroups.OpportunityVendor(message.OpportunityId)).OpportunityChanged(message),
        // Vendor watchers and the one partner concerned (its users need not watch: an invitation reaches them before they may).
        _ when actor is not null && actor.HiddenFrom(audience.PartnerId!.Value) => Task.WhenAll(
            hub.Clients.Group(HubGroups.OpportunityVendor(message.OpportunityId)).OpportunityChanged(message),
            hub.Clients.Group(HubGroups.Partner(audience.PartnerId!.Value)).OpportunityChanged(message with { Actor = actor.Unnamed })),
        _ => hub.Clients.Groups(HubGroups.OpportunityVendor(message.OpportunityId), HubGroups.Partner(audience.PartnerId!.Value)).OpportunityChanged(message),
    };

    public Task NoteAddedAsync(NoteAddedMessage message, PartnerActor? author, CancellationToken cancellationToken) =>
        message.Visibility == Domain.Opportunities.NoteVisibility.Shared
            ? ToEveryone(message.OpportunityId, author, message, m => m with { Author = author!.Unnamed }, (client, m) => client.NoteAdded(m))
            : hub.Clients.Group(HubGroups.OpportunityVendor(message.OpportunityId)).NoteAdded(message);

    public Task ReferralChangedAsync(ReferralChangedMessage message, Guid partnerId, IReadOnlyList<Guid> vendorUserIds, CancellationToken cancellationToken) =>
        hub.Clients.Groups([HubGroups.Partner(partnerId), .. vendorUserIds.Select(v => HubGroups.User(v.ToString()))]).ReferralChanged(message);

    public Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken) =>
        hub.Clients.Groups([.. audience.PartnerIds.Select(HubGroups.Partner), .. audience.UserIds.Select(HubGroups.User)]).ConflictChanged(message);

    public async Task OwnerChangedAsync(Guid opportunityId, Guid ownerId, CancellationToken cancellationToken)
    {
        // A rep sees only the opportunities it owns; the one who passed this one on leaves its feed, internal notes and all.
        foreach (var former in connections.Watching(opportunityId).Where(c => c.Role == Roles.Rep && c.UserId != ownerId.ToString()).ToList())
        {
            former.Unwatch(opportunityId);
            await HubGroups.LeaveOpportunityAsync(hub.Groups, former.Id, opportunityId, partnerId: null);
        }
    }

    public async Task ParticipationEndedAsync(Guid opportunityId, Guid partnerId, CancellationToken cancellationToken)
    {
        // A partner no longer on the deal leaves its feed: none of its users' connections hears of it again.
        foreach (var former in connections.Watching(opportunityId).Where(c => c.PartnerId == partnerId).ToList())
        {
            former.Unwatch(opportunityId);
            await HubGroups.LeaveOpportunityAsync(hub.Groups, former.Id, opportunityId, partnerId);
        }
    }

    public Task PartnerSuspendedAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        foreach (var connection in connections.OfPartner(partnerId).ToList())
        {
            connection.Abort();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A message for every watcher. Made by a partner's user, it goes as made to the vendor's watchers and that
    /// partner's, and with the user unnamed to the other partners' watchers; made by the arbiter, as made to the vendor's
    /// watchers and unnamed to every partner's; otherwise to the whole feed at once.
    /// </summary>
    private Task ToEveryone<T>(Guid opportunityId, PartnerActor? actor, T message, Func<T, T> unnamed, Func<ICoSellClient, T, Task> send)
    {
        if (actor is null)
        {
            return send(hub.Clients.Group(HubGroups.Opportunity(opportunityId)), message);
        }

        var named = send(
            actor.PartnerId is { } partner
                ? hub.Clients.Groups(HubGroups.OpportunityVendor(opportunityId), HubGroups.OpportunityPartner(opportunityId, partner))
                : hub.Clients.Group(HubGroups.OpportunityVendor(opportunityId)),
            message);
        return actor.OtherPartners.Count == 0
            ? named
            : Task.WhenAll(named, send(hub.Clients.Groups([.. actor.OtherPartners.Select(p => HubGroups.OpportunityPartner(opportunityId, p))]), unnamed(message)));
    }
}
