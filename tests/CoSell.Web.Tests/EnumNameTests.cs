using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>A value from a fixed set reads the same both ways: the camelCase name a response or a push carries is what a request or a filter takes.</summary>
public sealed class EnumNameTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public EnumNameTests(CoSellApp app) => _app = app;

    [Fact]
    public async Task RegistrationStatus_IsCamelCase_AndFiltersTheListAsRead()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Camel Case Registrations Inc", "camel-case-registrations.com"));
        var id = Api.Id(draft);
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");

        var reviewing = await Api.Post(manager, $"/api/v1/registrations/{id}/start-review");
        var status = reviewing["status"]!.GetValue<string>();
        status.Should().Be("underReview");
        reviewing["tier"]!.GetValue<string>().Should().Be("gold");

        var listed = await Api.Get(partner, $"/api/v1/registrations?status={status}&pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(id);
        listed["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()).Should().OnlyContain(s => s == status);
    }

    [Fact]
    public async Task PartnerTier_IsCamelCase_AndIsTakenBackUnchanged()
    {
        var admin = await _app.ClientFor("admin");
        var northwind = await Api.Get(admin, $"/api/v1/partners/{Northwind}");
        var tier = northwind["tier"]!.GetValue<string>();
        tier.Should().Be("gold");
        northwind["status"]!.GetValue<string>().Should().Be("active");

        var created = await Api.Post(admin, "/api/v1/partners", new { name = "Camel Case Channel", tier, territories = new[] { "NL" } }, HttpStatusCode.Created);
        created["tier"]!.GetValue<string>().Should().Be(tier);
    }

    [Fact]
    public async Task OpportunityStage_IsCamelCase_AndFiltersTheListAsRead()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Camel Case Deals Ltd", "camel-case-deals.com");
        opportunity["stage"]!.GetValue<string>().Should().Be("qualify");
        opportunity["source"]!["kind"]!.GetValue<string>().Should().Be("direct");

        var won = await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}", new { stage = "closedWon" }, Api.Version(opportunity));
        var stage = won["stage"]!.GetValue<string>();
        stage.Should().Be("closedWon");

        var listed = await Api.Get(rep, $"/api/v1/opportunities?stage={stage}&pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(Api.Id(opportunity));
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheNamesAResponseCarries()
    {
        var document = JsonNode.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();

        Names(schemas, "RegistrationDto", "status").Should().Contain(["underReview", "actionRequired", "approved"]);
        Names(schemas, "PartnerDto", "tier").Should().Contain(["registered", "gold"]);
        Names(schemas, "OpportunityDto", "stage").Should().Contain(["qualify", "closedWon"]);
        Names(schemas, "ConflictClaimDto", "status").Should().Contain(["submitted", "underReview", "approved", "qualify", "closedWon", "left"], "a claim's status is a registration's status, a direct opportunity's stage, or left");
        Names(schemas, "ConflictDto", "ruleFired").Should().BeEquivalentTo(["direct_engagement", "first_to_register"], "the rules' names, as the README gives them");
    }

    [Fact]
    public async Task ARulesVersionMissingATier_Is400NamingTheTiersAsARequestWritesThem()
    {
        var admin = await _app.ClientFor("admin");
        object Tier(string tier) => new { tier, protectionDays = 90, extensionDays = 30, maximumExtensions = 1, minimumDealValue = 1_000m, autoApproveCeiling = 25_000m, reviewSlaHours = 48 };
        var body = new
        {
            currency = "USD",
            tiers = new[] { Tier("registered"), Tier("silver"), Tier("gold") },
            likelyDuplicateThreshold = 0.85,
            possibleDuplicateThreshold = 0.6,
            directLookbackDays = 60,
            conflictSlaHours = 72,
            referralAcceptSlaHours = 48,
        };

        var problem = await Api.Problem(await Api.Send(admin, HttpMethod.Post, "/api/v1/rules/versions", body), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["tiers"]!.AsArray().Select(m => m!.GetValue<string>())
            .Should().Equal("Give exactly one policy for each tier: registered, silver, gold, platinum.");
    }

    [Fact]
    public async Task RegistrationStatusChanged_NamesTheStatusesInCamelCase_AsTheListFilterTakesThem()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var pushed = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await RawHub("partner.northwind", "RegistrationStatusChanged", pushed);
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Camel Case Pushes Inc", "camel-case-pushes.com"));
        var id = Api.Id(draft);

        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/start-review");

        var message = await Next(pushed, m => m.GetProperty("registrationId").GetString() == id && m.GetProperty("to").GetString() == "underReview");
        message.GetProperty("from").GetString().Should().Be("submitted");
        var listed = await Api.Get(partner, $"/api/v1/registrations?status={message.GetProperty("to").GetString()}&pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(id);
    }

    [Fact]
    public async Task OpportunityChanged_NamesTheStageInCamelCase()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Camel Case Feed Ltd", "camel-case-feed.com");
        var pushed = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await RawHub("rep", "OpportunityChanged", pushed);
        await hub.InvokeAsync("WatchOpportunity", Guid.Parse(Api.Id(opportunity)));

        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}", new { stage = "closedLost" }, Api.Version(opportunity));

        var message = await Next(pushed, m => m.GetProperty("opportunityId").GetString() == Api.Id(opportunity) && m.GetProperty("version").GetInt64() > Api.Version(opportunity));
        message.GetProperty("stage").GetString().Should().Be("closedLost");
    }

    [Fact]
    public async Task NoteAdded_NamesTheVisibilityInCamelCase_AsANoteIsWritten()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Camel Case Notes Ltd", "camel-case-notes.com");
        var id = Api.Id(opportunity);
        var pushed = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await RawHub("rep", "NoteAdded", pushed);
        await hub.InvokeAsync("WatchOpportunity", Guid.Parse(id));

        await Api.Post(rep, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Camel case pilot." }, HttpStatusCode.Created);

        var message = await Next(pushed, m => m.GetProperty("opportunityId").GetString() == id);
        message.GetProperty("visibility").GetString().Should().Be("shared");
    }

    [Fact]
    public async Task ReferralChanged_NamesTheDirectionAndStatusesInCamelCase()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var pushed = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await RawHub("rep", "ReferralChanged", pushed);
        var sent = await Api.Post(rep, "/api/v1/referrals", new
        {
            partnerId = Northwind,
            customer = new { name = "Camel Case Leads Inc", domain = "camel-case-leads.com", country = "US" },
            contact = new { name = "Cam Case", email = "cam@camel-case-leads.com" },
        }, HttpStatusCode.Created);
        var id = Api.Id(sent);

        await Api.Post(northwind, $"/api/v1/referrals/{id}/accept");

        var message = await Next(pushed, m => m.GetProperty("referralId").GetString() == id && m.GetProperty("to").GetString() == "accepted");
        message.GetProperty("direction").GetString().Should().Be("vendorToPartner");
        message.GetProperty("from").GetString().Should().Be("pending");
        var listed = await Api.Get(rep, $"/api/v1/referrals?direction={message.GetProperty("direction").GetString()}&status={message.GetProperty("to").GetString()}&pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(id, "the names pushed are the names the list filters by");
    }

    [Fact]
    public async Task ConflictChanged_NamesTheStatusInCamelCase()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var pushed = Channel.CreateUnbounded<JsonElement>();
        await using var hub = await RawHub("partner.fabrikam", "ConflictChanged", pushed);
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Camel Case Conflicts Ltd", "camel-case-conflicts.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Api.Create(fabrikam, Api.NewRegistration(_app, "Camel Case Conflicts Ltd", "camel-case-conflicts.com", "DE", 10_000m));

        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        var message = await Next(pushed, _ => true);
        message.GetProperty("status").GetString().Should().Be("open");
        var listed = await Api.Get(fabrikam, $"/api/v1/conflicts?status={message.GetProperty("status").GetString()}&pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(message.GetProperty("conflictId").GetString());
    }

    /// <summary>The names a schema's property lists, inline or through the enum's own schema.</summary>
    private static IEnumerable<string> Names(JsonObject schemas, string schema, string property)
    {
        var described = schemas[schema]!["properties"]![property]!;
        var reference = described["$ref"] ?? described["oneOf"]?.AsArray().Select(o => o!["$ref"]).FirstOrDefault(r => r is not null);
        var values = reference is null ? described["enum"]! : schemas[reference.GetValue<string>().Split('/')[^1]]!["enum"]!;
        return values.AsArray().Where(n => n is not null).Select(n => n!.GetValue<string>());
    }

    /// <summary>A SignalR client that reads one message kind as the JSON sent, without binding it to a .NET shape.</summary>
    private async Task<HubConnection> RawHub(string user, string method, Channel<JsonElement> pushed)
    {
        var token = await _app.TokenFor(user);
        var server = _app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/cosell"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, ct) =>
                    await server.CreateWebSocketClient().ConnectAsync(new UriBuilder(context.Uri) { Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri, ct);
            })
            .Build();
        connection.On<JsonElement>(method, message => pushed.Writer.TryWrite(message));
        await connection.StartAsync();
        return connection;
    }

    private static async Task<JsonElement> Next(Channel<JsonElement> pushed, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var message in pushed.Reader.ReadAllAsync(timeout.Token))
        {
            if (match(message))
            {
                return message;
            }
        }

        throw new InvalidOperationException("The feed ended.");
    }
}
