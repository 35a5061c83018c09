using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using System.Net;
using System.Text.Json.Nodes;
using System.Net.Http.Json;
using System.Security.Claims;
using CoSell.Application.Abstractions;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Identity;
using CoSell.Web.Realtime;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;
using HubException = Microsoft.AspNetCore.SignalR.HubException;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>Real SignalR clients over WebSockets against the test server, each signed in as a demo user.</summary>
public sealed class RealtimeTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public RealtimeTests(CoSellApp app) => _app = app;

    // Before, a partner past its invitation's deadline heard how the deal closed ("the opportunity closed as ClosedWon"),
    // and the expiry service's lapse carried the stage the deal had moved to since.
    [Fact]
    public async Task APartnerPastItsInvitationsDeadline_HearsNothingOfTheDeal_HowItClosesOrWhereItMoved()
    {
        var rep = await _app.ClientFor("rep");
        var closing = Api.Id(await OpenDirect(rep, _app, "Deadline Closers Inc", "deadline-closers.com"));
        var moving = Api.Id(await OpenDirect(rep, _app, "Late Stage Movers Inc", "late-stage-movers.com"));
        await Invite(rep, closing, Northwind);
        await Invite(rep, moving, Northwind);
        await using var northwindHub = await _app.HubFor("partner.northwind");
        _app.Time.Advance(TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));

        await Api.PatchOk(rep, $"/api/v1/opportunities/{closing}", new { stage = "closedWon" }, Api.Version(await Api.Get(rep, $"/api/v1/opportunities/{closing}")));
        await Api.PatchOk(rep, $"/api/v1/opportunities/{moving}", new { stage = "negotiate" }, Api.Version(await Api.Get(rep, $"/api/v1/opportunities/{moving}")));
        await _app.Services.GetRequiredService<CoSell.Infrastructure.Opportunities.InvitationExpiryService>().RunOnceAsync(CancellationToken.None);
        await Marker(rep, northwindHub, Northwind);

        northwindHub.All<OpportunityChangedMessage>().Should().NotContain(m => m.OpportunityId == Guid.Parse(closing) || m.OpportunityId == Guid.Parse(moving));
        Summaries(await Api.Get(rep, $"/api/v1/opportunities/{closing}/timeline")).Should()
            .Contain(line => line.StartsWith("The invitation expired unanswered at ", StringComparison.Ordinal))
            .And.NotContain("The invitation lapsed: the opportunity closed as ClosedWon.");
        Types(await Api.Get(rep, $"/api/v1/opportunities/{moving}/timeline")).Should().EndWith("opportunity.invitation_expired");
    }

    [Fact]
    public async Task RepChangesTheStage_ThePartnersClientReceivesIt_AndAnotherPartnerReceivesNothing()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Live Stage Ltd", "live-stage.com");
        var id = Api.Id(opportunity);
        await using var partnerHub = await _app.HubFor("partner.northwind");
        await using var otherHub = await _app.HubFor("partner.fabrikam");
        await partnerHub.WatchOpportunity(id);
        await FluentActions.Awaiting(() => otherHub.WatchOpportunity(id)).Should().ThrowAsync<HubException>();

        var moved = await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { stage = "develop" }, Api.Version(opportunity));

        var message = await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(id));
        message.Stage.Should().Be(OpportunityStage.Develop);
        message.Type.Should().Be("opportunity.stage_changed");
        message.Version.Should().Be(Api.Version(moved));
        message.At.Offset.Should().Be(TimeSpan.Zero);

        await Marker(rep, otherHub, Fabrikam);
        otherHub.All<OpportunityChangedMessage>().Should().BeEmpty();
        otherHub.All<NoteAddedMessage>().Should().BeEmpty();
    }

    // Before, a change of several fields and the stage pushed each field's message with the stage as it stood before the
    // move, at the version the move made: a client keeping the newest version showed a stage the deal had left.
    [Fact]
    public async Task AChangeOfSeveralFieldsAndTheStage_PushesEveryMessageOfItsVersion_WithTheStageARead_AtThatVersionAnswers()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Many Fields Moved Ltd", "many-fields-moved.com");
        var id = Api.Id(opportunity);
        await using var partnerHub = await _app.HubFor("partner.northwind");
        await partnerHub.WatchOpportunity(id);

        var moved = await Api.PatchOk(rep, $"/api/v1/opportunities/{id}",
            new { amount = new { amount = 61000, currency = "USD" }, nextStep = "Demo", stage = "develop" }, Api.Version(opportunity));
        await Marker(rep, partnerHub, Northwind);

        var messages = partnerHub.All<OpportunityChangedMessage>().Where(m => m.OpportunityId == Guid.Parse(id)).ToList();
        messages.Select(m => m.Type).Should().Contain(["opportunity.amount_changed", "opportunity.next_step_changed", "opportunity.stage_changed"]);
        messages.Should().OnlyContain(m => m.Version == Api.Version(moved) && m.Stage == OpportunityStage.Develop);
        ((string?)moved["stage"]).Should().Be("develop");
    }

    [Theory]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task AClientWithoutWebSockets_ReceivesChangesOverItsTransport(HttpTransportType transport)
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, $"Plain Transport {transport} Ltd", $"plain-{transport}.com".ToLowerInvariant());
        var id = Api.Id(opportunity);
        await using var partnerHub = await _app.HubFor("partner.northwind", transport);
        await partnerHub.WatchOpportunity(id);

        await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { stage = "develop" }, Api.Version(opportunity));

        (await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(id))).Stage.Should().Be(OpportunityStage.Develop);
    }

    [Theory]
    [InlineData("GET", "/hubs/cosell", HttpStatusCode.BadRequest, "bad_request", "Connection ID required.")]
    [InlineData("POST", "/hubs/cosell?id=no-such-connection", HttpStatusCode.NotFound, "not_found", "No Connection with that ID.")]
    [InlineData("DELETE", "/hubs/cosell?id=no-such-connection", HttpStatusCode.NotFound, "not_found", "No Connection with that ID.")]
    [InlineData("PUT", "/hubs/cosell", HttpStatusCode.MethodNotAllowed, "method_not_allowed", null)]
    public async Task TheHubsTransportErrors_AreProblems(string method, string path, HttpStatusCode status, string code, string? detail)
    {
        var rep = await _app.ClientFor("rep");

        var problem = await Api.Problem(await rep.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), status, code);

        ((string?)problem["detail"]).Should().Be(detail);
    }

    // Before, SignalR's 405s named no method the resource takes (RFC 9110 15.5.6), as every other 405 of the service does.
    [Theory]
    [InlineData("PUT", "/hubs/cosell/negotiate", "POST")]
    [InlineData("GET", "/hubs/cosell/negotiate", "POST")]
    [InlineData("PUT", "/hubs/cosell", "GET, POST, DELETE")]
    public async Task TheHubs405s_NameTheMethodsTheyTake(string method, string path, string allowed)
    {
        var rep = await _app.ClientFor("rep");

        var refused = await rep.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.Problem(refused, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        string.Join(", ", refused.Content.Headers.Allow).Should().Be(allowed);
    }

    [Fact]
    public async Task AConnectionsToken_ServesOnlyTheUserWhoNegotiatedIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var negotiated = await Api.Body(await northwind.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null));
        var connection = $"/hubs/cosell?id={negotiated["connectionToken"]!.GetValue<string>()}";
        using var handshake = new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e");

        // Another partner's user presenting the token: no poll, no send, no close, and no sign the connection exists.
        (await Api.Problem(await fabrikam.GetAsync(connection), HttpStatusCode.NotFound, "not_found"))["detail"]!.GetValue<string>().Should().Be("No Connection with that ID.");
        await Api.Problem(await fabrikam.PostAsync(connection, handshake), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.DeleteAsync(connection), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.GetAsync("/hubs/cosell?id=not-a-connection"), HttpStatusCode.NotFound, "not_found");

        // The user who negotiated it is served, with a fresh token of the same user too.
        var sameUser = await _app.ClientFor("partner.northwind");
        (await sameUser.PostAsync(connection, handshake)).StatusCode.Should().Be(HttpStatusCode.OK);
        // The first poll starts the transport and answers at once; the next one reads the handshake's answer.
        (await northwind.GetAsync(connection)).StatusCode.Should().Be(HttpStatusCode.OK);
        var poll = await northwind.GetAsync(connection);
        poll.StatusCode.Should().Be(HttpStatusCode.OK);
        (await poll.Content.ReadAsStringAsync()).Should().StartWith("{}\u001e");
        (await northwind.DeleteAsync(connection)).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task ANegotiationWithATrailingSlash_NamesItsOwnerToo_AndAnEmptyIdIsSignalRs400()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var negotiated = await Api.Body(await northwind.PostAsync("/hubs/cosell/negotiate/?negotiateVersion=1", null));
        var connection = $"/hubs/cosell?id={negotiated["connectionToken"]!.GetValue<string>()}";

        (await northwind.GetAsync(connection)).StatusCode.Should().Be(HttpStatusCode.OK, "the owner polls the connection it negotiated");
        await Api.Problem(await (await _app.ClientFor("partner.fabrikam")).GetAsync(connection), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await northwind.PostAsync("/hubs/cosell/negotiate/?negotiateVersion=x", null), HttpStatusCode.BadRequest, "validation_failed");
        (await Api.Problem(await northwind.GetAsync("/hubs/cosell?id="), HttpStatusCode.BadRequest, "bad_request"))["detail"]!.GetValue<string>().Should().Be("Connection ID required.");
        await northwind.DeleteAsync(connection);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1&negotiateVersion=1")]
    [InlineData("99999999999")]
    [InlineData("1%00")]
    [InlineData("1%00%00%00")]
    public async Task ANegotiationWithAnUnreadableVersion_Is400NamingIt(string version)
    {
        var rep = await _app.ClientFor("rep");

        var problem = await Api.Problem(await rep.PostAsync($"/hubs/cosell/negotiate?negotiateVersion={version}", null), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["negotiateVersion"].Should().NotBeNull();
    }

    [Fact]
    public async Task ANegotiationWithAnUnreadableVersion_WithoutAToken_Is401()
    {
        var anonymous = _app.CreateClient();

        await Api.Problem(await anonymous.PostAsync("/hubs/cosell/negotiate?negotiateVersion=abc", null), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("/hubs/cosell/negotiate")]
    [InlineData("/hubs/cosell/negotiate?negotiateVersion=1")]
    [InlineData("/hubs/cosell/negotiate?negotiateVersion=7")]
    public async Task ANegotiationWithAReadableVersionOrNone_Succeeds(string path)
    {
        var rep = await _app.ClientFor("rep");

        var negotiated = await Api.Body(await rep.PostAsync(path, null));

        negotiated["availableTransports"]!.AsArray().Should().NotBeEmpty();
        negotiated["error"].Should().BeNull();
    }

    [Fact]
    public async Task ALongPollingMessageOverTheBodyLimit_Is413()
    {
        var rep = await _app.ClientFor("rep");
        var negotiated = await Api.Body(await rep.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null));
        using var oversized = new ByteArrayContent(new byte[300 * 1024]);

        var answer = await rep.PostAsync($"/hubs/cosell?id={negotiated["connectionToken"]!.GetValue<string>()}", oversized);

        (await Api.Problem(answer, HttpStatusCode.RequestEntityTooLarge, "payload_too_large"))["detail"]!.GetValue<string>().Should().Contain("256 KiB");
    }

    [Fact]
    public async Task PartnerAddsASharedNote_TheRepReceivesIt_InternalNotesReachNoPartner()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Live Notes Ltd", "live-notes.com");
        var id = Api.Id(opportunity);
        var notes = $"/api/v1/opportunities/{id}/notes";
        await using var repHub = await _app.HubFor("rep");
        await using var partnerHub = await _app.HubFor("partner.northwind");
        await using var otherHub = await _app.HubFor("partner.fabrikam");
        await repHub.WatchOpportunity(id);
        await partnerHub.WatchOpportunity(id);

        await Api.Post(northwind, notes, new { visibility = "shared", body = "Customer wants a pilot." }, HttpStatusCode.Created);
        var shared = await repHub.WaitFor<NoteAddedMessage>(m => m.Body == "Customer wants a pilot.");
        shared.Visibility.Should().Be(NoteVisibility.Shared);
        shared.OpportunityId.Should().Be(Guid.Parse(id));

        await Api.Post(rep, notes, new { visibility = "internal", body = "Discount ceiling 12%." }, HttpStatusCode.Created);
        await repHub.WaitFor<NoteAddedMessage>(m => m.Body == "Discount ceiling 12%." && m.Visibility == NoteVisibility.Internal);
        await Api.Post(rep, notes, new { visibility = "shared", body = "Pilot approved." }, HttpStatusCode.Created);

        // The partner receives the later shared note, so the internal one before it would have arrived first.
        await partnerHub.WaitFor<NoteAddedMessage>(m => m.Body == "Pilot approved.");
        partnerHub.All<NoteAddedMessage>().Select(m => m.Body).Should().Equal("Customer wants a pilot.", "Pilot approved.");

        await Marker(rep, otherHub, Fabrikam);
        otherHub.All<NoteAddedMessage>().Should().BeEmpty();
        otherHub.All<OpportunityChangedMessage>().Should().BeEmpty();
    }

    [Fact]
    public async Task WatchingIsRefused_ForAnOpportunityOneDoesNotParticipateIn_AForgedId_OrAnUnacceptedInvitation()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Refused Watch Co", "refused-watch.com");
        var id = Api.Id(opportunity);
        await Invite(rep, id, Adatum);
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var adatumHub = await _app.HubFor("partner.adatum");
        await using var arbiterHub = await _app.HubFor("arbiter");
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;

        var foreign = await FluentActions.Awaiting(() => northwindHub.WatchOpportunity(id)).Should().ThrowAsync<HubException>();
        var forged = await FluentActions.Awaiting(() => northwindHub.WatchOpportunity(Guid.NewGuid().ToString())).Should().ThrowAsync<HubException>();
        foreign.Which.Message.Should().Be(forged.Which.Message, "a refusal does not tell whether the opportunity exists");
        await FluentActions.Awaiting(() => adatumHub.WatchOpportunity(id)).Should().ThrowAsync<HubException>("an invitation not yet accepted");
        await FluentActions.Awaiting(() => northwindHub.Connection.InvokeAsync("WatchOpportunity", "not-a-guid")).Should().ThrowAsync<HubException>();
        await arbiterHub.WatchOpportunity(id);
        await using var otherRepHub = await HubClient.ConnectAsync(_app, _app.TokenForUnseeded(Guid.NewGuid(), "rep"));
        await FluentActions.Awaiting(() => otherRepHub.WatchOpportunity(id)).Should().ThrowAsync<HubException>("another rep's opportunity");
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty("a refused watch is the caller's mistake, not a fault of the service");
    }

    [Fact]
    public async Task ATokenJustPastItsExpiry_StillReadsTheApi_ButOpensNoFeed_WhichItsExpiryWouldCloseAtOnce()
    {
        var token = Tokens.Mint(_app, notBefore: DateTime.UtcNow.AddMinutes(-5), expires: DateTime.UtcNow.AddSeconds(-5));
        var client = Tokens.ClientWith(_app, token);
        (await client.GetAsync("/api/v1/registrations")).StatusCode.Should().Be(HttpStatusCode.OK, "the API allows for clocks 30 s apart");

        var refused = await Api.Problem(await client.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null), HttpStatusCode.Unauthorized, "unauthenticated");

        refused["detail"]!.GetValue<string>().Should().Be("The token has expired: sign in again.");
        await FluentActions.Awaiting(() => HubClient.ConnectAsync(_app, token)).Should().ThrowAsync<Exception>("a WebSocket with the token in its query opens no feed either");
        await FluentActions.Awaiting(() => HubClient.ConnectAsync(_app, token, HttpTransportType.LongPolling)).Should().ThrowAsync<HttpRequestException>()
            .Where(e => e.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    public async Task AConnectionProbingIds_IsClosedCleanlyAtItsHundredthRefusal_AndMayConnectAgain(HttpTransportType transport)
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        await using var prober = await HubClient.ConnectAsync(_app, token, transport);

        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            await FluentActions.Awaiting(() => prober.WatchOpportunity(Guid.NewGuid().ToString())).Should().ThrowAsync<HubException>();
        }

        // The hundredth refusal says so, then closes the connection.
        (await FluentActions.Awaiting(() => prober.WatchOpportunity(Guid.NewGuid().ToString())).Should().ThrowAsync<HubException>())
            .Which.Message.Should().EndWith(HubFailureLogging.Closing);

        // The client reads the hub's close as one, over every transport: a long poll's last request is its owner's.
        (await prober.Closed.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeNull();
        await using var again = await HubClient.ConnectAsync(_app, token, transport);
        await FluentActions.Awaiting(() => again.WatchOpportunity(Guid.NewGuid().ToString())).Should().ThrowAsync<HubException>("a new connection starts a new count");
    }

    [Fact]
    public async Task AConnectionSendingArgumentsOfTheWrongType_IsRefusedAndCountedLikeAnyRefusal_AndClosedAtTheHundredth()
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        await using var prober = await HubClient.ConnectAsync(_app, token);
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;
        object?[][] unreadable = [[123], ["not-a-guid"], [null], [new { id = 1 }]];

        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            var refused = await FluentActions.Awaiting(() => prober.Connection.InvokeCoreAsync("WatchOpportunity", unreadable[i % unreadable.Length]))
                .Should().ThrowAsync<HubException>();
            refused.Which.Message.Should().Contain("WatchOpportunity").And.Contain("cannot be read");
        }

        prober.Connection.State.Should().Be(HubConnectionState.Connected, "99 refusals leave the connection open");
        await FluentActions.Awaiting(() => prober.Connection.InvokeCoreAsync("WatchOpportunity", [456])).Should().ThrowAsync<Exception>();
        await prober.WaitUntilClosed(TimeSpan.FromSeconds(30));
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty("an unreadable call is the caller's mistake, not a fault of the service");

        await using var again = await HubClient.ConnectAsync(_app, token);
        await FluentActions.Awaiting(() => again.Connection.InvokeCoreAsync("WatchOpportunity", ["not-a-guid"])).Should().ThrowAsync<HubException>("a new connection starts a new count");
    }

    [Fact]
    public async Task ACallToAMethodTheHubDoesNotHave_IsRefusedAndCountedLikeAnyRefusal_AndClosedAtTheHundredth()
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        await using var prober = await HubClient.ConnectAsync(_app, token);
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;
        string[] unknown = ["DropDatabase", "WatchOpportunities", "Watch Opportunity"];

        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            var method = unknown[i % unknown.Length];
            if (i % 3 == 2)
            {
                // Sent without waiting for an answer: none comes, but it counts all the same.
                await prober.Connection.SendCoreAsync(method, []);
                continue;
            }

            var refused = await FluentActions.Awaiting(() => prober.Connection.InvokeCoreAsync(method, [Guid.NewGuid()]))
                .Should().ThrowAsync<HubException>();
            refused.Which.Message.Should().EndWith($"HubException: The hub has no method {method}.");
        }

        prober.Connection.State.Should().Be(HubConnectionState.Connected, "99 refusals leave the connection open");
        await FluentActions.Awaiting(() => prober.Connection.InvokeCoreAsync("DropDatabase", [])).Should().ThrowAsync<Exception>();
        await prober.WaitUntilClosed(TimeSpan.FromSeconds(30));
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty("a call to no method is the caller's mistake, not a fault of the service");
    }

    [Fact]
    public async Task AStreamingCallToAMethodThatDoesNotStream_IsRefusedAndCountedLikeAnyRefusal_AndClosedAtTheHundredth()
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        await using var prober = await HubClient.ConnectAsync(_app, token);
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;
        object?[][] arguments = [[Guid.NewGuid()], ["not-a-guid"], []];

        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            var refused = await FluentActions.Awaiting(() => Drain(prober.Connection.StreamAsyncCore<object>("WatchOpportunity", arguments[i % arguments.Length])))
                .Should().ThrowAsync<HubException>();
            refused.Which.Message.Should().EndWith("HubException: WatchOpportunity does not stream: call it with a plain invocation.");
        }

        prober.Connection.State.Should().Be(HubConnectionState.Connected, "99 refusals leave the connection open");
        await FluentActions.Awaiting(() => Drain(prober.Connection.StreamAsyncCore<object>("UnwatchOpportunity", [Guid.NewGuid()]))).Should().ThrowAsync<Exception>();
        await prober.WaitUntilClosed(TimeSpan.FromSeconds(30));
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty("a call of the wrong kind is the caller's mistake, not a fault of the service");

        static async Task Drain(IAsyncEnumerable<object> stream)
        {
            await foreach (var _ in stream)
            {
            }
        }
    }

    [Fact]
    public async Task ANonBlockingCallToAMethodTheHubDoesNotHave_IsAnsweredWithNothing_ButCounted()
    {
        using var hub = await RawHubAsync();
        var socket = hub.Socket;
        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 2; i++)
        {
            await SendFrame(socket, """{"type":1,"target":"DropDatabase","arguments":[]}""");
        }

        // Calls are answered in turn: the first answer is the probe's, so none of the 98 before it was answered.
        await SendFrame(socket, $$"""{"type":1,"invocationId":"probe","target":"UnwatchOpportunity","arguments":["{{Guid.NewGuid()}}"]}""");
        (await ReceiveRecords(socket)).Should().Equal("""{"type":3,"invocationId":"probe","result":null}""");

        // The 99th and 100th refusals: the hundredth closes the connection.
        await SendFrame(socket, """{"type":1,"target":"DropDatabase","arguments":[]}""");
        await SendFrame(socket, """{"type":1,"invocationId":"last","target":"DropDatabase","arguments":[]}""");
        var answers = await AnswersUntilClosed(socket);

        answers.Should().OnlyContain(a => a.Contains("\"invocationId\":\"last\"", StringComparison.Ordinal) || a.StartsWith("{\"type\":7", StringComparison.Ordinal) || a == "{\"type\":6}");
    }

    // Before, SignalR's reader stopped at its 64 levels of nesting and the connection was closed, the call neither refused
    // as unreadable nor counted.
    [Theory]
    [InlineData("WatchOpportunity", "The arguments of WatchOpportunity cannot be read")]
    [InlineData("DropDatabase", "The hub has no method DropDatabase.")]
    public async Task ACallWithArgumentsNestedDeeperThanSignalRReads_IsRefusedAsUnreadable_AndTheConnectionGoesOn(string target, string refusal)
    {
        using var hub = await RawHubAsync();
        var socket = hub.Socket;
        var nested = new string('[', 200) + new string(']', 200);

        await SendFrame(socket, $$"""{"arguments":[{{nested}}],"type":1,"invocationId":"deep","target":"{{target}}"}""");
        var answer = (await ReceiveRecords(socket)).Should().ContainSingle().Subject;
        answer.Should().Contain("\"invocationId\":\"deep\"").And.Contain(refusal);

        await SendFrame(socket, $$"""{"type":1,"invocationId":"after","target":"UnwatchOpportunity","arguments":["{{Guid.NewGuid()}}"]}""");
        (await ReceiveRecords(socket)).Should().Equal("""{"type":3,"invocationId":"after","result":null}""");
    }

    // Before, the call behind a message of an unknown type went unanswered: SignalR passed over the message and stopped
    // reading, and what followed waited for more to come.
    [Fact]
    public async Task AMessageOfATypeTheHubDoesNotKnow_IsPassedOver_AndTheCallBehindItIsAnswered()
    {
        using var hub = await RawHubAsync();
        var socket = hub.Socket;

        await SendFrame(socket, """{"type":99}""" + "\u001e" + $$"""{"type":1,"invocationId":"behind","target":"UnwatchOpportunity","arguments":["{{Guid.NewGuid()}}"]}""");

        (await ReceiveRecords(socket)).Should().Equal("""{"type":3,"invocationId":"behind","result":null}""");
    }

    // Only the arguments' nesting is read as their being unreadable: a call SignalR refuses for another reason (headers
    // that are no object) still breaks the protocol, and is not told its readable arguments cannot be read.
    [Fact]
    public async Task ACallSignalRCannotReadForAnotherReasonThanItsArgumentsNesting_IsNotToldItsArgumentsCannotBeRead()
    {
        using var hub = await RawHubAsync();

        await SendFrame(hub.Socket, $$"""{"type":1,"invocationId":"b","target":"UnwatchOpportunity","arguments":["{{Guid.NewGuid()}}"],"headers":5}""");

        (await AnswersUntilClosed(hub.Socket)).Should().NotContain(a => a.Contains("cannot be read", StringComparison.Ordinal))
            .And.Contain(a => a.StartsWith("{\"type\":7", StringComparison.Ordinal));
    }

    // Before, a passed-over message stayed in what SignalR read next, so a call of nearly its greatest size behind it was
    // over the size and closed the connection.
    [Fact]
    public async Task ACallOfNearlyTheGreatestSizeBehindAMessageOfAnUnknownType_IsAnswered()
    {
        using var hub = await RawHubAsync();
        var call = $$$"""{"type":1,"invocationId":"big","target":"UnwatchOpportunity","arguments":["{{{Guid.NewGuid()}}}"],"headers":{"pad":"PAD"}}""";
        call = call.Replace("PAD", new string('x', 32_760 - call.Length), StringComparison.Ordinal);

        await SendFrame(hub.Socket, """{"type":99}""" + "\u001e" + call);

        (await ReceiveRecords(hub.Socket)).Should().Equal("""{"type":3,"invocationId":"big","result":null}""");
    }

    // Before, calls sent after the hundredth refusal ran, database reads and all, until the connection closed.
    [Fact]
    public async Task CallsSentAfterTheHundredthRefusal_AreRefusedWithoutRunning_UntilTheConnectionCloses()
    {
        using var hub = await RawHubAsync();
        var socket = hub.Socket;
        for (var i = 0; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            await SendFrame(socket, """{"type":1,"target":"DropDatabase","arguments":[]}""");
        }

        // The hundredth, and right behind it calls that would otherwise be answered (unwatching is always allowed).
        await SendFrame(socket, """{"type":1,"invocationId":"last","target":"DropDatabase","arguments":[]}""");
        for (var i = 0; i < 5; i++)
        {
            await SendFrame(socket, $$"""{"type":1,"invocationId":"after-{{i}}","target":"UnwatchOpportunity","arguments":["{{Guid.NewGuid()}}"]}""");
        }

        var answers = await AnswersUntilClosed(socket);

        answers.Should().Contain(a => a.Contains("\"invocationId\":\"last\"", StringComparison.Ordinal) && a.Contains(HubFailureLogging.Closing, StringComparison.Ordinal));
        // They arrive well inside the time the hundredth answer is given before the close; any answered is refused.
        answers.Where(a => a.Contains("\"invocationId\":\"after-", StringComparison.Ordinal))
            .Should().OnlyContain(a => a.Contains("\"error\"", StringComparison.Ordinal) && a.Contains(HubFailureLogging.Closing, StringComparison.Ordinal), "none of them runs");
    }

    [Fact]
    public async Task ACallSendingStreamsNoMethodTakes_IsRefusedAndCounted_AndANameThatCouldForgeTheLogIsNotSaidBack()
    {
        using var hub = await RawHubAsync();
        var socket = hub.Socket;
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;
        // A long name of line breaks, said back, would write lines of the caller's into the log.
        var forged = $"A\\r\\nERROR forged line {new string('x', 30_000)}";
        await SendFrame(socket, $$"""{"type":1,"invocationId":"forged","target":"{{forged}}","arguments":[]}""");
        var answer = (await ReceiveRecords(socket)).Should().ContainSingle().Subject;
        answer.Should().Contain("\"invocationId\":\"forged\"").And.EndWith("The hub has no method by the name sent.\"}");
        answer.Length.Should().BeLessThan(300, "thirty thousand characters of name are not said back");

        // Readable arguments, with a stream no method takes: SignalR alone would refuse it, uncounted, for ever.
        for (var i = 1; i < HubFailureLogging.MaximumRefusals - 1; i++)
        {
            await SendFrame(socket, $$"""{"type":1,"invocationId":"{{i}}","target":"WatchOpportunity","arguments":["{{Guid.NewGuid()}}"],"streamIds":["s-{{i}}"]}""");
            (await ReceiveRecords(socket)).Should().ContainSingle().Which.Should()
                .Contain($"\"invocationId\":\"{i}\"").And.Contain("WatchOpportunity takes no stream from its caller");
        }

        // The hundredth closes the connection.
        await SendFrame(socket, """{"type":1,"invocationId":"last","target":"WatchOpportunity","arguments":[],"streamIds":["s-last"]}""");
        var answers = await AnswersUntilClosed(socket);

        answers.Should().Contain(a => a.StartsWith("{\"type\":7", StringComparison.Ordinal));
        answers.Should().Contain(a => a.Contains("\"invocationId\":\"last\"", StringComparison.Ordinal) && a.Contains(HubFailureLogging.Closing, StringComparison.Ordinal),
            "the hundredth refusal is answered before the connection closes");
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty();
    }

    [Fact]
    public async Task ARealMethod_StillWorksAfterAFewRefusals_AndIsMatchedIgnoringCase()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Refused Then Watched Ltd", "refused-then-watched.com");
        var id = Api.Id(opportunity);
        await using var partnerHub = await _app.HubFor("partner.northwind");
        var errorsBefore = _app.Logs.AtOrAbove(LogEventLevel.Error).Count;

        (await FluentActions.Awaiting(() => partnerHub.Connection.InvokeCoreAsync("DropDatabase", [])).Should().ThrowAsync<HubException>())
            .Which.Message.Should().EndWith("HubException: The hub has no method DropDatabase.");
        await partnerHub.Connection.SendCoreAsync("DropDatabase", []);
        (await FluentActions.Awaiting(async () =>
        {
            await foreach (var _ in partnerHub.Connection.StreamAsyncCore<object>("WatchOpportunity", [Guid.Parse(id)]))
            {
            }
        }).Should().ThrowAsync<HubException>()).Which.Message.Should().EndWith("HubException: WatchOpportunity does not stream: call it with a plain invocation.");
        await FluentActions.Awaiting(() => partnerHub.Connection.InvokeCoreAsync("WatchOpportunity", ["not-a-guid"])).Should().ThrowAsync<HubException>();
        await partnerHub.Connection.InvokeAsync("watchopportunity", Guid.Parse(id));
        var moved = await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { stage = "develop" }, Api.Version(opportunity));

        (await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(id))).Version.Should().Be(Api.Version(moved));
        await partnerHub.Connection.InvokeAsync("UnwatchOpportunity", Guid.Parse(id));
        _app.Logs.AtOrAbove(LogEventLevel.Error).Skip(errorsBefore).Should().BeEmpty();
    }

    private static Task SendFrame(System.Net.WebSockets.WebSocket socket, string json) =>
        socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json + "\u001e"), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>A hub connection of a rep spoken to in raw JSON frames, aborted when disposed: a socket left open would hold the test server's shutdown.</summary>
    private sealed class RawHub(System.Net.WebSockets.WebSocket socket) : IDisposable
    {
        public System.Net.WebSockets.WebSocket Socket => socket;

        public void Dispose()
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    /// <summary>A hub connection of a rep spoken to in raw JSON frames, past the protocol handshake.</summary>
    private async Task<RawHub> RawHubAsync()
    {
        var token = _app.TokenForUnseeded(Guid.NewGuid(), "rep");
        var uri = new UriBuilder(_app.Server.BaseAddress) { Scheme = "ws", Path = "/hubs/cosell", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        var socket = await _app.Server.CreateWebSocketClient().ConnectAsync(uri, CancellationToken.None);
        try
        {
            await SendFrame(socket, """{"protocol":"json","version":1}""");
            (await ReceiveRecords(socket)).Should().Equal("{}");
            return new RawHub(socket);
        }
        catch
        {
            // A socket left open would hold the test server's shutdown.
            socket.Abort();
            throw;
        }
    }

    /// <summary>What a connection the hundredth refusal closes still answers before it closes.</summary>
    private static async Task<List<string>> AnswersUntilClosed(System.Net.WebSockets.WebSocket socket)
    {
        var answers = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ReceiveRecords(socket) is { Count: > 0 } records)
        {
            answers.AddRange(records);
            (DateTime.UtcNow < deadline).Should().BeTrue("the hundredth refusal closes the connection, which still answers: {0}", string.Join(" ", answers));
        }

        return answers;
    }

    /// <summary>The records of one message the server sent (none once it closed), failing after 30 s.</summary>
    private static async Task<List<string>> ReceiveRecords(System.Net.WebSockets.WebSocket socket)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        System.Net.WebSockets.WebSocketReceiveResult received;
        do
        {
            try
            {
                // The test server's sockets do not heed a cancellation token.
                received = await socket.ReceiveAsync(chunk, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                return [];
            }

            buffer.Write(chunk, 0, received.Count);
        }
        while (!received.EndOfMessage);

        return received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close
            ? []
            : [.. System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Split('\u001e', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public async Task HubRefusesAConnectionWithoutAToken_OrWithAForgedOne()
    {
        (await FluentActions.Awaiting(() => HubClient.ConnectAsync(_app, null)).Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("401");
        var forged = (await _app.TokenFor("partner.northwind"))[..^4] + "AAAA";
        (await FluentActions.Awaiting(() => HubClient.ConnectAsync(_app, forged)).Should().ThrowAsync<Exception>()).Which.Message.Should().Contain("401");
    }

    [Fact]
    public async Task RolledBackChanges_SendNothing()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Rolled Back Inc", "rolled-back.com");
        var id = Api.Id(opportunity);
        var path = $"/api/v1/opportunities/{id}";
        await using var partnerHub = await _app.HubFor("partner.northwind");
        await using var repHub = await _app.HubFor("rep");
        await partnerHub.WatchOpportunity(id);
        await repHub.WatchOpportunity(id);
        var current = await Api.PatchOk(rep, path, new { stage = "propose" }, Api.Version(opportunity));
        await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.Stage == OpportunityStage.Propose);

        // A stale If-Match (412) and a patch whose stage move is illegal after a field change (409) commit nothing.
        await Api.Problem(await Api.Patch(rep, path, new { nextStep = "Stale write" }, Api.Version(opportunity)), HttpStatusCode.PreconditionFailed);
        await Api.Problem(await Api.Patch(rep, path, new { nextStep = "Half a change", stage = "qualify" }, Api.Version(current)), HttpStatusCode.Conflict);
        await Api.Problem(await northwind.PostAsJsonAsync($"{path}/notes", new { visibility = "shared", body = new string('x', 4001) }), HttpStatusCode.BadRequest);

        await Api.PatchOk(rep, path, new { nextStep = "Committed" }, Api.Version(current));
        await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.Summary == "Next step: Committed");
        await repHub.WaitFor<OpportunityChangedMessage>(m => m.Summary == "Next step: Committed");
        foreach (var hub in new[] { partnerHub, repHub })
        {
            hub.All<OpportunityChangedMessage>().Select(m => m.Summary).Should().NotContain(s => s.Contains("Stale write") || s.Contains("Half a change"));
            hub.All<OpportunityChangedMessage>().Where(m => m.Type == "opportunity.stage_changed").Should().ContainSingle();
            hub.All<NoteAddedMessage>().Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Invitation_ReachesTheInvitedPartnersUsersBeforeTheyMayWatch_AndNoOtherPartner()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Invite Push GmbH", "invite-push.de");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var repHub = await _app.HubFor("rep");
        await repHub.WatchOpportunity(Api.Id(opportunity));

        await Invite(rep, Api.Id(opportunity), Fabrikam);

        var invited = await fabrikamHub.WaitFor<OpportunityChangedMessage>(m => m.Type == "opportunity.partner_invited");
        invited.Summary.Should().Contain("Fabrikam Consulting");
        await repHub.WaitFor<OpportunityChangedMessage>(m => m.Type == "opportunity.partner_invited");
        await Marker(rep, northwindHub, Northwind);
        northwindHub.All<OpportunityChangedMessage>().Should().BeEmpty();
    }

    [Fact]
    public async Task ReferralChanges_ReachTheReferralsParties_AndNotOtherPartners()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        await using var repHub = await _app.HubFor("rep");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var adatumHub = await _app.HubFor("partner.adatum");

        var sent = await Api.Post(rep, "/api/v1/referrals", new
        {
            partnerId = Northwind,
            customer = new { name = "Pushed Lead Inc", domain = "pushed-lead.com", country = "US" },
            contact = new { name = "Pat Prospect", email = "pat@pushed-lead.com" },
        }, HttpStatusCode.Created);
        var id = Guid.Parse(Api.Id(sent));
        var arrived = await northwindHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.Type == "referral.sent");
        await Api.Post(northwind, $"/api/v1/referrals/{id}/accept");
        await repHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);

        await Marker(rep, adatumHub, Adatum);
        adatumHub.All<ReferralChangedMessage>().Should().ContainSingle("only the marker addressed to Adatum itself");
    }

    [Fact]
    public async Task APartnersReferralTakenUpByARep_ReachesTheChannelManagerItWentTo_ThenOnlyTheRep()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        await using var managerHub = await _app.HubFor("manager");
        await using var repHub = await _app.HubFor("rep");

        var sent = await Api.Post(northwind, "/api/v1/referrals", Lead("Taken Up Lead Inc", "taken-up-lead.com"), HttpStatusCode.Created);
        var id = Guid.Parse(Api.Id(sent));
        await managerHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.Type == "referral.sent");

        await Api.Post(rep, $"/api/v1/referrals/{id}/accept");
        await managerHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);
        await repHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);

        // Taken up, the referral is the rep's: what comes of it next is for the rep, not the manager it went to.
        await Api.Post(rep, $"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app), estimatedValue = new { amount = 50_000, currency = "USD" } }, HttpStatusCode.Created);
        await repHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Converted);
        var next = await Api.Post(northwind, "/api/v1/referrals", Lead("Next Lead Inc", "next-lead.com"), HttpStatusCode.Created);
        await managerHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == Guid.Parse(Api.Id(next)));
        managerHub.All<ReferralChangedMessage>().Where(m => m.ReferralId == id).Select(m => m.To).Should().Equal(ReferralStatus.Pending, ReferralStatus.Accepted);
    }

    [Fact]
    public async Task RegistrationStatus_ReachesTheRegisteringPartnersUsers()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Pushed Registration Co", "pushed-registration.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(draft)}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{Api.Id(draft)}/approve");

        var approved = await northwindHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == Guid.Parse(Api.Id(draft)) && m.To == RegistrationStatus.Approved);
        approved.From.Should().Be(RegistrationStatus.Submitted);

        await Marker(await _app.ClientFor("rep"), fabrikamHub, Fabrikam);
        fabrikamHub.All<RegistrationStatusMessage>().Should().BeEmpty("another partner hears nothing of Northwind's registrations");
    }

    [Fact]
    public async Task AnExtension_ReachesTheRegisteringPartnersUsersWithTheNewProtectionEnd_AndALostRaceSendsNothing()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Pushed Extension Co", "pushed-extension.com"));
        var id = Api.Id(draft);
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        // Two extensions on one version: only the one that commits is heard of.
        var path = $"/api/v1/registrations/{id}/extend";
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Api.Send(manager, HttpMethod.Post, path, null, Api.ETag(approved))));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(1);
        var extended = await Api.Body(answers.Single(a => a.StatusCode == HttpStatusCode.OK));
        var protectedUntil = DateTimeOffset.Parse(extended["protectionEndsAt"]!.GetValue<string>());

        var pushed = await northwindHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == Guid.Parse(id) && m.Type == "registration.extended");
        pushed.ProtectionEndsAt.Should().Be(protectedUntil);
        pushed.From.Should().Be(pushed.To, "an extension moves the window, not the status");

        await Marker(await _app.ClientFor("rep"), northwindHub, Northwind);
        northwindHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == Guid.Parse(id) && m.Type == "registration.extended").Should().ContainSingle();
        await Marker(await _app.ClientFor("rep"), fabrikamHub, Fabrikam);
        fabrikamHub.All<RegistrationStatusMessage>().Should().BeEmpty("another partner hears nothing of Northwind's registrations");
    }

    [Fact]
    public async Task AConversion_ReachesTheRegisteringPartnersUsersAsTheRegistrationsEvent_AndNoOtherPartner()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        var id = Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, "Pushed Conversion Co", "pushed-conversion.com")));
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);

        var pushed = await northwindHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == Guid.Parse(id) && m.Type == "registration.opportunity_opened");
        pushed.From.Should().Be(RegistrationStatus.Approved);
        pushed.To.Should().Be(RegistrationStatus.Approved, "being made an opportunity moves the version, not the status");
        pushed.PartnerId.Should().Be(Guid.Parse(Northwind));
        await Marker(rep, northwindHub, Northwind);
        northwindHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == Guid.Parse(id) && m.Type == "registration.opportunity_opened").Should().ContainSingle();
        await Marker(rep, fabrikamHub, Fabrikam);
        fabrikamHub.All<RegistrationStatusMessage>().Should().BeEmpty("another partner hears nothing of Northwind's registrations");
    }

    [Fact]
    public async Task ASubmissionInAReviewQueue_ReachesItsChannelManagersOwnGroup_AndNoOtherUser()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var manager2 = await _app.ClientFor("manager2");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        await using var repHub = await _app.HubFor("rep");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Queued Review Co", "queued-review.com"));
        var id = Guid.Parse(Api.Id(draft));

        // Two submissions on one version: the one that loses at the commit reaches no queue.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Api.Send(northwind, HttpMethod.Post, $"/api/v1/registrations/{id}/submit", null, Api.ETag(draft))));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        var queued = await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");
        queued.PartnerId.Should().Be(Guid.Parse(Northwind));
        queued.ProtectionEndsAt.Should().BeNull();

        await Api.Post(manager, $"/api/v1/registrations/{id}/return", new { message = "Name the buying unit." });
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.resubmitted");

        // Approved at once: it reaches no queue.
        var small = await Api.Create(northwind, Api.NewRegistration(_app, "Unqueued Small Co", "unqueued-small.com", amount: 10_000m));
        (await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(small)}/submit"))["autoApproved"]!.GetValue<bool>().Should().BeTrue();

        await Marker(manager, managerHub, Northwind);
        managerHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == id).Select(m => m.Type).Should().Equal("registration.submitted", "registration.resubmitted");
        managerHub.All<RegistrationStatusMessage>().Should().NotContain(m => m.RegistrationId == Guid.Parse(Api.Id(small)));
        await Marker(manager2, manager2Hub, Northwind);
        manager2Hub.All<RegistrationStatusMessage>().Should().BeEmpty("Northwind's registrations are not in the second manager's queue");
        await Marker(await _app.ClientFor("rep"), repHub, Northwind);
        repHub.All<RegistrationStatusMessage>().Should().BeEmpty();
        await Marker(await _app.ClientFor("rep"), fabrikamHub, Fabrikam);
        fabrikamHub.All<RegistrationStatusMessage>().Should().BeEmpty();
    }

    /// <summary>A Gold US partner of the test's own, managed by the named channel manager or none, and a client of one of its users.</summary>
    private async Task<(JsonObject Partner, HttpClient Client)> PartnerOfItsOwnAsync(HttpClient admin, string name, Guid? manager = null)
    {
        var partner = await Api.Post(admin, "/api/v1/partners", new { name, tier = "gold", territories = new[] { "US" }, channelManagerId = manager }, HttpStatusCode.Created);
        return (partner, Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner)))));
    }

    [Fact]
    public async Task ASubmissionRoutedToNobody_ReachesEveryActiveChannelManager()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Unmanaged Partner Ltd");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Shared Queue Co", "shared-queue.com"));

        await Api.Post(client, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            (await hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == Guid.Parse(Api.Id(draft)))).Type.Should().Be("registration.submitted");
        }
    }

    [Fact]
    public async Task AReferralFromAPartnerWithoutAChannelManager_ReachesEveryActiveChannelManager_UntilARepTakesItUp()
    {
        var admin = await _app.ClientFor("admin");
        var (_, client) = await PartnerOfItsOwnAsync(admin, "Unmanaged Referrer Ltd");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        await using var repHub = await _app.HubFor("rep");

        var sent = await Api.Post(client, "/api/v1/referrals", Lead("Nobody's Lead Inc", "nobodys-lead.com"), HttpStatusCode.Created);
        var id = Guid.Parse(Api.Id(sent));

        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            (await hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id)).Type.Should().Be("referral.sent");
        }

        await Api.Post(await _app.ClientFor("rep"), $"/api/v1/referrals/{id}/accept");
        await repHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);
        repHub.All<ReferralChangedMessage>().Where(m => m.ReferralId == id).Select(m => m.Type).Should().Equal(["referral.accepted"], "a rep hears of a lead once it is the rep's");
        // The managers told it was waiting are told it was taken, and of nothing after.
        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            await hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);
        }

        await Api.Post(await _app.ClientFor("rep"), $"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app), estimatedValue = new { amount = 50_000, currency = "USD" } }, HttpStatusCode.Created);
        await repHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Converted);
        managerHub.All<ReferralChangedMessage>().Where(m => m.ReferralId == id).Select(m => m.To).Should().Equal(ReferralStatus.Pending, ReferralStatus.Accepted);
    }

    [Fact]
    public async Task AReferralThatWaitedForAnyVendorUser_WhenItsPartnerIsGivenAManager_IsReroutedToEveryManagerThatHeardOfIt()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Later Managed Referrer Ltd");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var id = Guid.Parse(Api.Id(await Api.Post(client, "/api/v1/referrals", Lead("Soon Routed Lead Inc", "soon-routed-lead.com"), HttpStatusCode.Created)));
        await manager2Hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id);

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager }, Api.Version(partner));

        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            (await hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.Type == "referral.rerouted")).To.Should().Be(ReferralStatus.Pending);
        }
    }

    [Fact]
    public async Task ARegistrationPassedToAnotherManagersQueue_ReachesThatManager_AsItsQueueListsIt()
    {
        var admin = await _app.ClientFor("admin");
        var manager2 = await _app.ClientFor("manager2");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Handed Over Partner Ltd", DemoProgramme.Manager);
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Handed Over Co", "handed-over.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager2 }, Api.Version(partner));

        var rerouted = await manager2Hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id);
        rerouted.Type.Should().Be("registration.rerouted");
        rerouted.To.Should().Be(RegistrationStatus.Submitted);
        (await Api.Get(manager2, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).Should().Contain(id.ToString());
        await Marker(await _app.ClientFor("manager"), managerHub, Northwind);
        managerHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == id).Select(m => m.Type).Should().Equal(["registration.submitted"], "it left the first manager's queue");
    }

    [Fact]
    public async Task APartnersWaitingReferral_FollowsThePartnerToItsNewChannelManager()
    {
        var admin = await _app.ClientFor("admin");
        var rep = await _app.ClientFor("rep");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Referring Partner Ltd", DemoProgramme.Manager);
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var waiting = await Api.Post(client, "/api/v1/referrals", Lead("Followed Lead Inc", "followed-lead.com"), HttpStatusCode.Created);
        var answered = await Api.Post(client, "/api/v1/referrals", Lead("Answered Lead Inc", "answered-lead.com"), HttpStatusCode.Created);
        var id = Guid.Parse(Api.Id(waiting));
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/referrals/{Api.Id(answered)}/accept");
        waiting["vendorUserId"]!.GetValue<string>().Should().Be(DemoProgramme.Manager.ToString());

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager2 }, Api.Version(partner));

        (await Api.Get(rep, $"/api/v1/referrals/{id}"))["vendorUserId"]!.GetValue<string>().Should().Be(DemoProgramme.Manager2.ToString());
        (await Api.Get(rep, $"/api/v1/referrals/{Api.Id(answered)}"))["vendorUserId"]!.GetValue<string>().Should().Be(DemoProgramme.Manager.ToString(), "an accepted referral stays with whoever accepted it");
        (await manager2Hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id)).Type.Should().Be("referral.rerouted");
        await managerHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.Type == "referral.rerouted");

        await Api.Post(rep, $"/api/v1/referrals/{id}/accept");
        await manager2Hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == id && m.To == ReferralStatus.Accepted);
        var next = await Api.Post(client, "/api/v1/referrals", Lead("Later Lead Inc", "later-lead.com"), HttpStatusCode.Created);
        await manager2Hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == Guid.Parse(Api.Id(next)));
        var northwinds = await Api.Post(await _app.ClientFor("partner.northwind"), "/api/v1/referrals", Lead("Marker Lead Inc", "marker-lead.com"), HttpStatusCode.Created);
        await managerHub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == Guid.Parse(Api.Id(northwinds)));
        managerHub.All<ReferralChangedMessage>().Where(m => m.ReferralId == id).Select(m => m.Type).Should().Equal(["referral.sent", "referral.rerouted"], "the manager it left hears nothing after");
    }

    // Before, a referral past its accept-by time that the expiry job had not yet written expired was passed to the new
    // manager, who was told of a referral it could no longer accept, and then of its lapse, which its sender never heard.
    [Fact]
    public async Task AReferralPastItsAcceptByTime_StaysWithTheManagerItWasSentTo_WhenThePartnerIsReassigned()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Late Referrer Ltd", tier = "gold", territories = new[] { "US" }, channelManagerId = DemoProgramme.Manager }, HttpStatusCode.Created);
        var client = Tokens.ClientWith(app, app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var lapsed = await Api.Post(client, "/api/v1/referrals", Lead("Lapsed Lead Inc", "lapsed-lead.com"), HttpStatusCode.Created);
        var id = Guid.Parse(Api.Id(lapsed));
        app.Time.Advance(TimeSpan.FromHours(49));
        await using var manager2Hub = await app.HubFor("manager2");

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager2 }, Api.Version(partner));

        var read = await Api.Get(admin, $"/api/v1/referrals/{id}");
        read["vendorUserId"]!.GetValue<string>().Should().Be(DemoProgramme.Manager.ToString());
        read["version"]!.GetValue<long>().Should().Be(Api.Version(lapsed));
        var next = await Api.Post(client, "/api/v1/referrals", Lead("Fresh Lead Inc", "fresh-lead.com"), HttpStatusCode.Created);
        await manager2Hub.WaitFor<ReferralChangedMessage>(m => m.ReferralId == Guid.Parse(Api.Id(next)));
        manager2Hub.All<ReferralChangedMessage>().Should().NotContain(m => m.ReferralId == id, "the new manager cannot accept it");
    }

    // Before, an award that left a registration approved moved its version, and opened a fresh window where the old one
    // had ended while the case held it, without a word to its partner, whose client kept a lapsed end and a stale ETag.
    [Fact]
    public async Task AnAwardThatLeavesARegistrationApproved_TellsItsPartnerOfTheWindowItHoldsNow()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var ours = await Api.Create(northwind, Api.NewRegistration(app, "Window Again Ltd", "window-again.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        await Api.Post(await app.ClientFor("manager"), $"/api/v1/registrations/{Api.Id(ours)}/approve");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, "Window Again Ltd", "window-again.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var arbiter = await app.ClientFor("arbiter");
        var conflict = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(theirs)))!["id"]!.GetValue<string>();
        // The window ends while the case holds the registration: the award opens a fresh one.
        app.Time.Advance(TimeSpan.FromDays(400));
        await using var northwindHub = await app.HubFor("partner.northwind");

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind registered first." });

        var read = await Api.Get(northwind, $"/api/v1/registrations/{Api.Id(ours)}");
        read["status"]!.GetValue<string>().Should().Be("approved");
        var heard = await northwindHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == Guid.Parse(Api.Id(ours)));
        heard.Type.Should().Be("registration.conflict_awarded");
        heard.ProtectionEndsAt.Should().Be(DateTimeOffset.Parse(read["protectionEndsAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        heard.ProtectionEndsAt.Should().BeAfter(app.Time.GetUtcNow());
    }

    [Fact]
    public async Task AnApprovedRegistration_LeavesItsReviewersQueue_AndNoOneWhoseQueueNeverListedItHears()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Approved Off The Queue Co", "approved-off-queue.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");

        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        var left = await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id);
        left.Type.Should().Be("registration.approved");
        left.Status.Should().Be(RegistrationStatus.Approved);
        left.PartnerId.Should().Be(Guid.Parse(Northwind));
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>())
            .Should().NotContain(id.ToString(), "the push names what the queue no longer lists");
        await Marker(manager, managerHub, Northwind);
        managerHub.All<ReviewQueueLeftMessage>().Where(m => m.RegistrationId == id).Should().ContainSingle();
        await Marker(await _app.ClientFor("manager2"), manager2Hub, Northwind);
        manager2Hub.All<ReviewQueueLeftMessage>().Should().NotContain(m => m.RegistrationId == id, "Northwind's registrations are not in the second manager's queue");
        await Marker(manager, northwindHub, Northwind);
        northwindHub.All<ReviewQueueLeftMessage>().Should().BeEmpty("a partner has no review queue");
    }

    [Fact]
    public async Task ARegistrationPassedToAnotherManager_LeavesTheFormerManagersQueue_AndArrivesInTheNewOnes()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Queue Leaving Partner Ltd", DemoProgramme.Manager);
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Queue Leaving Co", "queue-leaving.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager2 }, Api.Version(partner));

        var left = await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id);
        left.Type.Should().Be("registration.rerouted");
        left.Status.Should().Be(RegistrationStatus.Submitted, "it still waits, in another manager's queue");
        (await manager2Hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id)).Type.Should().Be("registration.rerouted");
        await Marker(await _app.ClientFor("manager2"), manager2Hub, Northwind);
        manager2Hub.All<ReviewQueueLeftMessage>().Should().NotContain(m => m.RegistrationId == id, "it arrived in the new manager's queue");
        await Marker(await _app.ClientFor("manager"), managerHub, Northwind);
        managerHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == id).Select(m => m.Type).Should().Equal(["registration.submitted"], "it left the former manager's queue");
    }

    [Fact]
    public async Task ARegistrationPassedToTheSharedQueue_ArrivesForEveryOtherManager_NotForTheOneWhoseQueueListedIt()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Queue Sharing Partner Ltd", DemoProgramme.Manager);
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Queue Sharing Co", "queue-sharing.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        await managerHub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = (string?)null }, Api.Version(partner));

        (await manager2Hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id)).Type.Should().Be("registration.rerouted");
        (await Api.Get(await _app.ClientFor("manager"), "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>())
            .Should().Contain(id.ToString(), "the shared queue is the former manager's too");
        await Marker(await _app.ClientFor("manager"), managerHub, Northwind);
        managerHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == id).Select(m => m.Type)
            .Should().Equal(["registration.submitted"], "its queue listed the registration before and lists it still: nothing arrived");
        managerHub.All<ReviewQueueLeftMessage>().Should().NotContain(m => m.RegistrationId == id, "nothing left either");
    }

    [Fact]
    public async Task ARegistrationPassedFromTheSharedQueueToAManager_ArrivesForNobody_AndLeavesEveryOtherManagersQueue()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Queue Claiming Partner Ltd");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Queue Claiming Co", "queue-claiming.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            await hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");
        }

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = DemoProgramme.Manager }, Api.Version(partner));

        (await manager2Hub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id)).Type.Should().Be("registration.rerouted");
        await Marker(await _app.ClientFor("manager"), managerHub, Northwind);
        managerHub.All<RegistrationStatusMessage>().Where(m => m.RegistrationId == id).Select(m => m.Type)
            .Should().Equal(["registration.submitted"], "the shared queue it read listed the registration already: nothing arrived");
        managerHub.All<ReviewQueueLeftMessage>().Should().NotContain(m => m.RegistrationId == id);
    }

    [Fact]
    public async Task ADeactivatedManagersTakenUpReview_ArrivesForEveryOtherActiveManager()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Queue Returning Partner Ltd");
        var leaving = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id = leaving, userName = "leaving.queue.manager", displayName = "Leaving Manager", role = "channel_manager" }, HttpStatusCode.Created);
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Queue Returning Co", "queue-returning.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        await Api.Post(Tokens.ClientWith(_app, _app.TokenForUnseeded(leaving, "channel_manager")), $"/api/v1/registrations/{id}/start-review");
        await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id && m.Type == "registration.review_started");

        var user = await Api.Get(admin, $"/api/v1/users/{leaving}");
        await Api.PatchOk(admin, $"/api/v1/users/{leaving}", new { isActive = false }, Api.Version(user));

        foreach (var hub in new[] { managerHub, manager2Hub })
        {
            (await hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type != "registration.submitted")).Type.Should().Be("registration.rerouted",
                "only the deactivated manager's queue listed it before");
        }
    }

    [Fact]
    public async Task AWithdrawalByThePartner_LeavesTheManagersQueue()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        await using var managerHub = await _app.HubFor("manager");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Withdrawn Off The Queue Co", "withdrawn-off-queue.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{id}/start-review");

        await Api.Post(northwind, $"/api/v1/registrations/{id}/withdraw", new { reason = "The customer chose to wait a year." });

        var left = await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id);
        left.Type.Should().Be("registration.withdrawn");
        left.Status.Should().Be(RegistrationStatus.Withdrawn);
    }

    [Fact]
    public async Task ARegistrationTakenUpFromTheSharedQueue_LeavesEveryOtherManagersQueue_AndStaysInTheTakersQueue()
    {
        var admin = await _app.ClientFor("admin");
        var (partner, client) = await PartnerOfItsOwnAsync(admin, "Shared Queue Leaving Ltd");
        var manager = await _app.ClientFor("manager");
        await using var managerHub = await _app.HubFor("manager");
        await using var manager2Hub = await _app.HubFor("manager2");
        var draft = await Api.Create(client, Api.NewRegistration(_app, "Shared Queue Leaving Co", "shared-queue-leaving.com"));
        var id = Guid.Parse(Api.Id(draft));
        await Api.Post(client, $"/api/v1/registrations/{id}/submit");
        await manager2Hub.WaitFor<RegistrationStatusMessage>(m => m.RegistrationId == id && m.Type == "registration.submitted");

        await Api.Post(manager, $"/api/v1/registrations/{id}/start-review");

        var left = await manager2Hub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id);
        left.Type.Should().Be("registration.review_started");
        left.Status.Should().Be(RegistrationStatus.UnderReview);
        (await Api.Get(await _app.ClientFor("manager2"), "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>())
            .Should().NotContain(id.ToString());
        await Marker(manager, managerHub, Northwind);
        managerHub.All<ReviewQueueLeftMessage>().Should().NotContain(m => m.RegistrationId == id, "the manager who took it up still lists it");

        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");
        (await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id)).Type.Should().Be("registration.approved");
        await Marker(await _app.ClientFor("manager2"), manager2Hub, Northwind);
        manager2Hub.All<ReviewQueueLeftMessage>().Where(m => m.RegistrationId == id).Should().ContainSingle("it had left the second manager's queue already");
    }

    [Fact]
    public async Task TwoChangesOnOneVersion_OnlyTheOneThatCommitsTellsTheManagerTheRegistrationLeft()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        await using var managerHub = await _app.HubFor("manager");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Raced Off The Queue Co", "raced-off-queue.com"));
        var id = Guid.Parse(Api.Id(draft));
        var submitted = await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");

        // The partner withdraws as the manager approves, both on the version they read: one of them is rolled back.
        var answers = await Task.WhenAll(
            Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{id}/approve", null, Api.ETag(submitted)),
            Api.Send(northwind, HttpMethod.Post, $"/api/v1/registrations/{id}/withdraw", null, Api.ETag(submitted)));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(1);
        var winner = (await Api.Body(answers.Single(a => a.StatusCode == HttpStatusCode.OK)))["status"]!.GetValue<string>();

        await managerHub.WaitFor<ReviewQueueLeftMessage>(m => m.RegistrationId == id);
        await Marker(manager, managerHub, Northwind);
        managerHub.All<ReviewQueueLeftMessage>().Where(m => m.RegistrationId == id).Should().ContainSingle()
            .Which.Type.Should().Be(winner == "approved" ? "registration.approved" : "registration.withdrawn");
    }

    [Fact]
    public async Task AVendorTokenCarryingAPartnerId_HearsNothingOfThatPartner()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        var vendorToken = Tokens.Mint(_app, claims:
        [
            new Claim(CoSellClaims.Subject, Guid.NewGuid().ToString()),
            new Claim(CoSellClaims.Role, "rep"),
            new Claim(CoSellClaims.PartnerId, Northwind),
        ]);
        await using var repWithPartnerId = await HubClient.ConnectAsync(_app, vendorToken);
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, "Stray Claim Co", "stray-claim.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        await Marker(rep, northwindHub, Northwind);
        northwindHub.All<RegistrationStatusMessage>().Should().Contain(m => m.RegistrationId == Guid.Parse(Api.Id(draft)));
        repWithPartnerId.All<RegistrationStatusMessage>().Should().BeEmpty();
        repWithPartnerId.All<ReferralChangedMessage>().Should().BeEmpty();
    }

    [Fact]
    public async Task AConflictCase_ReachesItsPartiesWithTheirOwnView_AndNoOutsider()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var rep = await _app.ClientFor("rep");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        await using var adatumHub = await _app.HubFor("partner.adatum");
        await using var arbiterHub = await _app.HubFor("arbiter");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Pushed Conflict Ltd", "pushed-conflict.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Api.Create(fabrikam, Api.NewRegistration(_app, "Pushed Conflict Ltd", "pushed-conflict.com", "DE", 10_000m));

        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        var toArbiter = await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.Status == ConflictStatus.Open);
        (await northwindHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == toArbiter.ConflictId)).Status.Should().Be(ConflictStatus.Open);
        (await fabrikamHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == toArbiter.ConflictId)).Status.Should().Be(ConflictStatus.Open);
        // A rival's statement: the arbiter hears what happened, each party only that the case changed, as its next read shows.
        await Api.Post(fabrikam, $"/api/v1/conflicts/{toArbiter.ConflictId}/statements", new { text = "We met the customer first." });
        (await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == toArbiter.ConflictId && m.Change == "conflict.statement_added")).Status.Should().Be(ConflictStatus.Open);
        (await northwindHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == toArbiter.ConflictId && m.Change == "conflict.updated")).Status.Should().Be(ConflictStatus.Open);
        (await fabrikamHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == toArbiter.ConflictId && m.Change == "conflict.updated")).Status.Should().Be(ConflictStatus.Open);
        foreach (var party in new[] { northwindHub, fabrikamHub })
        {
            // Each side learns that a case about its claim moved, never what a rival did in it or who arbitrates it.
            party.All<ConflictChangedMessage>().Should().NotContain(m => m.Change == "conflict.statement_added" || m.Change == "conflict.claim_joined" || m.Change == "conflict.assigned");
        }

        await Marker(rep, adatumHub, Adatum);
        adatumHub.All<ConflictChangedMessage>().Should().BeEmpty();
    }

    [Fact]
    public async Task AnArbiterWhoseCaseIsGivenToAnother_HearsThatItWasAssigned_AsTheNewArbiterDoes()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        await using var arbiterHub = await app.HubFor("arbiter");
        var first = await Api.Create(northwind, Api.NewRegistration(app, "Handed Over Ltd", "handed-over.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Api.Create(fabrikam, Api.NewRegistration(app, "Handed Over GmbH", "handed-over.com", "DE", 10_000m));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var opened = await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.Change == "conflict.opened");
        (await Api.Get(admin, $"/api/v1/conflicts/{opened.ConflictId}"))["arbiterId"]!.GetValue<string>().Should().Be(DemoProgramme.Arbiter.ToString());
        var other = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id = other, userName = "arbiter.other", displayName = "Other Arbiter", role = "arbiter" }, HttpStatusCode.Created);

        var before = app.Time.GetUtcNow();
        app.Time.Advance(TimeSpan.FromMinutes(1));

        await Api.Post(admin, $"/api/v1/conflicts/{opened.ConflictId}/assign", new { arbiterId = other });

        // The assignment at the opening was heard before; this one is later.
        (await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == opened.ConflictId && m.Change == "conflict.assigned" && m.At > before))
            .Status.Should().Be(ConflictStatus.Open);
    }

    [Fact]
    public async Task ARepPartyToACase_HearsOfTheRivalsStatementOnlyThatTheCaseChanged_AsItsViewShowsNoMore()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        await using var repHub = await _app.HubFor("rep");
        await using var arbiterHub = await _app.HubFor("arbiter");
        await OpenDirect(rep, _app, "Rep Party Holdings", "rep-party.com");
        var registration = await Api.Create(northwind, Api.NewRegistration(_app, "Rep Party Holdings", "rep-party.com"));
        (await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(registration)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var opened = await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.Change == "conflict.opened");
        var path = $"/api/v1/conflicts/{opened.ConflictId}";

        await Api.Post(northwind, $"{path}/statements", new { text = "We found them first." });

        await arbiterHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == opened.ConflictId && m.Change == "conflict.statement_added");
        await repHub.WaitFor<ConflictChangedMessage>(m => m.ConflictId == opened.ConflictId && m.Change == CoSell.Application.Conflicts.PushConflictChanges.Updated);
        repHub.All<ConflictChangedMessage>().Select(m => m.Change).Should().NotContain(["conflict.statement_added", "conflict.assigned"]);
        (await Api.Get(rep, path))["statements"]!.AsArray().Should().BeEmpty("the rival's statement is not in the rep's view either");
    }

    [Fact]
    public async Task TwoUpdatesOnOneVersion_TheOneThatLosesAtTheCommitSendsNothing()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Racing Writes Inc", "racing-writes.com");
        var id = Api.Id(opportunity);
        var path = $"/api/v1/opportunities/{id}";
        await using var partnerHub = await _app.HubFor("partner.northwind");
        await partnerHub.WatchOpportunity(id);

        // Both pass the If-Match check against the version they read; only one can win the commit.
        var racers = new[] { "Racer one", "Racer two", "Racer three", "Racer four" };
        var answers = await Task.WhenAll(racers.Select(step => Api.Patch(rep, path, new { nextStep = step }, Api.Version(opportunity))));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).Should().Be(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(racers.Length - 1);
        var winner = await Api.Body(answers.Single(a => a.StatusCode == HttpStatusCode.OK));

        await Api.PatchOk(rep, path, new { nextStep = "After the race" }, Api.Version(winner));
        await partnerHub.WaitFor<OpportunityChangedMessage>(m => m.Summary == "Next step: After the race");
        partnerHub.All<OpportunityChangedMessage>().Where(m => m.Summary.StartsWith("Next step: Racer", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Summary.Should().Be($"Next step: {winner["nextStep"]!.GetValue<string>()}");
    }

    [Fact]
    public async Task WhatTheArbitersDecisionDoesToADeal_ReachesItsPartnerWithTheArbiterUnnamed_AndTheVendorAsIs()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Decided Deal Ltd", "decided-deal.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{Api.Id(ours)}/approve");
        var deal = Api.Id(await Api.Post(rep, $"/api/v1/registrations/{Api.Id(ours)}/opportunity", new { }, HttpStatusCode.Created));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Decided Deal Ltd", "decided-deal.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var arbiter = await _app.ClientFor("arbiter");
        var conflict = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(theirs)))!["id"]!.GetValue<string>();
        await using var repHub = await _app.HubFor("rep");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await repHub.WatchOpportunity(deal);
        await northwindHub.WatchOpportunity(deal);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam's pilot is signed." });

        (await repHub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId.ToString() == deal && m.Stage == OpportunityStage.ClosedLost)).Actor
            .Should().Be(DemoProgramme.Arbiter.ToString(), "the vendor reads who decided");
        (await northwindHub.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId.ToString() == deal && m.Stage == OpportunityStage.ClosedLost)).Actor
            .Should().Be(PartnerActor.Arbiter, "the case hides its arbiter from its parties, and the push that its decision sends does too");
        northwindHub.All<OpportunityChangedMessage>().Should().NotContain(m => m.ToString()!.Contains(DemoProgramme.Arbiter.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WhatAPartnersUserDoes_ReachesAnotherPartnerWithTheUserUnnamed_AndTheVendorAndItsOwnPartnerAsIs()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Two Partners Ltd", "two-partners.com");
        var id = Api.Id(opportunity);
        var invitation = await Invite(rep, id, Fabrikam);
        await Api.Post(fabrikam, $"/api/v1/invitations/{Api.Id(invitation)}/accept");
        await using var repHub = await _app.HubFor("rep");
        await using var northwindHub = await _app.HubFor("partner.northwind");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        foreach (var hub in new[] { repHub, northwindHub, fabrikamHub })
        {
            await hub.WatchOpportunity(id);
        }

        await Api.Post(northwind, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Northwind met the CFO." }, HttpStatusCode.Created);
        var current = await Api.Get(northwind, $"/api/v1/opportunities/{id}");
        await Api.PatchOk(northwind, $"/api/v1/opportunities/{id}", new { nextStep = "Pilot in January" }, Api.Version(current));

        var author = (await repHub.WaitFor<NoteAddedMessage>(m => m.Body == "Northwind met the CFO.")).Author;
        author.Should().Be(DemoProgramme.NorthwindUser.ToString(), "the vendor reads who wrote it");
        (await northwindHub.WaitFor<NoteAddedMessage>(m => m.Body == "Northwind met the CFO.")).Author.Should().Be(author, "so does the writer's own partner");
        (await fabrikamHub.WaitFor<NoteAddedMessage>(m => m.Body == "Northwind met the CFO.")).Author.Should().Be(PartnerActor.AnotherPartner,
            "a user id would follow the same rival from deal to deal; the timeline says \"another partner\" too");
        (await repHub.WaitFor<OpportunityChangedMessage>(m => m.Summary.Contains("Pilot in January", StringComparison.Ordinal))).Actor.Should().Be(author);
        (await fabrikamHub.WaitFor<OpportunityChangedMessage>(m => m.Summary.Contains("Pilot in January", StringComparison.Ordinal))).Actor.Should().Be(PartnerActor.AnotherPartner);
        fabrikamHub.All<NoteAddedMessage>().Concat<object>(fabrikamHub.All<OpportunityChangedMessage>()).Should().NotContain(m => m.ToString()!.Contains(author, StringComparison.OrdinalIgnoreCase));
        northwindHub.All<NoteAddedMessage>().Should().ContainSingle(m => m.Body == "Northwind met the CFO.", "each watcher gets a note once");
        repHub.All<NoteAddedMessage>().Should().ContainSingle(m => m.Body == "Northwind met the CFO.");
    }

    [Fact]
    public async Task ASuspendedPartner_LosesItsLiveFeedAtOnce_AndNeitherWatchesNorOpensTheOpportunity()
    {
        var admin = await _app.ClientFor("admin");
        var rep = await _app.ClientFor("rep");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Soon Suspended GmbH", tier = "silver", territories = new[] { "DE" }, channelManagerId = DemoProgramme.Manager }, HttpStatusCode.Created);
        var partnerId = Api.Id(partner);
        var partnerToken = _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(partnerId));
        var partnerClient = Tokens.ClientWith(_app, partnerToken);
        var opportunity = await CoSold(_app, rep, partnerClient, partnerId, "Suspension Watch AG", "suspension-watch.de");
        var id = Api.Id(opportunity);
        var pending = await OpenDirect(rep, _app, "Suspension Pending AG", "suspension-pending.de");
        await Invite(rep, Api.Id(pending), partnerId);
        await using var partnerHub = await HubClient.ConnectAsync(_app, partnerToken);
        await partnerHub.WatchOpportunity(id);

        var suspended = await Api.PatchOk(admin, $"/api/v1/partners/{partnerId}", new { status = "suspended" }, Api.Version(partner));

        await partnerHub.WaitUntilClosed();
        await Api.Problem(await partnerClient.GetAsync($"/api/v1/opportunities/{id}"), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await Api.Send(partnerClient, HttpMethod.Post, $"/api/v1/opportunities/{id}/notes", "{\"visibility\":\"shared\",\"body\":\"Still here?\"}"), HttpStatusCode.Conflict, "partner.suspended");
        await using var again = await HubClient.ConnectAsync(_app, partnerToken);
        await FluentActions.Awaiting(() => again.WatchOpportunity(id)).Should().ThrowAsync<HubException>();

        // Connected again, it hears nothing of its opportunities while suspended, not even what is addressed to it: closing
        // a deal it was invited onto lapses the invitation, which the vendor hears and the partner's users do not.
        var current = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(pending)}");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(pending)}", new { stage = "closedLost" }, Api.Version(current));
        await Api.PatchOk(admin, $"/api/v1/partners/{partnerId}", new { status = "active" }, Api.Version(suspended));
        var later = await OpenDirect(rep, _app, "Reinstated Invite AG", "reinstated-invite.de");
        await Invite(rep, Api.Id(later), partnerId);
        await again.WaitFor<OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(Api.Id(later)));
        again.All<OpportunityChangedMessage>().Should().OnlyContain(m => m.OpportunityId == Guid.Parse(Api.Id(later)));
    }

    [Fact]
    public async Task ARepWhoPassesAnOpportunityOn_LeavesItsFeed_InternalNotesIncluded()
    {
        var secondRep = await _app.AddRepAsync();
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Passed On Ltd", "passed-on.com");
        var id = Api.Id(opportunity);
        await using var formerHub = await _app.HubFor("rep");
        await using var managerHub = await _app.HubFor("manager");
        await formerHub.WatchOpportunity(id);
        await managerHub.WatchOpportunity(id);

        await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { ownerId = secondRep }, Api.Version(opportunity));
        var owner = Tokens.ClientWith(_app, _app.TokenForUnseeded(secondRep, "rep"));
        await Api.Post(owner, $"/api/v1/opportunities/{id}/notes", new { visibility = "internal", body = "Floor price 40k." }, HttpStatusCode.Created);

        // The manager's feed goes on and carries the note; the former owner's stopped before it.
        await managerHub.WaitFor<NoteAddedMessage>(m => m.Body == "Floor price 40k.");
        await formerHub.WaitFor<OpportunityChangedMessage>(m => m.Type == "opportunity.owner_changed");
        // A referral the former owner sends reaches its own connection after anything sent to it before.
        await Marker(rep, formerHub, Northwind);
        formerHub.All<NoteAddedMessage>().Should().BeEmpty("a rep sees only the opportunities it owns");
    }

    [Fact]
    public async Task AWatchRefused_TakesTheConnectionOffTheFeed_ThoughNothingElseDid()
    {
        var secondRep = await _app.AddRepAsync();
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await OpenDirect(rep, _app, "Refused Rewatch Ltd", "refused-rewatch.com"));
        await using var formerHub = await _app.HubFor("rep");
        await using var managerHub = await _app.HubFor("manager");
        await formerHub.WatchOpportunity(id);
        await managerHub.WatchOpportunity(id);

        // The owner changes with no push and no clean-up after it, as when a watch's refusal lands between a change of
        // owner's commit and its clean-up: only the refusal can take the connection off the feed.
        using (var scope = _app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CoSell.Infrastructure.Persistence.CoSellDbContext>();
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == Guid.Parse(id));
            opportunity.AssignOwner(secondRep, "test", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await FluentActions.Awaiting(() => formerHub.WatchOpportunity(id)).Should().ThrowAsync<HubException>();
        var manager = await _app.ClientFor("manager");
        await Api.Post(manager, $"/api/v1/opportunities/{id}/notes", new { visibility = "internal", body = "Walk-away price 38k." }, HttpStatusCode.Created);

        await managerHub.WaitFor<NoteAddedMessage>(m => m.Body == "Walk-away price 38k.");
        await Marker(rep, formerHub, Northwind);
        formerHub.All<NoteAddedMessage>().Should().BeEmpty("a refused watch leaves the feed");
    }

    [Fact]
    public async Task AConnection_EndsWhenItsTokenExpires()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Short Token Ltd", "short-token.com");
        var token = Tokens.Mint(_app, expires: DateTime.UtcNow.AddSeconds(3));
        await using var hub = await HubClient.ConnectAsync(_app, token);
        await hub.WatchOpportunity(Api.Id(opportunity));

        await hub.WaitUntilClosed(TimeSpan.FromSeconds(20));
    }
}
