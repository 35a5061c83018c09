using System.Security.Claims;
using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>What the server pushes to clients.</summary>
public interface ICoSellClient
{
    Task RegistrationStatusChanged(RegistrationStatusMessage message);

    /// <summary>A registration left the channel manager's review queue.</summary>
    Task ReviewQueueLeft(ReviewQueueLeftMessage message);

    Task OpportunityChanged(OpportunityChangedMessage message);

    Task NoteAdded(NoteAddedMessage message);

    Task ReferralChanged(ReferralChangedMessage message);

    Task ConflictChanged(ConflictChangedMessage message);
}

/// <summary>
/// The hub decides membership: each user joins its own group and, for partner users, its partner's group; an
/// opportunity's feed only after the server checked the caller may watch it (ADR 0006).
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize]
public sealed class CoSellHub(IMediator mediator, HubConnections connections, HubConnectionOwners owners) : Hub<ICoSellClient>
{
    /// <summary>The same answer for an opportunity that does not exist and one the caller may not watch.</summary>
    internal const string WatchRefused = "You cannot watch this opportunity.";

    public override async Task OnConnectedAsync()
    {
        var viewer = ViewerOf(Context.User!);
        if (viewer.UserId.Length == 0)
        {
            throw new HubException("The token names no user.");
        }

        // A connection that skipped negotiation is counted here, as a negotiated one was when it was negotiated.
        if (!owners.TryStart(Context.ConnectionId, viewer.UserId))
        {
            throw new HubException(HubConnectionOwners.TooManyConnections);
        }

        try
        {
            connections.Add(Context, viewer.UserId, viewer.Role, viewer.PartnerId);
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.User(viewer.UserId));
            // Only a partner user hears its organisation's pushes: a vendor token that happens to carry a partner_id does not.
            if (viewer.PartnerId is { } partner)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Partner(partner));
            }
        }
        catch
        {
            // SignalR calls no OnDisconnectedAsync for a connection whose start failed: what the start recorded is let go here.
            connections.Remove(Context.ConnectionId);
            owners.Ended(Context.ConnectionId);
            throw;
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        owners.Ended(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Joins the opportunity's live feed: its shared events, and the vendor's internal ones for vendor users.</summary>
    public async Task WatchOpportunity(Guid opportunityId)
    {
        // Marked as watching before the check, so that a change of owner committed while the check reads takes this
        // connection off the feed too; if it did, the watch is undone below rather than left joined.
        var connection = connections.Find(Context.ConnectionId);
        connection?.Watch(opportunityId);
        var viewer = ViewerOf(Context.User!);
        WatchGrant? grant;
        try
        {
            grant = await mediator.Send(new CheckOpportunityWatch(opportunityId, viewer), Context.ConnectionAborted);
        }
        catch (Exception refused) when (refused is ForbiddenException or NotFoundException or UnauthenticatedException)
        {
            // A refusal by the pipeline reads like any other: it says neither why nor whether the opportunity exists.
            grant = null;
        }

        if (grant is null)
        {
            // A refusal also leaves the feed: a connection that watched while it still could, and whose mark this refusal
            // clears before a change of owner looked for it, would otherwise stay joined with nothing to take it off.
            connection?.Unwatch(opportunityId);
            await HubGroups.LeaveOpportunityAsync(Groups, Context.ConnectionId, opportunityId, viewer.PartnerId);
            throw new HubException(WatchRefused);
        }

        var partner = viewer.PartnerId;
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Opportunity(opportunityId));
        if (grant.IncludesVendorEvents)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.OpportunityVendor(opportunityId));
        }
        else if (partner is not null)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.OpportunityPartner(opportunityId, partner.Value));
        }

        if (connection is not null && !connection.IsWatching(opportunityId))
        {
            // The right to watch ended while the watch was being granted.
            await HubGroups.LeaveOpportunityAsync(Groups, Context.ConnectionId, opportunityId, partner);
            throw new HubException(WatchRefused);
        }
    }

    public async Task UnwatchOpportunity(Guid opportunityId)
    {
        connections.Find(Context.ConnectionId)?.Unwatch(opportunityId);
        await HubGroups.LeaveOpportunityAsync(Groups, Context.ConnectionId, opportunityId, ViewerOf(Context.User!).PartnerId);
    }

    /// <summary>
    /// No method for clients: a call naming a method the hub does not have is handed here marked by the hub protocol
    /// (<see cref="UnreadableArgumentsProtocol"/>), so that the hub filter refuses and counts it as any refusal. Called by
    /// this name, it is refused alike.
    /// </summary>
    [HubMethodName(UnreadableArgumentsProtocol.UnknownMethod)]
    public Task UnknownMethod() => Task.FromException(new HubException(UnreadableArgumentsProtocol.NoSuchMethod(UnreadableArgumentsProtocol.UnknownMethod)));

    private static Viewer ViewerOf(ClaimsPrincipal user)
    {
        var role = user.FindFirst(CoSellClaims.Role)?.Value ?? string.Empty;
        var partner = Guid.TryParse(user.FindFirst(CoSellClaims.PartnerId)?.Value, out var id) ? id : (Guid?)null;
        return new Viewer(user.CoSellUserId(), role, role == Domain.Users.Roles.Partner ? partner : null);
    }
}

/// <summary>Group names say what they hold.</summary>
public static class HubGroups
{
    public static string User(string userId) => $"user:{userId}";

    public static string Partner(Guid partnerId) => $"partner:{partnerId}";

    /// <summary>Everyone watching the opportunity: its vendor users and its accepted partners.</summary>
    public static string Opportunity(Guid opportunityId) => $"opportunity:{opportunityId}";

    /// <summary>The vendor users watching the opportunity: internal notes and partner-private events go here.</summary>
    public static string OpportunityVendor(Guid opportunityId) => $"opportunity:{opportunityId}:vendor";

    /// <summary>One partner's users watching the opportunity: what another partner's user did reaches them with that user unnamed.</summary>
    public static string OpportunityPartner(Guid opportunityId, Guid partnerId) => $"opportunity:{opportunityId}:partner:{partnerId}";

    /// <summary>Takes a connection off every group of the opportunity's feed.</summary>
    public static async Task LeaveOpportunityAsync(IGroupManager groups, string connectionId, Guid opportunityId, Guid? partnerId)
    {
        await groups.RemoveFromGroupAsync(connectionId, Opportunity(opportunityId));
        await groups.RemoveFromGroupAsync(connectionId, OpportunityVendor(opportunityId));
        if (partnerId is { } partner)
        {
            await groups.RemoveFromGroupAsync(connectionId, OpportunityPartner(opportunityId, partner));
        }
    }
}
