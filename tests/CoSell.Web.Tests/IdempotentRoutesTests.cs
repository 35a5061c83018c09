using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Http;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>
/// Every route that honours <c>Idempotency-Key</c> answers a retry with its first answer and stores nothing more: the
/// answer is kept in the commit of what it created, which each route arranges by saying how its answer is made.
/// </summary>
public sealed class IdempotentRoutesTests : IClassFixture<CoSellApp>
{
    /// <summary>Routes whose replay other tests prove, each with the route it shares a first answer on.</summary>
    private static readonly string[] ReplayedElsewhere =
    [
        "POST /api/v1/registrations/", // BadInputTests, ConcurrencyTests
        "POST /api/v1/opportunities/", // OpportunityTests
        "POST /api/v1/rules/versions", // AdminTests
        "POST /api/v1/partnerships/{id:guid}/overlaps/{ours}/{theirs}/referrals", // ReferOverlapTests
    ];

    private readonly CoSellApp _app;

    public IdempotentRoutesTests(CoSellApp app) => _app = app;

    private static readonly string[] ReplayedHere =
    [
        "POST /api/v1/partners/",
        "POST /api/v1/users/",
        "POST /api/v1/referrals/",
        "POST /api/v1/referrals/{id:guid}/convert",
        "POST /api/v1/opportunities/{id:guid}/notes",
        "POST /api/v1/opportunities/{id:guid}/invitations",
        "POST /api/v1/registrations/{id:guid}/opportunity",
        "POST /api/v1/partnerships/",
        "POST /api/v1/conflicts/",
        "POST /api/v1/conflicts/{id:guid}/statements",
    ];

    public static TheoryData<string> Routes() => new(ReplayedHere);

    [Fact]
    public void EveryRouteThatHonoursTheKey_HasItsReplayProved()
    {
        var honouring = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IdempotentMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"));

        honouring.Should().BeEquivalentTo(ReplayedHere.Concat(ReplayedElsewhere));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ARetryWithTheSameKey_AnswersTheFirstAnswer_AndStoresNothingMore(string route)
    {
        var (client, path, body) = await Arrange(route, $"rt{Array.IndexOf(ReplayedHere, route)}");
        var key = $"retry-{route}";

        var first = await client.SendAsync(Keyed(path, body, key));
        first.IsSuccessStatusCode.Should().BeTrue(await first.Content.ReadAsStringAsync());
        var answered = await first.Content.ReadAsStringAsync();
        var stored = await Stored();

        var retry = await client.SendAsync(Keyed(path, body, key));

        retry.StatusCode.Should().Be(first.StatusCode);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        JsonNode.DeepEquals(JsonNode.Parse(await retry.Content.ReadAsStringAsync()), JsonNode.Parse(answered)).Should().BeTrue("the retry answers the first answer");
        retry.Headers.Location.Should().Be(first.Headers.Location);
        retry.Headers.ETag.Should().Be(first.Headers.ETag);
        (await Stored()).Should().Be(stored, "a retry creates nothing and writes nothing to the log");
    }

    [Fact]
    public async Task ARetrySendingAnEmptyObjectWhereTheFirstSentNoBody_OrNamingTheIdWithoutHyphens_IsTheSameRequest()
    {
        var admin = await _app.ClientFor("admin");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Bodiless Proposer Ltd", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
        var proposer = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var bodiless = new HttpRequestMessage(HttpMethod.Post, "/api/v1/partnerships");
        bodiless.Headers.Add(IdempotencyFilter.Header, "bodiless");
        var proposed = await proposer.SendAsync(bodiless);
        await Api.Expect(proposed, HttpStatusCode.Created);

        var again = await proposer.SendAsync(Keyed("/api/v1/partnerships", new { }, "bodiless"));

        again.StatusCode.Should().Be(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        again.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        again.Headers.Location.Should().Be(proposed.Headers.Location);

        var rep = await _app.ClientFor("rep");
        var deal = Guid.Parse(Api.Id(await OpenDirect(rep, _app, "Hyphenless Deal Inc", "hyphenless-deal.com")));
        var note = new { visibility = "shared", body = "Written once." };
        var written = await rep.SendAsync(Keyed($"/api/v1/opportunities/{deal:D}/notes", note, "hyphenless"));
        await Api.Expect(written, HttpStatusCode.Created);
        var stored = await Stored();

        var retried = await rep.SendAsync(Keyed($"/api/v1/opportunities/{deal:N}/notes", note, "hyphenless"));

        retried.StatusCode.Should().Be(HttpStatusCode.Created, await retried.Content.ReadAsStringAsync());
        retried.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await Stored()).Should().Be(stored);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task ARetryDifferingFromTheFirstByAByteOrderMark_OrderAndWhiteSpace_IsTheSameRequest(bool firstMarked, bool retryMarked)
    {
        var rep = await _app.ClientFor("rep");
        var deal = Api.Id(await OpenDirect(rep, _app, $"Marked Body {firstMarked} {retryMarked} Inc", $"marked-{firstMarked}-{retryMarked}.com".ToLowerInvariant()));
        var path = $"/api/v1/opportunities/{deal}/notes";
        var key = $"marked-{firstMarked}-{retryMarked}";
        HttpRequestMessage Raw(string json, bool marked)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ByteArrayContent([.. marked ? new byte[] { 0xEF, 0xBB, 0xBF } : [], .. System.Text.Encoding.UTF8.GetBytes(json)]),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add(IdempotencyFilter.Header, key);
            return request;
        }

        var written = await rep.SendAsync(Raw("""{"visibility":"shared","body":"Marked once."}""", firstMarked));
        await Api.Expect(written, HttpStatusCode.Created);
        var stored = await Stored();

        var retried = await rep.SendAsync(Raw("""{ "body" : "Marked once.",  "visibility" : "shared" }""", retryMarked));

        retried.StatusCode.Should().Be(HttpStatusCode.Created, await retried.Content.ReadAsStringAsync());
        retried.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        retried.Headers.Location.Should().Be(written.Headers.Location);
        (await Stored()).Should().Be(stored);
    }

    [Fact]
    public async Task ARecordStoredWithThePathAsSent_BeforeIdsWereWrittenInOneForm_StillAnswersItsRetry()
    {
        var rep = await _app.ClientFor("rep");
        var deal = Guid.Parse(Api.Id(await OpenDirect(rep, _app, "Path As Sent Inc", "path-as-sent.com")));
        var path = $"/api/v1/opportunities/{deal:N}/notes";
        var written = await rep.SendAsync(Keyed(path, new { visibility = "shared", body = "Written once." }, "as-sent"));
        await Api.Expect(written, HttpStatusCode.Created);
        var location = written.Headers.Location!.ToString();
        var earlier = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"POST {path}\n{{\"body\":\"Written once.\",\"visibility\":\"shared\"}}")));
        (await _app.Db(db => db.IdempotencyRecords.Where(r => r.Location == location).ExecuteUpdateAsync(r => r.SetProperty(x => x.RequestHash, earlier)))).Should().Be(1);
        var stored = await Stored();

        var retried = await rep.SendAsync(Keyed(path, new { visibility = "shared", body = "Written once." }, "as-sent"));

        retried.StatusCode.Should().Be(HttpStatusCode.Created, await retried.Content.ReadAsStringAsync());
        retried.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await Stored()).Should().Be(stored);
    }

    /// <summary>The caller, path and body of a first request on the route, with what it needs already there.</summary>
    private async Task<(HttpClient Client, string Path, object Body)> Arrange(string route, string tag)
    {
        var admin = await _app.ClientFor("admin");
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        switch (route)
        {
            case "POST /api/v1/partners/":
                return (admin, "/api/v1/partners", new { name = $"Retried Partner {tag}", tier = "silver", territories = new[] { "FR" } });
            case "POST /api/v1/users/":
                return (admin, "/api/v1/users", new { id = Guid.NewGuid(), userName = $"retried.{tag}", displayName = "Retried Rep", role = "rep" });
            case "POST /api/v1/referrals/":
                return (rep, "/api/v1/referrals", Lead($"Retried Lead {tag}", $"retried-lead-{tag}.com"));
            case "POST /api/v1/referrals/{id:guid}/convert":
                var referral = await Api.Post(rep, "/api/v1/referrals", Lead($"Converted Lead {tag}", $"converted-lead-{tag}.com"), HttpStatusCode.Created);
                await Api.Post(northwind, $"/api/v1/referrals/{Api.Id(referral)}/accept");
                return (northwind, $"/api/v1/referrals/{Api.Id(referral)}/convert", new { expectedCloseDate = Api.CloseDate(_app) });
            case "POST /api/v1/opportunities/{id:guid}/notes":
                var noted = await OpenDirect(rep, _app, $"Noted Deal {tag}", $"noted-deal-{tag}.com");
                return (rep, $"/api/v1/opportunities/{Api.Id(noted)}/notes", new { visibility = "shared", body = "Sent once, retried once." });
            case "POST /api/v1/opportunities/{id:guid}/invitations":
                var inviting = await OpenDirect(rep, _app, $"Inviting Deal {tag}", $"inviting-deal-{tag}.com");
                return (rep, $"/api/v1/opportunities/{Api.Id(inviting)}/invitations", new { partnerId = Northwind, message = "Join us." });
            case "POST /api/v1/registrations/{id:guid}/opportunity":
                var approved = await Api.Create(northwind, Api.NewRegistration(_app, $"Approved Deal {tag}", $"approved-deal-{tag}.com"));
                await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(approved)}/submit");
                await Api.Post(manager, $"/api/v1/registrations/{Api.Id(approved)}/approve");
                return (rep, $"/api/v1/registrations/{Api.Id(approved)}/opportunity", new { });
            case "POST /api/v1/partnerships/":
                var partner = await Api.Post(admin, "/api/v1/partners", new { name = $"Mapping Partner {tag}", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
                return (manager, "/api/v1/partnerships", new { partnerId = Api.Id(partner) });
            case "POST /api/v1/conflicts/":
                var (claimed, unspotted) = await TwoClaimsOnOneCustomer(tag);
                return (manager, "/api/v1/conflicts", new { registrationId = unspotted, withClaims = new[] { claimed } });
            case "POST /api/v1/conflicts/{id:guid}/statements":
                var (first, second) = await TwoClaimsOnOneCustomer(tag);
                var opened = await Api.Post(manager, "/api/v1/conflicts", new { registrationId = second, withClaims = new[] { first } }, HttpStatusCode.Created);
                return (northwind, $"/api/v1/conflicts/{Api.Id(opened)}/statements", new { text = "We met them first.", links = new[] { "https://example.org/minutes" } });
            default:
                throw new ArgumentOutOfRangeException(nameof(route), route, "No first request is arranged for this route.");
        }
    }

    /// <summary>
    /// Northwind's submitted claim, and Adatum's on the same customer written without a domain, which the duplicate check
    /// does not catch: a case the channel manager opens by hand.
    /// </summary>
    private async Task<(string Claimed, string Unspotted)> TwoClaimsOnOneCustomer(string tag)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, $"Hand Opened {tag} KK", $"hand-opened-{tag}.jp", "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
        var second = await Api.Create(adatum, Api.NewRegistration(_app, $"Hando Opened {tag} Kabushiki Kaisha", null, "JP"));
        (await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("submitted");
        return (Api.Id(first), Api.Id(second));
    }

    private static object Lead(string name, string domain) => new
    {
        partnerId = Northwind,
        customer = new { name, domain, country = "US" },
        contact = new { name = "Lee Lead", email = $"lee@{domain}" },
        productLines = new[] { "Analytics" },
        estimatedValue = new { amount = 90_000m, currency = "USD" },
        message = "They asked for a local partner.",
    };

    private static HttpRequestMessage Keyed(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(IdempotencyFilter.Header, key);
        return request;
    }

    private Task<string> Stored() => _app.Db(async db => string.Join(' ',
        await db.Partners.CountAsync(), await db.Users.CountAsync(), await db.Registrations.CountAsync(), await db.Conflicts.CountAsync(),
        await db.Opportunities.CountAsync(), await db.Referrals.CountAsync(), await db.Partnerships.CountAsync(),
        await db.AuditEntries.CountAsync(), await db.IdempotencyRecords.CountAsync()));
}
