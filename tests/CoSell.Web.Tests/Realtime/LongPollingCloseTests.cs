using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoSell.Web.Realtime;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests.Realtime;

/// <summary>
/// A long-polling connection the hub closes, as Kestrel on loopback serves it and as a client sends its requests one
/// by one: what the hub answered last, and its close, reach the owner's next poll, and the transport ends as SignalR ends it.
/// </summary>
public sealed class LongPollingCloseTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public LongPollingCloseTests(KestrelCoSellApp app) => _app = app;

    [Fact]
    public async Task ALongPollingConnectionTheHubCloses_HandsItsOwnerTheLastAnswersAndTheClose_ThenEnds()
    {
        using var client = _app.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new("Bearer", _app.TokenForUnseeded(Guid.NewGuid(), "rep"));
        using var negotiated = await client.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1", null);
        negotiated.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        var connection = $"/hubs/cosell?id={Uri.EscapeDataString(token!)}";
        (await client.PostAsync(connection, new StringContent("{\"protocol\":\"json\",\"version\":1}\u001e"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var received = new StringBuilder(await client.GetStringAsync(connection));
        received.Append(await client.GetStringAsync(connection));
        received.ToString().Should().Be("{}\u001e", "the polls answer the handshake");

        // A hundred refused calls in one send: the hundredth closes the connection from the hub's side, between polls.
        var calls = string.Concat(Enumerable.Range(1, HubFailureLogging.MaximumRefusals)
            .Select(i => $$"""{"type":1,"invocationId":"{{i}}","target":"WatchOpportunity","arguments":["{{Guid.NewGuid()}}"]}""" + "\u001e"));
        (await client.PostAsync(connection, new StringContent(calls))).StatusCode.Should().Be(HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The owner polls on, as a client does, until the transport ends: every answer comes, then the close, then
        // SignalR's own end of the transport (204), never "No Connection with that ID".
        HttpResponseMessage poll;
        var polls = 0;
        while ((poll = await client.GetAsync(connection)).StatusCode == HttpStatusCode.OK && ++polls < 50)
        {
            received.Append(await poll.Content.ReadAsStringAsync());
        }

        poll.StatusCode.Should().Be(HttpStatusCode.NoContent, await poll.Content.ReadAsStringAsync());
        var records = received.ToString().Split('\u001e', StringSplitOptions.RemoveEmptyEntries);
        records.Should().Contain(r => r.Contains($"\"invocationId\":\"{HubFailureLogging.MaximumRefusals}\"", StringComparison.Ordinal)
            && r.Contains(HubFailureLogging.Closing, StringComparison.Ordinal));
        records.Should().Contain(r => r.StartsWith("{\"type\":7", StringComparison.Ordinal), "the close is delivered");
    }
}
