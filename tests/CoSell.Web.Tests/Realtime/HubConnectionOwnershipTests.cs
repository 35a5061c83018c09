using CoSell.Application.Abstractions;
using CoSell.Domain.Opportunities;
using CoSell.Web.Realtime;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests.Realtime;

/// <summary>
/// The owners of the hub's connections, as the hub and its transports keep them: a connection that started is kept
/// while it lives, however long that is, and forgotten when it ends. A host of its own, as these tests move its clock.
/// </summary>
public sealed class HubConnectionOwnershipTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public HubConnectionOwnershipTests(CoSellApp app) => _app = app;

    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    public async Task AConnectionOverAPlainTransport_OutlivesTheSweepOfUnstartedOnes_AndIsForgottenOnceSignalRHasDroppedItsEnd(HttpTransportType transport)
    {
        var owners = _app.Services.GetRequiredService<HubConnectionOwners>();
        var before = owners.Count;
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, $"Long Lived {transport} Ltd", $"long-lived-{transport}.com".ToLowerInvariant());
        var id = Api.Id(opportunity);
        var hub = await _app.HubFor("rep", transport);
        owners.Count.Should().Be(before + 1, "the negotiation named its owner");

        // A hub call is answered only once the connection has started (the handshake's answer may come first).
        await hub.WatchOpportunity(id);

        // Well past the time an unstarted negotiation is kept: the sweep runs, and this connection, started, stays its
        // owner's: its transport requests (the next polls) are still served.
        _app.Time.Advance(HubConnectionOwners.Remembered * 4);
        await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { stage = "develop" }, Api.Version(opportunity));
        (await hub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(id))).Stage.Should().Be(OpportunityStage.Develop);
        owners.Count.Should().Be(before + 1);

        await hub.DisposeAsync();

        // The hub's end is seen a moment after the client's; its owner is kept until SignalR has dropped the connection.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (owners.Count != before && DateTime.UtcNow < deadline)
        {
            _app.Time.Advance(HubConnectionOwners.Remembered);
            await Task.Delay(50);
        }

        owners.Count.Should().Be(before, "an ended connection's owner is forgotten");
    }

    [Fact]
    public async Task AUserHoldingAsManyConnectionsAsItMay_IsRefusedAnother429_UntilThoseNeverStartedAreLetGo()
    {
        var flooder = _app.CreateClient();
        flooder.DefaultRequestHeaders.Authorization = new("Bearer", _app.TokenForUnseeded(Guid.NewGuid(), "rep"));
        var neighbour = _app.CreateClient();
        neighbour.DefaultRequestHeaders.Authorization = new("Bearer", _app.TokenForUnseeded(Guid.NewGuid(), "rep"));
        const string negotiate = "/hubs/cosell/negotiate?negotiateVersion=1";

        for (var i = 0; i < HubConnectionOwners.MaximumPerUser; i++)
        {
            (await flooder.PostAsync(negotiate, null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, $"negotiation {i + 1} is within the limit");
        }

        var refused = await flooder.PostAsync(negotiate, null);
        var problem = await Api.Problem(refused, System.Net.HttpStatusCode.TooManyRequests, "hub.too_many_connections");
        problem["detail"]!.GetValue<string>().Should().Contain($"at most {HubConnectionOwners.MaximumPerUser} hub connections");
        refused.Headers.RetryAfter!.Delta.Should().Be(HubConnectionOwners.PlaceHeldAtMost);
        (await neighbour.PostAsync(negotiate, null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "each user has places of its own");

        // None of the flood's connections started: by the time the refusal named, their places are the user's again.
        _app.Time.Advance(HubConnectionOwners.PlaceHeldAtMost);
        (await flooder.PostAsync(negotiate, null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task AConnectionThatSkipsNegotiation_TakesItsUsersPlaceToo_AndIsRefusedWhenItHasNone()
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        var negotiator = _app.CreateClient();
        negotiator.DefaultRequestHeaders.Authorization = new("Bearer", token);
        for (var i = 0; i < HubConnectionOwners.MaximumPerUser - 1; i++)
        {
            (await negotiator.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        }

        // A WebSocket that skips negotiation takes the last place, and the next one finds none: its start is refused.
        await using var last = await HubClient.ConnectAsync(_app, token);
        var call = () => last.WatchOpportunity(Guid.NewGuid().ToString());
        (await call.Should().ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>()).Which.Message.Should().Contain(CoSellHub.WatchRefused, "the hub answers its calls: it started");
        await using var refused = await HubClient.ConnectAsync(_app, token);
        var closed = await refused.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        closed!.Message.Should().Contain($"at most {HubConnectionOwners.MaximumPerUser} hub connections");
        await Api.Problem(await negotiator.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null), System.Net.HttpStatusCode.TooManyRequests, "hub.too_many_connections");
    }
}
