using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Web.Tests;

/// <summary>
/// Fabrikam signs in and tries every registration route on Northwind's registrations: it learns nothing,
/// not even that they exist, and changes nothing.
/// </summary>
public sealed partial class TenantWallTests : IClassFixture<CoSellApp>
{
    private const string CustomerName = "Northwind Secret Account Corp";
    private const string CustomerDomain = "northwind-secret-account.com";

    private readonly CoSellApp _app;

    public TenantWallTests(CoSellApp app) => _app = app;

    public enum Stage
    {
        Draft,
        Submitted,
        Approved,
    }

    /// <summary>Every registration route, on a registration in the stage where its owner (or reviewer) could use it.</summary>
    public static TheoryData<string, string, Stage, HttpStatusCode, string?> Routes => new()
    {
        { "GET", "", Stage.Submitted, HttpStatusCode.NotFound, null },
        { "PATCH", "", Stage.Draft, HttpStatusCode.NotFound, "{\"notes\":\"Ours now.\"}" },
        { "POST", "/submit", Stage.Draft, HttpStatusCode.NotFound, null },
        { "POST", "/start-review", Stage.Submitted, HttpStatusCode.Forbidden, null },
        { "POST", "/approve", Stage.Submitted, HttpStatusCode.Forbidden, "{\"comment\":\"Fine by us.\"}" },
        { "POST", "/reject", Stage.Submitted, HttpStatusCode.Forbidden, "{\"reason\":\"duplicate\",\"comment\":\"We had it first.\"}" },
        { "POST", "/return", Stage.Submitted, HttpStatusCode.Forbidden, "{\"message\":\"Hand it over.\"}" },
        { "POST", "/withdraw", Stage.Submitted, HttpStatusCode.NotFound, "{\"reason\":\"Never mind.\"}" },
        { "POST", "/extend", Stage.Approved, HttpStatusCode.Forbidden, null },
        { "POST", "/close", Stage.Approved, HttpStatusCode.NotFound, "{\"outcome\":\"lost\",\"reason\":\"competitor\"}" },
        { "GET", "/timeline", Stage.Submitted, HttpStatusCode.NotFound, null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnotherPartnersRegistration_AnswersAsIfItDidNotExist_AndStaysUnchanged(string method, string action, Stage stage, HttpStatusCode expected, string? body)
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwinds = await NorthwindRegistration(stage, $"{method}{action}");
        var id = Api.Id(northwinds);
        var auditBefore = await AuditCount();

        var response = await Api.Send(fabrikam, new HttpMethod(method), $"/api/v1/registrations/{id}{action}", body, Api.ETag(northwinds));
        var problem = await Api.Problem(response, expected, expected == HttpStatusCode.NotFound ? "not_found" : "forbidden");

        response.Headers.ETag.Should().BeNull("an ETag would tell the registration's version");
        AssertRevealsNothing(problem.ToJsonString(), id);

        // A registration that does not exist at all gets the very same answer.
        var unknown = Guid.NewGuid().ToString();
        var nowhere = await Api.Problem(await Api.Send(fabrikam, new HttpMethod(method), $"/api/v1/registrations/{unknown}{action}", body, Api.ETag(northwinds)), expected);
        nowhere["code"]!.GetValue<string>().Should().Be(problem["code"]!.GetValue<string>());
        nowhere["detail"]!.GetValue<string>().Replace(unknown, id, StringComparison.Ordinal).Should().Be(problem["detail"]!.GetValue<string>());

        (await AuditCount()).Should().Be(auditBefore, "nothing happened to the registration");
        var asOwner = await Api.Get(await _app.ClientFor("partner.northwind"), $"/api/v1/registrations/{id}");
        JsonNode.DeepEquals(asOwner, northwinds).Should().BeTrue($"Northwind's registration must be as it was, but is {asOwner.ToJsonString()}");
    }

    [Fact]
    public async Task ListingRegistrations_ShowsOnlyTheCallersOwn()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwinds = await NorthwindRegistration(Stage.Submitted, "listing");
        await Api.Create(fabrikam, Api.NewRegistration(_app, "Fabrikam Own Customer AG", "fabrikam-own-customer.de", "DE"));

        foreach (var query in new[] { "", "?status=Submitted", $"?partnerId={DemoProgramme.Northwind}", "?status=Draft&pageSize=100" })
        {
            var page = await Api.Get(fabrikam, $"/api/v1/registrations{query}");
            var items = page["items"]!.AsArray();
            items.Select(i => i!["partnerId"]!.GetValue<string>()).Where(p => p != DemoProgramme.Fabrikam.ToString()).Should().BeEmpty($"'{query}' lists only Fabrikam's");
            var text = page.ToJsonString();
            text.Should().NotContain(Api.Id(northwinds)).And.NotContain(CustomerName).And.NotContain(DemoProgramme.Northwind.ToString());
        }

        var narrowed = await Api.Get(fabrikam, $"/api/v1/registrations?partnerId={DemoProgramme.Northwind}");
        narrowed["items"]!.AsArray().Should().BeEmpty("narrowed to another partner's registrations, a partner's list has none, not its own under another filter");
        narrowed["total"]!.GetValue<int>().Should().Be(0);
        (await Api.Get(fabrikam, $"/api/v1/registrations?partnerId={DemoProgramme.Fabrikam}"))["total"]!.GetValue<int>().Should().BePositive();

        var all = await Api.Get(fabrikam, "/api/v1/registrations?pageSize=100");
        all["total"]!.GetValue<int>().Should().Be(await _app.Db(db => db.Registrations.CountAsync(r => r.PartnerId == DemoProgramme.Fabrikam)), "the total counts Fabrikam's alone");
        all["items"]!.AsArray().Should().Contain(i => i!["customer"]!["name"]!.GetValue<string>() == "Fabrikam Own Customer AG");
    }

    [Fact]
    public async Task ListingPartners_ShowsAPartnerOnlyItself()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var page = await Api.Get(fabrikam, "/api/v1/partners?pageSize=100");

        page["total"]!.GetValue<int>().Should().Be(1);
        page["items"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).Should().Equal(DemoProgramme.Fabrikam.ToString());
        page.ToJsonString().Should().NotContain("Northwind").And.NotContain("Adatum");
    }

    [Fact]
    public async Task AnotherPartner_IsNotFound()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var response = await fabrikam.GetAsync($"/api/v1/partners/{DemoProgramme.Northwind}");
        var problem = await Api.Problem(response, HttpStatusCode.NotFound, "not_found");

        problem.ToJsonString().Should().NotContain("Northwind");
        response.Headers.ETag.Should().BeNull();
        var own = await Api.Get(fabrikam, $"/api/v1/partners/{DemoProgramme.Fabrikam}");
        own["name"]!.GetValue<string>().Should().Be("Fabrikam Consulting");
    }

    [Fact]
    public async Task ChangingAPartner_IsForbiddenToPartners()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        foreach (var partner in new[] { DemoProgramme.Northwind, DemoProgramme.Fabrikam })
        {
            var response = await Api.Send(fabrikam, HttpMethod.Patch, $"/api/v1/partners/{partner}", new { tier = "platinum" }, "\"1\"");
            var problem = await Api.Problem(response, HttpStatusCode.Forbidden, "forbidden");
            problem.ToJsonString().Should().NotContain("Northwind");
        }

        (await _app.Db(db => db.Partners.SingleAsync(p => p.Id == DemoProgramme.Fabrikam))).Tier.Should().Be(Domain.Partners.PartnerTier.Silver);
    }

    [Fact]
    public async Task ReviewQueue_IsForbiddenToPartners()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var problem = await Api.Problem(await fabrikam.GetAsync("/api/v1/reviews"), HttpStatusCode.Forbidden, "forbidden");

        problem.ToJsonString().Should().NotContain("items");
    }

    [Fact]
    public async Task TimelineOfACollidingRegistration_TellsThePartnerTheVerdictAlone()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwinds = await NorthwindRegistration(Stage.Submitted, "timeline");
        var ours = await Api.Create(fabrikam, Api.NewRegistration(_app, "Fabrikam Timeline GmbH", $"timeline.{CustomerDomain}", "DE", 10_000m, duns: "15-048-3782"));
        var submitted = await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        submitted["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("likely");

        var timeline = await Api.Get(fabrikam, $"/api/v1/registrations/{Api.Id(ours)}/timeline");

        var text = timeline.ToJsonString();
        text.Should().Contain("likely", "the partner learns the verdict");
        text.Should().NotContain("same registrable domain").And.NotContain("same DUNS").And.NotContain(Api.Id(northwinds)).And.NotContain(DemoProgramme.Northwind.ToString());
        var asManager = await Api.Get(await _app.ClientFor("manager"), $"/api/v1/registrations/{Api.Id(ours)}");
        asManager["duplicate"]!["reasons"]!.AsArray().Should().NotBeEmpty("vendor roles still see why it collides");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("northwind")]
    public async Task PartnerTokenNamingNoPartner_SignsNobodyIn_SeesNothingAndCreatesNothing(string? partnerId)
    {
        var northwinds = await NorthwindRegistration(Stage.Submitted, "nopartner");
        var stray = Tokens.ClientWith(_app, Tokens.PartnerWithoutPartner(_app, partnerId));
        var registrationsBefore = await _app.Db(db => db.Registrations.CountAsync());

        foreach (var path in new[] { "/api/v1/registrations", "/api/v1/partners", $"/api/v1/registrations/{Api.Id(northwinds)}", $"/api/v1/registrations/{Api.Id(northwinds)}/timeline" })
        {
            var response = await stray.GetAsync(path);
            var problem = await Api.Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
            problem.ToJsonString().Should().NotContain(CustomerName).And.NotContain("Northwind Systems");
        }

        await Api.Problem(await stray.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "Stray Token Ltd", "stray-token.com")), HttpStatusCode.Unauthorized, "unauthenticated");
        (await _app.Db(db => db.Registrations.CountAsync())).Should().Be(registrationsBefore);
    }

    /// <summary>Every list a partner user may read: one that keys on the caller's organisation, or one that does not.</summary>
    public static TheoryData<string, bool> PartnerLists => new()
    {
        { "/api/v1/registrations", true },
        { "/api/v1/opportunities", true },
        { "/api/v1/referrals", true },
        { "/api/v1/conflicts", true },
        { "/api/v1/partners", true },
        { "/api/v1/partnerships", true },
        { "/api/v1/account-lists", true },
        { "/api/v1/account-lists/customers", true },
        { "/api/v1/rules/versions", false },
    };

    [Theory]
    [MemberData(nameof(PartnerLists))]
    public async Task PartnerTokenNamingAnUnknownPartner_ReadsEveryListAsAnEmptyPage(string path, bool ownedByThePartner)
    {
        await NorthwindHoldsSomethingInEveryList();
        (await Api.Get(await _app.ClientFor("partner.northwind"), path))["items"]!.AsArray()
            .Should().NotBeEmpty($"{path} holds something Northwind may read, so an empty page for the stray token is the wall at work");
        var stray = Tokens.ClientWith(_app, Tokens.PartnerWithoutPartner(_app, Guid.NewGuid().ToString()));

        var page = await Api.Get(stray, path);

        page["page"]!.GetValue<int>().Should().Be(1);
        if (ownedByThePartner)
        {
            page["items"]!.AsArray().Should().BeEmpty($"{path} lists what the caller's organisation holds, and it holds nothing");
            page["total"]!.GetValue<int>().Should().Be(0);
            AssertRevealsNothing(page.ToJsonString(), requestedId: "");
        }
        else
        {
            page["items"]!.AsArray().Should().NotBeEmpty($"{path} is the same for every partner");
        }
    }

    /// <summary>
    /// Gives Northwind something in every list a partner reads, where it has nothing yet: a submitted registration, an
    /// opportunity it co-sells, a referral sent to it, a case its claim is in (against Fabrikam's), a partnership with
    /// the vendor and an uploaded customers list (of the 25 accounts a list needs at least).
    /// </summary>
    private async Task NorthwindHoldsSomethingInEveryList()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        async Task<bool> Empty(string path) => (await Api.Get(northwind, path))["total"]!.GetValue<int>() == 0;

        if (await Empty("/api/v1/registrations"))
        {
            await NorthwindRegistration(Stage.Submitted, "unknownpartner");
        }

        if (await Empty("/api/v1/opportunities"))
        {
            await CoSelling.CoSold(_app, rep, northwind, CoSelling.Northwind, "Wall Shared Deal", "wall-shared-deal.com");
        }

        if (await Empty("/api/v1/referrals"))
        {
            await Api.Post(rep, "/api/v1/referrals", CoSelling.Lead("Wall Referred Lead", "wall-referred-lead.com", CoSelling.Northwind), HttpStatusCode.Created);
        }

        if (await Empty("/api/v1/conflicts"))
        {
            var first = await Api.Create(northwind, Api.NewRegistration(_app, "Wall Contested Works", "wall-contested-works.com"));
            await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
            _app.Time.Advance(TimeSpan.FromMinutes(5));
            var fabrikam = await _app.ClientFor("partner.fabrikam");
            var second = await Api.Create(fabrikam, Api.NewRegistration(_app, "Wall Contested Works GmbH", "https://www.wall-contested-works.com/de", "DE", 10_000m));
            (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        }

        if (await Empty("/api/v1/partnerships"))
        {
            await Api.Post(northwind, "/api/v1/partnerships", new { }, HttpStatusCode.Created);
        }

        if (await Empty("/api/v1/account-lists"))
        {
            await AccountMapping.MappingApi.Upload(northwind, "customers", AccountMapping.MappingApi.Fillers("Wall Listed", 25));
        }
    }

    /// <summary>The body names no customer, partner, user or registration but the one the caller asked for.</summary>
    private static void AssertRevealsNothing(string body, string requestedId)
    {
        body.Should().NotContain(CustomerName).And.NotContain(CustomerDomain).And.NotContainEquivalentOf("northwind");
        Guids().Matches(body).Select(m => m.Value).Where(g => !string.Equals(g, requestedId, StringComparison.OrdinalIgnoreCase)).Should().BeEmpty($"the body names no other id: {body}");
    }

    private Task<int> AuditCount() => _app.Db(db => db.AuditEntries.CountAsync());

    /// <summary>A fresh Northwind registration in the given stage, as Northwind reads it.</summary>
    private async Task<JsonObject> NorthwindRegistration(Stage stage, string tag)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var slug = Regex.Replace(tag.ToLowerInvariant(), "[^a-z]", "");
        var registration = await Api.Create(northwind, Api.NewRegistration(_app, CustomerName, $"{slug}.{CustomerDomain}"));
        var id = Api.Id(registration);
        if (stage >= Stage.Submitted)
        {
            await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        }

        if (stage >= Stage.Approved)
        {
            await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{id}/approve");
        }

        return await Api.Get(northwind, $"/api/v1/registrations/{id}");
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guids();
}
