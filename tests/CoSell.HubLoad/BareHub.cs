using Microsoft.AspNetCore.SignalR;

namespace CoSell.HubLoad;

/// <summary>The baseline: a hub that only joins groups and broadcasts a payload to one, with nothing behind it.</summary>
internal sealed class BareHub : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Broadcast(string group, OpportunityChangedMessage message) => Clients.Group(group).SendAsync("OpportunityChanged", message);
}

internal static class BareHubServer
{
    /// <summary>Runs the bare hub (as a child process of the driver, so both servers run in the same topology).</summary>
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR().AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions));
        var app = builder.Build();
        app.MapGet("/health/ready", () => "ready");
        app.MapHub<BareHub>("/hubs/bare");
        await app.RunAsync();
    }
}
