using CoSell.Application.Abstractions;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>
/// Sends committed changes to the hub groups allowed to see them. The groups of one message never share a
/// connection (vendor groups hold no partner user), so nobody receives a message twice.
/// </summary>
public sealed class SignalRRealtimeNotifier(IHubContext<CoSellHub, ICoSellClient> hub) : IRealtimeNotifier
{
    public Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken) =>
        hub.Clients.Group(HubGroups.Partner(message.PartnerId)).RegistrationStatusChanged(message);

    public Task OpportunityChangedAsync(OpportunityChangedMessage message, RealtimeAudience audience, CancellationToken cancellationToken) => audience.Kind switch
    {
        RealtimeAudienceKind.Everyone => hub.Clients.Group(HubGroups.Opportunity(message.OpportunityId)).OpportunityChanged(message),
        RealtimeAudienceKind.Vendor => hub.Clients.Group(HubGroups.OpportunityVendor(message.OpportunityId)).OpportunityChanged(message),
        // Vendor watchers and the one partner concerned (its users need not watch: an invitation reaches them before they may).
        _ => hub.Clients.Groups(HubGroups.OpportunityVendor(message.OpportunityId), HubGroups.Partner(audience.PartnerId!.Value)).OpportunityChanged(message),
    };

    public Task NoteAddedAsync(NoteAddedMessage message, CancellationToken cancellationToken) =>
        message.Visibility == nameof(Domain.Opportunities.NoteVisibility.Shared)
            ? hub.Clients.Group(HubGroups.Opportunity(message.OpportunityId)).NoteAdded(message)
            : hub.Clients.Group(HubGroups.OpportunityVendor(message.OpportunityId)).NoteAdded(message);

    public Task ReferralChangedAsync(ReferralChangedMessage message, Guid partnerId, Guid? vendorUserId, CancellationToken cancellationToken) =>
        vendorUserId is { } vendor
            ? hub.Clients.Groups(HubGroups.Partner(partnerId), HubGroups.User(vendor.ToString())).ReferralChanged(message)
            : hub.Clients.Group(HubGroups.Partner(partnerId)).ReferralChanged(message);

    public Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken) =>
        hub.Clients.Groups([.. audience.PartnerIds.Select(HubGroups.Partner), .. audience.UserIds.Select(HubGroups.User)]).ConflictChanged(message);
}
