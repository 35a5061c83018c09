using CoSell.Application.Abstractions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>What the server pushes to clients.</summary>
public interface ICoSellClient
{
    Task RegistrationStatusChanged(RegistrationStatusMessage message);

    Task ConflictChanged(ConflictChangedMessage message);
}

/// <summary>The hub decides membership: each user joins its own group and, for partner users, its partner's group.</summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class CoSellHub : Hub<ICoSellClient>
{
    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.User(user.FindFirst(Identity.CoSellClaims.Subject)!.Value));
        if (Guid.TryParse(user.FindFirst(Identity.CoSellClaims.PartnerId)?.Value, out var partner))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Partner(partner));
        }

        await base.OnConnectedAsync();
    }
}

public static class HubGroups
{
    public static string User(string userId) => $"user:{userId}";

    public static string Partner(Guid partnerId) => $"partner:{partnerId}";
}

/// <summary>Sends committed changes to the groups allowed to see them.</summary>
public sealed class SignalRRealtimeNotifier(IHubContext<CoSellHub, ICoSellClient> hub) : IRealtimeNotifier
{
    public Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken) =>
        hub.Clients.Group(HubGroups.Partner(message.PartnerId)).RegistrationStatusChanged(message);

    public Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken) =>
        hub.Clients.Groups([.. audience.PartnerIds.Select(HubGroups.Partner), .. audience.UserIds.Select(HubGroups.User)]).ConflictChanged(message);
}
