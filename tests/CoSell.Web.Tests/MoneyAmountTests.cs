using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>
/// An amount is taken to its currency's minor unit, the ISO 4217 one: to the thousandth in BHD, IQD, JOD, KWD, LYD, OMR
/// and TND, to the hundredth in USD and most others, whole in JPY. It is read back, stored and written as it was sent.
/// </summary>
public sealed class MoneyAmountTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public MoneyAmountTests(CoSellApp app) => _app = app;

    private JsonObject Registration(string name, string domain, string amount, string currency)
    {
        var body = Api.RawRegistration(_app, name, domain);
        body["estimatedValue"] = JsonNode.Parse($"{{\"amount\":{amount},\"currency\":\"{currency}\"}}");
        return body;
    }

    [Fact]
    public async Task ARegistrationInBahrainiDinars_TakesAnAmountToTheThousandth_AndReadsItBackExactly()
    {
        var partner = await _app.ClientFor("partner.northwind");

        var created = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", Registration("Manama Fils Trading", "manama-fils.com", "1.234", "BHD").ToJsonString());

        await Api.Expect(created, HttpStatusCode.Created);
        var text = await created.Content.ReadAsStringAsync();
        text.Should().Contain("\"estimatedValue\":{\"amount\":1.234,\"currency\":\"BHD\"}");
        var id = Api.Id(JsonNode.Parse(text)!.AsObject());
        var read = await Api.Get(partner, $"/api/v1/registrations/{id}");
        read["estimatedValue"]!["amount"]!.ToJsonString().Should().Be("1.234");
        (await _app.Db(db => db.Registrations.AsNoTracking().Where(r => r.Id == Guid.Parse(id)).Select(r => r.EstimatedValue.Amount).SingleAsync()))
            .Should().Be(1.234m, "the stored amount keeps its third decimal");
        Summaries(await Api.Get(partner, $"/api/v1/registrations/{id}/timeline")).Should().Contain(s => s.Contains("worth 1.234 BHD"));
    }

    [Theory]
    [InlineData("1.2345", "BHD", "An amount in BHD has at most three decimals.")]
    [InlineData("0.0005", "KWD", "An amount in KWD has at most three decimals.")]
    [InlineData("1.234", "USD", "An amount in USD has at most two decimals.")]
    [InlineData("999.995", "EUR", "An amount in EUR has at most two decimals.")]
    public async Task ARegistrationAmountFinerThanItsCurrency_Is400NamingTheField(string amount, string currency, string message)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var before = await _app.Db(db => db.Registrations.CountAsync());

        var response = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", Registration("Finer Than Fils Ltd", "finer-than-fils.com", amount, currency).ToJsonString());

        var problem = await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("estimatedValue.amount");
        problem["errors"]!["estimatedValue.amount"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(message);
        (await _app.Db(db => db.Registrations.CountAsync())).Should().Be(before);
    }

    [Fact]
    public async Task AnEditedRegistration_TakesAThreeDecimalAmount_AndItsTimelineWritesEveryDecimal()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Muscat Baisa Works", "muscat-baisa.com"));

        var refused = await Api.PatchRegistration(partner, Api.Id(draft), JsonNode.Parse("{\"estimatedValue\":{\"amount\":2.5005,\"currency\":\"OMR\"}}")!, Api.ETag(draft));
        (await Api.Problem(refused, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["estimatedValue.amount"]![0]!.GetValue<string>()
            .Should().Be("An amount in OMR has at most three decimals.");
        var edited = await Api.PatchRegistration(partner, Api.Id(draft), JsonNode.Parse("{\"estimatedValue\":{\"amount\":2500.5,\"currency\":\"OMR\"}}")!, Api.ETag(draft));

        await Api.Expect(edited, HttpStatusCode.OK);
        (await Api.Body(edited))["estimatedValue"]!["amount"]!.GetValue<decimal>().Should().Be(2500.5m);
        Summaries(await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}/timeline")).Should().Contain(s => s.Contains(", 2500.500 OMR, closing"));
    }

    [Fact]
    public async Task AnOpportunityAmount_IsTakenToItsCurrencysMinorUnit()
    {
        var rep = await _app.ClientFor("rep");
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(NewOpportunity(_app, "Kuwait Fils Logistics", "kuwait-fils.com"), Api.Json))!.AsObject();
        body["amount"] = JsonNode.Parse("{\"amount\":1500.125,\"currency\":\"KWD\"}");

        var created = await rep.PostAsync("/api/v1/opportunities", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await Api.Expect(created, HttpStatusCode.Created);
        var opportunity = await Api.Body(created);
        opportunity["amount"]!["amount"]!.ToJsonString().Should().Be("1500.125");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";

        foreach (var (amount, currency, message) in new[] { ("1500.1255", "KWD", "An amount in KWD has at most three decimals."), ("1500.125", "USD", "An amount in USD has at most two decimals.") })
        {
            var refused = await Api.Patch(rep, path, JsonNode.Parse($"{{\"amount\":{{\"amount\":{amount},\"currency\":\"{currency}\"}}}}")!, Api.Version(opportunity));
            (await Api.Problem(refused, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["amount.amount"]!.AsArray().Select(m => m!.GetValue<string>())
                .Should().Equal(message);
        }

        var changed = await Api.PatchOk(rep, path, JsonNode.Parse("{\"amount\":{\"amount\":2000.5,\"currency\":\"JOD\"}}")!, Api.Version(opportunity));
        changed["amount"]!["amount"]!.GetValue<decimal>().Should().Be(2000.5m);
        Summaries(await Api.Get(rep, $"{path}/timeline")).Should().Contain("Amount changed from 1500.125 KWD to 2000.500 JOD.");
    }

    [Fact]
    public async Task AReferralsEstimatedValue_IsTakenToItsCurrencysMinorUnit()
    {
        var rep = await _app.ClientFor("rep");
        JsonObject Lead(string amount) => JsonNode.Parse(
            $$"""
            {"partnerId":"{{Northwind}}","customer":{"name":"Tunis Millime Foods","domain":"tunis-millime.com","country":"TN"},
             "contact":{"name":"Lee Lead","email":"lee@tunis-millime.com"},"productLines":["Analytics"],"estimatedValue":{"amount":{{amount}},"currency":"TND"},"message":"A local partner, please."}
            """)!.AsObject();

        var refused = await rep.PostAsync("/api/v1/referrals", new StringContent(Lead("90000.0015").ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        (await Api.Problem(refused, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["estimatedValue.amount"]![0]!.GetValue<string>()
            .Should().Be("An amount in TND has at most three decimals.");

        var sent = await rep.PostAsync("/api/v1/referrals", new StringContent(Lead("90000.001").ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await Api.Expect(sent, HttpStatusCode.Created);
        var id = Api.Id(await Api.Body(sent));
        (await Api.Get(rep, $"/api/v1/referrals/{id}"))["estimatedValue"]!["amount"]!.ToJsonString().Should().Be("90000.001");
    }

    [Fact]
    public async Task StoredThreeDecimalAmounts_AreComparedAndSortedAsNumbers()
    {
        var partner = await _app.ClientFor("partner.northwind");
        string[] amounts = ["10.5", "1.234", "9.999", "1.23", "100.001"];
        foreach (var (amount, i) in amounts.Select((a, i) => (a, i)))
        {
            await Api.Expect(await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", Registration($"Sorted Dinar {(char)('A' + i)} Ltd", $"sorted-dinar-{i}.com", amount, "JOD").ToJsonString()), HttpStatusCode.Created);
        }

        var sorted = await _app.Db(db => db.Registrations.AsNoTracking()
            .Where(r => r.EstimatedValue.Currency == "JOD" && r.EstimatedValue.Amount > 1.2305m)
            .OrderBy(r => r.EstimatedValue.Amount).Select(r => r.EstimatedValue.Amount).ToListAsync());

        sorted.Should().Equal(1.234m, 9.999m, 10.5m, 100.001m);
    }

    [Fact]
    public async Task RulesInBahrainiDinars_TakeThresholdsToTheThousandth_AndHoldDealsInDinarsToThem()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        object Tier(string tier, decimal minimum, decimal ceiling) => new { tier, protectionDays = 120, extensionDays = 30, maximumExtensions = 2, minimumDealValue = minimum, autoApproveCeiling = ceiling, reviewSlaHours = 48 };
        object Version(string currency, decimal goldMinimum, decimal goldCeiling) => new
        {
            currency,
            tiers = new[] { Tier("registered", 1_000m, 0m), Tier("silver", 1_000m, 25_000m), Tier("gold", goldMinimum, goldCeiling), Tier("platinum", 1_000m, 100_000m) },
            likelyDuplicateThreshold = 0.85,
            possibleDuplicateThreshold = 0.6,
            directLookbackDays = 60,
            conflictSlaHours = 72,
            referralAcceptSlaHours = 48,
        };

        var finerThanCents = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version("USD", 999.5m, 5_000.125m)), HttpStatusCode.BadRequest, "validation_failed");
        finerThanCents["errors"]!["tiers[2].autoApproveCeiling"]![0]!.GetValue<string>().Should().Be("An amount in USD has at most two decimals.");
        var finerThanFils = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version("BHD", 999.5005m, 5_000.125m)), HttpStatusCode.BadRequest, "validation_failed");
        finerThanFils["errors"]!["tiers[2].minimumDealValue"]![0]!.GetValue<string>().Should().Be("An amount in BHD has at most three decimals.");
        var published = await Api.Post(admin, "/api/v1/rules/versions", Version("BHD", 999.5000m, 5_000.125m), HttpStatusCode.Created);
        var gold = published["tiers"]!.AsArray().Single(t => t!["tier"]!.GetValue<string>() == "gold")!;
        gold["minimumDealValue"]!.ToJsonString().Should().Be("999.5", "a threshold reads back in one written form, as an amount does");
        (await Api.Get(admin, "/api/v1/rules"))["tiers"]!.AsArray().Single(t => t!["tier"]!.GetValue<string>() == "gold")!["minimumDealValue"]!
            .ToJsonString().Should().Be("999.5", "and so it is stored");

        var partner = await app.ClientFor("partner.northwind");
        (await Api.Get(partner, "/api/v1/rules"))["explanation"]!.AsArray().Select(l => l!.GetValue<string>())
            .Should().Contain(l => l.StartsWith("Gold", StringComparison.Ordinal) && l.Contains("deals start at 999.500 BHD") && l.Contains("deals under 5,000.125 BHD"));

        var below = await Api.Create(partner, Api.NewRegistration(app, "Brightwater Mills", "brightwater-mills.com", amount: 999.499m, currency: "BHD"));
        (await Api.Problem(await partner.PostAsync($"/api/v1/registrations/{Api.Id(below)}/submit", null), HttpStatusCode.Conflict, "registration.below_minimum_value"))
            ["detail"]!.GetValue<string>().Should().Contain("from 999.500 BHD");

        var atCeiling = await Api.Create(partner, Api.NewRegistration(app, "Oakridge Pharmaceuticals", "oakridge-pharma.com", amount: 5_000.125m, currency: "BHD"));
        (await Api.Post(partner, $"/api/v1/registrations/{Api.Id(atCeiling)}/submit"))["status"]!.GetValue<string>().Should().Be("submitted");
        Summaries(await Api.Get(partner, $"/api/v1/registrations/{Api.Id(atCeiling)}/timeline"))
            .Should().Contain(s => s.Contains("not under the Gold auto-approve ceiling of 5,000.125 BHD"));

        var underCeiling = await Api.Create(partner, Api.NewRegistration(app, "Halvorsen Maritime Systems", "halvorsen-maritime.com", amount: 5_000.124m, currency: "BHD"));
        (await Api.Post(partner, $"/api/v1/registrations/{Api.Id(underCeiling)}/submit"))["status"]!.GetValue<string>().Should().Be("approved");

        var inDollars = await Api.Create(partner, Api.NewRegistration(app, "Quillfeather Analytics", "quillfeather.io", amount: 100m, currency: "USD"));
        (await Api.Post(partner, $"/api/v1/registrations/{Api.Id(inDollars)}/submit"))["status"]!.GetValue<string>()
            .Should().Be("submitted", "no exchange rate says what 100 USD is in BHD: no minimum holds it back and no ceiling approves it");
    }
}
