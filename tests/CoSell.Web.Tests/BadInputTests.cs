using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CoSell.Domain.Users;
using CoSell.Web.Identity;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests;

/// <summary>
/// Every kind of bad request gets its problem (right status, stable code, traceId), never a 500,
/// and leaves nothing stored behind.
/// </summary>
public sealed class BadInputTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public BadInputTests(CoSellApp app) => _app = app;

    private sealed record Stored(int Registrations, int AuditEntries, int IdempotencyKeys);

    [Theory]
    [InlineData("{\"customer\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"customer\":{\"name\":\"Acme\",\"country\":\"US\"},}")]
    [InlineData("{'customer': {}}")]
    [InlineData("{\"notes\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}")]
    public async Task Create_WithMalformedJson_Is400MalformedJson(string body)
    {
        var partner = await _app.ClientFor("partner.northwind");
        await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body), HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Create_WithAnEmptyBody_Is400_InTheServicesOwnWords()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", ""), HttpStatusCode.BadRequest, "bad_request");
        problem["detail"]!.GetValue<string>().Should().Be("The request needs a JSON body.");
    }

    [Theory]
    [InlineData("null")]
    [InlineData(" null \n")]
    public async Task Create_WithABodyOfJsonNull_Is400MalformedJson_AsAValueOfTheWrongTypeIs(string body)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body), HttpStatusCode.BadRequest, "malformed_json");
        problem["detail"]!.GetValue<string>().Should().Be("The body is JSON null: send the JSON object this route reads.");
    }

    [Fact]
    public async Task ARouteWhoseBodyMayBeLeftOut_RefusesABodyOfJsonNull_AsMalformedJson_AndDoesNothing()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Null Body Approvals Inc", "null-body-approvals.com")))}/submit");
        const string detail = "The body is JSON null: send the JSON object this route reads, or no body at all.";

        foreach (var (client, path) in new[] { (manager, "approve"), (partner, "withdraw") })
        {
            var refused = await Refused(() => Api.Send(client, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/{path}", "null"), HttpStatusCode.BadRequest, "malformed_json");
            refused["detail"]!.GetValue<string>().Should().Be(detail);
        }

        await Unchanged(submitted);
        // Without a body, the same route goes ahead: a body left out is nothing to add.
        var approved = await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/approve", "");
        await Api.Expect(approved, HttpStatusCode.OK);
        var read = await Api.Get(partner, $"/api/v1/registrations/{Api.Id(submitted)}");
        await Refused(() => Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/opportunity", "null"), HttpStatusCode.BadRequest, "malformed_json");
        await Unchanged(read);
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        await Refused(() => Api.Send(fabrikam, HttpMethod.Post, "/api/v1/partnerships", "null"), HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Create_WithABodyOfJsonNull_StreamedWithoutALength_Is400MalformedJson()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var streamed = new StreamContent(new MemoryStream("null"u8.ToArray()));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        streamed.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;

        await Refused(() => partner.SendAsync(request), HttpStatusCode.BadRequest, "malformed_json");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task Create_WithoutAJsonContentType_Is415(string? contentType)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Api.RawRegistration(_app, "Plain Text Inc", "plain-text.com").ToJsonString()));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        var problem = await Refused(() => partner.PostAsync("/api/v1/registrations", content), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        problem["title"]!.GetValue<string>().Should().Be("Unsupported media type.");
    }

    [Theory]
    [InlineData("estimatedValue", "{\"amount\":\"120000\",\"currency\":\"USD\"}")]
    [InlineData("productLines", "{\"first\":\"Security\"}")]
    [InlineData("productLines", "[1, 2]")]
    [InlineData("customer", "[\"Acme\"]")]
    [InlineData("expectedCloseDate", "20301231")]
    [InlineData("expectedCloseDate", "\"next spring\"")]
    public async Task Create_WithAFieldOfTheWrongType_Is400MalformedJson(string field, string value)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Wrong Types Inc", "wrong-types.com");
        body[field] = JsonNode.Parse(value);

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Contain(field, "the caller learns which value could not be read");
    }

    [Fact]
    public async Task Reject_WithAnUnknownReason_Is400AndTheRegistrationStaysUnderReview()
    {
        var manager = await _app.ClientFor("manager");
        var submitted = await Submitted("Banana Republic Traders", "banana-traders.com");

        await Refused(() => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/reject", "{\"reason\":\"banana\"}"), HttpStatusCode.BadRequest, "malformed_json");
        await Refused(() => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/reject", "{\"reason\":3}"), HttpStatusCode.BadRequest, "malformed_json");

        await Unchanged(submitted);
    }

    [Fact]
    public async Task Close_WithAnUnknownOutcome_Is400AndTheRegistrationStaysApproved()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var approved = await Approved("Maybe Later Holdings", "maybe-later.com");

        await Refused(() => Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/close", "{\"outcome\":\"maybe\"}"), HttpStatusCode.BadRequest, "malformed_json");
        await Refused(() => Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/close", "{\"outcome\":\"lost\",\"reason\":\"aliens\"}"), HttpStatusCode.BadRequest, "malformed_json");

        await Unchanged(approved);
    }

    [Fact]
    public async Task Return_WithAMessageOfInvisibleCharactersOnly_Is400AndTheRegistrationStaysAsItWas()
    {
        var manager = await _app.ClientFor("manager");
        var submitted = await Submitted("Invisible Ink Supplies", "invisible-ink.com");

        var problem = await Refused(
            () => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/return", "{\"message\":\"\\u200b\\u200d\"}"),
            HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["message"].Should().NotBeNull("a required message must say something a partner can read");
        await Unchanged(submitted);
    }

    [Fact]
    public async Task AMissingField_IsNamedInItsMessage_AsTheRequestSpellsIt()
    {
        var manager = await _app.ClientFor("manager");
        var partner = await _app.ClientFor("partner.northwind");
        var submitted = await Submitted("Unnamed Field Works", "unnamed-field.com");
        var approved = await Approved("Unnamed Reason Works", "unnamed-reason.com");

        var returned = await Refused(() => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/return", "{}"), HttpStatusCode.BadRequest, "validation_failed");
        var closed = await Refused(() => Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/close", "{\"outcome\":\"lost\"}"), HttpStatusCode.BadRequest, "validation_failed");

        returned["errors"]!["message"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Contain("'message' must not be empty.");
        closed["errors"]!["reason"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Contain("'reason' must not be empty.");
        await Unchanged(submitted);
        await Unchanged(approved);
    }

    [Theory]
    [InlineData("competitor, noDecision")]
    [InlineData("competitor,noDecision")]
    [InlineData("1")]
    [InlineData(" competitor")]
    public async Task Close_WithAListOrANumberForTheReason_Is400NamingTheField_NotAnotherReason(string reason)
    {
        // Read as flags, "competitor, noDecision" was the union of the two values: a reason nobody gave ("budget").
        var partner = await _app.ClientFor("partner.northwind");
        var approved = await Approved("Two Reasons Trading", "two-reasons.com");

        var problem = await Refused(
            () => Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/close", $"{{\"outcome\":\"lost\",\"reason\":\"{reason}\"}}"),
            HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Contain("reason").And.Contain("is not one of: ").And.Contain("competitor", "the caller learns the names it may give");
        await Unchanged(approved);
    }

    [Fact]
    public async Task Reject_WithANumberForTheReason_Is400ListingTheNames()
    {
        var manager = await _app.ClientFor("manager");
        var submitted = await Submitted("Numbered Reason Ltd", "numbered-reason.com");

        var problem = await Refused(
            () => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/reject", "{\"reason\":3}"),
            HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().StartWith("The value at '$.reason' cannot be read: Give one of: ").And.Contain("duplicate");
        await Unchanged(submitted);
    }

    [Theory]
    [InlineData("status=nope")]
    [InlineData("status=99")]
    [InlineData("pageSize=lots")]
    [InlineData("partnerId=northwind")]
    public async Task List_WithAnUnreadableFilter_Is400(string query)
    {
        var manager = await _app.ClientFor("manager");
        await Refused(() => manager.GetAsync($"/api/v1/registrations?{query}"), HttpStatusCode.BadRequest, null);
    }

    [Theory]
    [InlineData("page=abc", "page")]
    [InlineData("page=0", "page")]
    [InlineData("page=1&page=2", "page")]
    [InlineData("page=2147483648", "page")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("partnerId=nope", "partnerId")]
    [InlineData("PAGE=0", "page")]
    public async Task AList_WithAnUnreadablePageOrId_Is400NamingTheParameter(string query, string parameter)
    {
        var manager = await _app.ClientFor("manager");

        var problem = await Refused(() => manager.GetAsync($"/api/v1/registrations?{query}"), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]![parameter].Should().NotBeNull("the caller learns which parameter to fix");
    }

    [Theory]
    [InlineData("/api/v1/conflicts?overdue=maybe", "overdue")]
    [InlineData("/api/v1/conflicts?all=2", "all")]
    [InlineData("/api/v1/conflicts/measures?from=yesterday", "from")]
    [InlineData("/api/v1/conflicts/measures?from=1/2/2026", "from")]
    [InlineData("/api/v1/conflicts/measures?from=Jan%201%202026", "from")]
    [InlineData("/api/v1/conflicts/measures?from=00:00", "from")]
    [InlineData("/api/v1/conflicts/measures?to=Thu,%2001%20Jan%202026%2000:00:00%20GMT", "to")]
    public async Task AFilterThatCannotBeRead_Is400NamingIt(string path, string parameter)
    {
        var admin = await _app.ClientFor("admin");

        var problem = await Refused(() => admin.GetAsync(path), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]![parameter].Should().NotBeNull();
    }

    [Theory]
    [InlineData("2026-01-02", "2026-01-02T00:00:00Z")]
    [InlineData("2026-01-02T03:04", "2026-01-02T03:04:00Z")]
    [InlineData("2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z")]
    [InlineData("2026-01-02T03:04:05.25%2B01:00", "2026-01-02T02:04:05.25Z")]
    [InlineData("2026-01-02T03:04:05-12:00", "2026-01-02T15:04:05Z")]
    public async Task AnInstantInIso8601_IsTaken_AsTheInstantItNames(string from, string read)
    {
        var admin = await _app.ClientFor("admin");

        var measures = await Api.Get(admin, $"/api/v1/conflicts/measures?from={from}");

        measures["from"]!.GetValue<DateTimeOffset>().Should().Be(DateTimeOffset.Parse(read, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AParameterNoRouteReads_IsIgnored_EvenWhenItsNameEndsLikeAnId()
    {
        var manager = await _app.ClientFor("manager");

        await Api.Expect(await manager.GetAsync("/api/v1/registrations?paid=1"), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("-0.001")]
    [InlineData("0.004")]
    [InlineData("1e20")]
    [InlineData("100000000000.01")]
    [InlineData("999.995")]
    public async Task Create_WithAnAmountOutOfRange_Is400ValidationFailed(string amount)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Odd Amounts Ltd", "odd-amounts.com");
        body["estimatedValue"]!["amount"] = JsonNode.Parse(amount);

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("estimatedValue.amount");
    }

    [Theory]
    // More digits than a decimal keeps: read as 1000, 0.01 and 100, each would pass a check the number sent fails.
    [InlineData("999.99999999999999999999999999")]
    [InlineData("0.00999999999999999999999999999999")]
    [InlineData("100.000000000000000000000000001")]
    [InlineData("1e-400")]
    public async Task Create_WithAnAmountADecimalWouldRound_Is400NamingTheField(string amount)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Rounded Up Ltd", "rounded-up.com");
        body["estimatedValue"]!["amount"] = JsonNode.Parse(amount);
        body.ToJsonString().Should().Contain(amount, "the number is sent as written");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Contain("estimatedValue.amount").And.Contain("cannot be kept exactly");
    }

    [Fact]
    public async Task Create_WithAnAmountWrittenWithManyTrailingZeros_IsTheSameAmount()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Many Zeros Ltd", "many-zeros.com");
        body["estimatedValue"]!["amount"] = JsonNode.Parse("120000.000000000000000000000000000000");

        var created = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString());

        await Api.Expect(created, HttpStatusCode.Created);
        (await Api.Body(created))["estimatedValue"]!["amount"]!.GetValue<decimal>().Should().Be(120000m);
    }

    [Fact]
    public async Task Create_WithAFractionOfAYen_Is400ValidationFailed()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Odd Yen KK", "odd-yen.co.jp");
        body["estimatedValue"] = JsonNode.Parse("{\"amount\":1000.5,\"currency\":\"JPY\"}");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["estimatedValue.amount"]![0]!.GetValue<string>().Should().Be("JPY has no minor unit: give a whole amount.");
    }

    [Fact]
    public async Task Create_WithAnAmountBeyondAnyNumber_Is400MalformedJson()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Odd Amounts Ltd", "odd-amounts.com");
        body["estimatedValue"]!["amount"] = JsonNode.Parse("1e300");

        await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Edit_WithAZeroAmount_Is400AndTheDraftKeepsItsValue()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Zero Sum Games", "zero-sum.com");

        var problem = await Refused(() => Api.PatchRegistration(partner, Api.Id(draft), new { estimatedValue = new { amount = 0, currency = "USD" } }, Api.ETag(draft)), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("estimatedValue.amount");
        await Unchanged(draft);
    }

    [Theory]
    [InlineData("XXX")]
    [InlineData("usd1")]
    [InlineData("u\u017Fd")] // a long s, which upper-cases to S
    [InlineData("US")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Create_WithAnUnknownCurrency_Is400ValidationFailed(string? currency)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Funny Money Corp", "funny-money.com");
        body["estimatedValue"]!["currency"] = currency;

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("estimatedValue.currency");
    }

    [Theory]
    [InlineData("XAU")]
    [InlineData("CLF")]
    [InlineData("UYW")]
    public async Task Create_InAnIsoCodeThatIsNoCurrencyInCirculation_Is400SayingWhatIsTaken(string currency)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Bullion Holdings", "bullion-holdings.com");
        body["estimatedValue"]!["currency"] = currency;

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["estimatedValue.currency"]![0]!.GetValue<string>().Should()
            .Be($"'{currency}' is not a currency CoSell takes: give the ISO 4217 code of a currency in circulation, such as USD or EUR.",
                "it is an ISO 4217 code, of a metal or a unit of account, so 'not an ISO 4217 code' would be untrue");
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("USA")]
    [InlineData("U")]
    [InlineData("u\u017F")] // a long s, which upper-cases to S
    [InlineData("")]
    public async Task Create_WithAnUnknownCountry_Is400ValidationFailed(string country)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Nowhere Land Ltd", "nowhere-land.com");
        body["customer"]!["country"] = country;

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("customer.country");
    }

    [Fact]
    public async Task Create_WithACloseDateInThePast_Is400ValidationFailed()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Yesterday Industries", "yesterday.com");
        body["expectedCloseDate"] = Api.CloseDate(_app, -1);

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("expectedCloseDate");
    }

    [Fact]
    public async Task Edit_MovingTheCloseDateIntoThePast_Is400AndTheDraftKeepsItsDate()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Time Travel Agency", "time-travel.com");

        var problem = await Refused(() => Api.PatchRegistration(partner, Api.Id(draft), new { expectedCloseDate = Api.CloseDate(_app, -30) }, Api.ETag(draft)), HttpStatusCode.BadRequest, "registration.close_date_invalid");
        problem["errors"]!.AsObject().Should().ContainKey("expectedCloseDate");

        await Unchanged(draft);
    }

    [Fact]
    public async Task Create_WithA10MegabyteBody_Is413()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Huge Body Corp", "huge-body.com");
        body["notes"] = new string('x', 10 * 1024 * 1024);

        await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("identity, gzip")]
    public async Task Create_WithACodedBody_Is415_AndStoresNothing(string coding)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var content = new StringContent(Api.RawRegistration(_app, "Coded Body Corp", "coded-body.com").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        content.Headers.TryAddWithoutValidation("Content-Encoding", coding);

        HttpResponseMessage? refusedAnswer = null;
        var problem = await Refused(async () => refusedAnswer = await partner.PostAsync("/api/v1/registrations", content), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        problem["detail"]!.GetValue<string>().Should().Contain("Content-Encoding").And.Contain("uncompressed");
        refusedAnswer!.Headers.TryGetValues("Accept-Encoding", out var accepted).Should().BeTrue();
        accepted.Should().Equal("identity");
        (await Api.Get(partner, "/api/v1/registrations?pageSize=100"))["items"]!.AsArray().Should().NotContain(r => r!["customer"]!["name"]!.GetValue<string>() == "Coded Body Corp");
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("")]
    public async Task Create_WithTheIdentityCodingOrNone_IsReadAsItStands(string coding)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var content = new StringContent(Api.RawRegistration(_app, $"Identity Coded {coding.Length} Corp", $"identity-coded-{coding.Length}.com").ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        content.Headers.TryAddWithoutValidation("Content-Encoding", coding);

        (await partner.PostAsync("/api/v1/registrations", content)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/v1/registrations")]
    public async Task ARead_WithAContentEncodingHeader_IsServed(string path)
    {
        var partner = await _app.ClientFor("partner.northwind");
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentEncoding.Add("gzip");

        (await partner.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK, "a request without a body has nothing coded");
    }

    // Before, outside /api every path was taken to read its body, so a body a probe, the API description or a path
    // nothing answers never reads was judged first: 415 for its charset or coding, 413 for its size.
    [Theory]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/nothing-here", HttpStatusCode.NotFound)]
    public async Task ABodyARouteNeverReads_IsNotJudged_OutsideTheApiAsWithinIt(string path, HttpStatusCode status)
    {
        var partner = await _app.ClientFor("partner.northwind");
        foreach (var (type, coding, size) in new[] { ("application/json; charset=utf-7", (string?)null, 2), ("application/json", "br", 2), ("application/json", null, 300 * 1024) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Content = new StringContent(new string(' ', size - 2) + "{}") };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            if (coding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(coding);
            }

            (await partner.SendAsync(request)).StatusCode.Should().Be(status, "{0} is never read ({1}, {2}, {3} bytes)", path, type, coding, size);
        }
    }

    [Theory]
    [InlineData("estimatedValue")]
    [InlineData("expectedCloseDate")]
    public async Task Create_WithAFieldGivenTwice_Is400NamingIt_AndStoresNothing(string field)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Twice Given Corp", "twice-given.com").ToJsonString();
        var repeated = body.TrimEnd('}') + $",\"{field}\":{System.Text.Json.JsonSerializer.Serialize(System.Text.Json.Nodes.JsonNode.Parse(body)![field])}}}";

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", repeated), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Be($"'$.{field}' is given more than once; give each field once.");
        (await Api.Get(partner, "/api/v1/registrations?pageSize=100"))["items"]!.AsArray().Should().NotContain(r => r!["customer"]!["name"]!.GetValue<string>() == "Twice Given Corp");
    }

    [Fact]
    public async Task Create_WithA10MegabyteBodyOfUnannouncedLength_Is413()
    {
        var partner = await _app.StreamingClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Huge Stream Corp", "huge-stream.com");
        body["notes"] = new string('x', 10 * 1024 * 1024);
        var content = new StreamContent(new UnannouncedLengthStream(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", content), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        problem["title"]!.GetValue<string>().Should().Be("The request body is too large.", "it reads as the 413 of a body that stated its length");
        problem["detail"]!.GetValue<string>().Should().Be("Request bodies on this route are limited to 256 KiB.");
    }

    [Fact]
    public async Task Create_WithA10000CharacterName_Is400ValidationFailed()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, new string('N', 10_000), "long-name.com");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("customer.name");
        problem.ToJsonString().Should().NotContain(new string('N', 300), "an error does not echo an oversized value back");
    }

    [Theory]
    [InlineData("Acme\u0000Corp")]
    [InlineData("Acme\u0007Corp")]
    [InlineData("\u001b[2JAcme Corp")]
    [InlineData("Acme Corp\u007f")]
    public async Task Create_WithControlCharactersInTheCustomerName_Is400ValidationFailed(string name)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, name, "control-chars.com");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("customer.name");
    }

    [Fact]
    public async Task Create_WithLineBreaksAndTabsInTheCustomerName_StoresOneSpacedName()
    {
        var partner = await _app.ClientFor("partner.northwind");

        var created = await Api.Create(partner, Api.NewRegistration(_app, "  Pasted\r\nFrom\tExcel  ", "pasted-from-excel.com"));

        created["customer"]!["name"]!.GetValue<string>().Should().Be("Pasted From Excel");
    }

    [Theory]
    [InlineData("Evil\u0000Partners")]
    [InlineData("Evil\u001bPartners")]
    public async Task CreatePartner_WithControlCharactersInTheName_Is400(string name)
    {
        var admin = await _app.ClientFor("admin");
        var partnersBefore = await _app.Db(db => db.Partners.CountAsync());

        await Refused(() => admin.PostAsJsonAsync("/api/v1/partners", new { name, tier = "silver", territories = new[] { "FR" } }), HttpStatusCode.BadRequest, null);

        (await _app.Db(db => db.Partners.CountAsync())).Should().Be(partnersBefore);
    }

    [Fact]
    public async Task Create_WithControlCharactersInAProductLine_Is400()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Product Lines Ltd", "product-lines.com");
        body["productLines"] = new JsonArray("Secu\u0000rity");

        var problem = await Refused(() => Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("productLines");
    }

    [Theory]
    [InlineData("GET", "/api/v1/registrations")]
    [InlineData("POST", "/api/v1/registrations")]
    [InlineData("GET", "/api/v1/partners")]
    [InlineData("GET", "/api/v1/reviews")]
    public async Task WithoutAToken_Is401(string method, string path)
    {
        var anonymous = _app.CreateClient();
        var body = method == "POST" ? Api.NewRegistration(_app, "Anonymous Inc", "anonymous.com") : null;

        await Refused(() => Api.Send(anonymous, new HttpMethod(method), path, body), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("none", "Send a bearer token in the Authorization header.")]
    [InlineData("expired", "The token has expired: sign in again.")]
    [InlineData("not yet valid", "The token is not valid yet.")]
    [InlineData("another audience", "The token was issued for another audience than this service's.")]
    [InlineData("another issuer", "The token was issued by an issuer this service does not trust.")]
    [InlineData("forged", "The token's signature does not verify with this service's keys.")]
    [InlineData("garbage", "The token cannot be read as a JWT.")]
    [InlineData("three segments of garbage", "The token cannot be read as a JWT.")]
    [InlineData("partner without partner_id", "A partner's token must name its one partner organisation (partner_id).")]
    [InlineData("no expiry", "The token names no expiry (exp): this service accepts only tokens that expire.")]
    [InlineData("empty lifetime", "The token's validity ends before it begins (its exp is not after its nbf).")]
    [InlineData("an issuer with a letter outside ASCII", "The token was issued by an issuer this service does not trust.")]
    [InlineData("an issuer with a quote and a line break", "The token was issued by an issuer this service does not trust.")]
    public async Task ARefusedToken_IsA401SayingWhy_WithoutEchoingIt(string token, string detail)
    {
        var options = _app.Services.GetRequiredService<CoSell.Web.Identity.AuthOptions>();
        var key = new Microsoft.IdentityModel.Tokens.SigningCredentials(
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(options.SigningKey!)), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256);
        var claims = new[] { new System.Security.Claims.Claim(CoSell.Web.Identity.CoSellClaims.Subject, Guid.NewGuid().ToString()), new System.Security.Claims.Claim(CoSell.Web.Identity.CoSellClaims.Role, "admin") };
        string Signed(string issuer, string audience) => new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().WriteToken(
            new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(issuer, audience, claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), key));
        string Unchecked(long? notBefore, long? expires)
        {
            var payload = new System.IdentityModel.Tokens.Jwt.JwtPayload { ["iss"] = options.Issuer!, ["aud"] = options.Audience!, ["sub"] = Guid.NewGuid().ToString(), ["role"] = "admin" };
            payload["nbf"] = notBefore;
            if (expires is not null)
            {
                payload["exp"] = expires;
            }

            return new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().WriteToken(new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(new System.IdentityModel.Tokens.Jwt.JwtHeader(key), payload));
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var bearer = token switch
        {
            "none" => null,
            "no expiry" => Unchecked(now - 60, null),
            "empty lifetime" => Unchecked(now + 600, now + 60),
            "an issuer with a letter outside ASCII" => Signed("https://café.example", options.Audience!),
            "an issuer with a quote and a line break" => Signed("https://e.example/\"x, error=\"y\r\nX-Injected: 1", options.Audience!),
            "expired" => Tokens.Expired(_app),
            "not yet valid" => Tokens.Mint(_app, notBefore: DateTime.UtcNow.AddHours(1)),
            "another audience" => Signed(options.Issuer!, "someone-else"),
            "another issuer" => Signed("https://issuer.example", options.Audience!),
            "forged" => Tokens.Forged(_app),
            "garbage" => "not-a-jwt",
            "three segments of garbage" => "abc.def.ghi",
            _ => Tokens.PartnerWithoutPartner(_app, null),
        };
        var client = bearer is null ? _app.CreateClient() : Tokens.ClientWith(_app, bearer);

        HttpResponseMessage? answered = null;
        var problem = await Refused(async () => answered = await client.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");

        problem["detail"]!.GetValue<string>().Should().Be(detail);
        problem.ToJsonString().Should().NotContain(options.Audience!).And.NotContain(options.Issuer!, "what the service expects is not told");
        answered!.Headers.WwwAuthenticate.Should().ContainSingle().Which.ToString().Should()
            .Be(bearer is null ? "Bearer" : "Bearer error=\"invalid_token\"", "the challenge quotes nothing of the token");
    }

    [Theory]
    [InlineData("rep\u0000one")]
    [InlineData("rep one")]
    [InlineData("représentant")]
    [InlineData(null)]
    public async Task WithAProperlySignedTokenWhoseSubjectNoUserCouldHold_Is401(string? subject)
    {
        subject ??= new string('r', UserIds.MaximumSubjectLength + 1);
        var client = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: [new Claim(CoSellClaims.Subject, subject), new Claim(CoSellClaims.Role, "rep")]));
        var fits = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: [new Claim(CoSellClaims.Subject, new string('r', UserIds.MaximumSubjectLength)), new Claim(CoSellClaims.Role, "rep")]));

        var problem = await Refused(() => client.GetAsync("/api/v1/opportunities"), HttpStatusCode.Unauthorized, "unauthenticated");

        problem["detail"]!.GetValue<string>().Should().Contain("subject (sub)");
        (await fits.GetAsync("/api/v1/opportunities")).StatusCode.Should().Be(HttpStatusCode.OK, "a subject of 255 visible ASCII characters is an identity provider's");
    }

    [Fact]
    public async Task WithAProperlySignedTokenNamingACriticalExtension_Is401()
    {
        var critical = Tokens.ClientWith(_app, Tokens.WithCriticalExtension(_app));
        var plain = Tokens.ClientWith(_app, Tokens.Mint(_app));

        await Refused(() => critical.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
        (await plain.GetAsync("/api/v1/registrations")).StatusCode.Should().Be(HttpStatusCode.OK, "the same claims without the critical header sign in");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public async Task WithAProperlySignedTokenThatNamesNoSubject_Is401(string? subject)
    {
        var claims = new List<System.Security.Claims.Claim> { new(CoSell.Web.Identity.CoSellClaims.Role, "admin"), new(CoSell.Web.Identity.CoSellClaims.Name, "nobody") };
        if (subject is not null)
        {
            claims.Add(new(CoSell.Web.Identity.CoSellClaims.Subject, subject));
        }

        var nobody = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: claims));

        await Refused(() => nobody.PostAsJsonAsync("/api/v1/partners", new { name = "Nobody's Partner", tier = "silver", country = "US", territories = new[] { "US" } }), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("auditor", null)]
    [InlineData("Admin", null)]
    [InlineData("admin,rep", null)]
    [InlineData("partner", null)]
    [InlineData("partner", "northwind")]
    [InlineData("partner", "10000000-0000-0000-0000-000000000001,10000000-0000-0000-0000-000000000002")]
    public async Task WithAProperlySignedTokenWithoutOneKnownRole_OrAPartnerTokenWithoutItsOrganisation_Is401(string? roles, string? partnerId)
    {
        // Another audience's roles, or none, must not fall through to whatever a missing role happens to allow
        // (reading every partner, for one); a partner token without its organisation has no tenant wall.
        var claims = new List<System.Security.Claims.Claim> { new(CoSell.Web.Identity.CoSellClaims.Subject, Guid.NewGuid().ToString()) };
        claims.AddRange((roles?.Split(',') ?? []).Select(role => new System.Security.Claims.Claim(CoSell.Web.Identity.CoSellClaims.Role, role)));
        claims.AddRange((partnerId?.Split(',') ?? []).Select(id => new System.Security.Claims.Claim(CoSell.Web.Identity.CoSellClaims.PartnerId, id)));

        var token = Tokens.Mint(_app, claims: claims);
        var client = Tokens.ClientWith(_app, token);

        await Refused(() => client.GetAsync("/api/v1/partners"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Refused(() => client.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
        (await FluentActions.Awaiting(() => HubClient.ConnectAsync(_app, token)).Should().ThrowAsync<Exception>("the hub takes the same sign-in")).Which.Message.Should().Contain("401");
    }

    [Fact]
    public async Task WithAForgedToken_Is401()
    {
        var forged = Tokens.ClientWith(_app, Tokens.Forged(_app));

        await Refused(() => forged.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Refused(() => forged.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "Forged Inc", "forged.com")), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task WithAnExpiredToken_Is401()
    {
        var expired = Tokens.ClientWith(_app, Tokens.Expired(_app));

        await Refused(() => expired.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Refused(() => expired.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "Expired Inc", "expired.com")), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")]
    public async Task WithAGarbageToken_Is401(string token)
    {
        var client = Tokens.ClientWith(_app, token);

        await Refused(() => client.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task WithAnUnsignedToken_Is401()
    {
        var valid = Tokens.Mint(_app);
        var unsigned = valid[..(valid.LastIndexOf('.') + 1)];
        var client = Tokens.ClientWith(_app, unsigned);

        await Refused(() => client.GetAsync("/api/v1/registrations"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PATCH", "")]
    [InlineData("POST", "/submit")]
    [InlineData("POST", "/withdraw")]
    [InlineData("POST", "/close")]
    [InlineData("GET", "/timeline")]
    public async Task AnotherPartnersRegistration_IsNotFound_AndNothingAboutItLeaks(string method, string action)
    {
        var adatum = await _app.ClientFor("partner.adatum");
        var target = action == "/close"
            ? await Approved($"Secret Customer {method}{action} Ltd", $"secret-{method}{action.Trim('/')}.com".ToLowerInvariant())
            : await Draft($"Secret Customer {method}{action} Ltd", $"secret-{method}{action.Trim('/')}.com".ToLowerInvariant());
        var id = Api.Id(target);
        object? body = action switch
        {
            "" when method == "PATCH" => new { notes = "Taken over." },
            "/close" => new { outcome = "won" },
            _ => null,
        };

        var problem = await Refused(() => Api.Send(adatum, new HttpMethod(method), $"/api/v1/registrations/{id}{action}", body, Api.ETag(target)), HttpStatusCode.NotFound, "not_found");

        var text = problem.ToJsonString();
        text.Should().NotContain("Secret Customer").And.NotContain("secret-").And.NotContain(target["partnerId"]!.GetValue<string>());
        await Unchanged(target);
    }

    [Fact]
    public async Task RepApproving_Is403()
    {
        var rep = await _app.ClientFor("rep");
        var submitted = await Submitted("Rep Approves Inc", "rep-approves.com");

        await Refused(() => Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/approve"), HttpStatusCode.Forbidden, "forbidden");

        await Unchanged(submitted);
    }

    [Fact]
    public async Task ChannelManagerTheRegistrationIsNotRoutedTo_CannotApprove_403()
    {
        var manager2 = await _app.ClientFor("manager2");
        var submitted = await Submitted("Wrong Manager GmbH", "wrong-manager.com");

        await Refused(() => Api.Send(manager2, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(submitted)}/approve"), HttpStatusCode.Forbidden, "forbidden");

        await Unchanged(submitted);
    }

    [Theory]
    [InlineData("\"0\"")]
    [InlineData("\"99\"")]
    [InlineData("W/\"0\"")]
    [InlineData("\"not-a-version\"")]
    public async Task Edit_WithAStaleIfMatch_Is412WithTheCurrentETag(string ifMatch)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Stale Edits Ltd", "stale-edits.com");

        var before = await Snapshot();
        var response = await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Overwritten." }, ifMatch);
        await Api.Problem(response, HttpStatusCode.PreconditionFailed, "precondition_failed");

        response.Headers.ETag!.Tag.Should().Be(Api.ETag(draft));
        (await Snapshot()).Should().Be(before);
        await Unchanged(draft);
    }

    [Fact]
    public async Task Edit_WithTheCurrentETagMadeWeak_Is412_ForIfMatchComparesStrongly()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Weak Tags Ltd", "weak-tags.com");

        var response = await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Overwritten." }, "W/" + Api.ETag(draft));

        var problem = await Api.Problem(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        problem["detail"]!.GetValue<string>().Should().StartWith("If-Match names no version of this resource", "a weak tag is not a stale copy");
        await Unchanged(draft);
    }

    [Theory]
    [InlineData("\"99\", {0}")]
    [InlineData("{0}, \"0\"")]
    [InlineData("W/\"99\", \"not-a-version\", {0}")]
    public async Task Edit_WithAnIfMatchListNamingTheCurrentVersion_GoesAhead(string ifMatchList)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Listed Tags Ltd", "listed-tags.com");

        var response = await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Either copy will do." }, string.Format(CultureInfo.InvariantCulture, ifMatchList, Api.ETag(draft)));

        await Api.Expect(response, HttpStatusCode.OK);
        (await Api.Body(response))["notes"]!.GetValue<string>().Should().Be("Either copy will do.");
    }

    [Theory]
    [InlineData("\"0\", \"99\"")]
    [InlineData("\"99\", W/{0}")]
    [InlineData("\"0{1}\"")]
    [InlineData("abc{0}")]
    [InlineData("{1}, {0}")]
    [InlineData("*, {0}")]
    [InlineData("{0},, \"99")]
    public async Task Edit_WithAnIfMatchListNotNamingTheCurrentVersion_OrNotAWellFormedList_Is412(string ifMatchList)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Listed Stale Tags Ltd", "listed-stale-tags.com");
        var ifMatch = string.Format(CultureInfo.InvariantCulture, ifMatchList, Api.ETag(draft), draft["version"]!.GetValue<long>());

        var response = await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Overwritten." }, ifMatch);

        await Api.Problem(response, HttpStatusCode.PreconditionFailed, "precondition_failed");
        response.Headers.ETag!.Tag.Should().Be(Api.ETag(draft));
        await Unchanged(draft);
    }

    [Fact]
    public async Task Edit_WithoutIfMatch_Is428()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Blind Edits Ltd", "blind-edits.com");

        var problem = await Refused(() => Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Overwritten." }, ifMatch: null), HttpStatusCode.PreconditionRequired, "precondition_required");

        var detail = problem["detail"]!.GetValue<string>();
        detail.Should().Contain("If-Match is missing").And.Contain($"GET /api/v1/registrations/{Api.Id(draft)}").And.Contain("ETag");
        detail.Should().NotContain("*", "no * was sent, so there is none to explain");
        await Unchanged(draft);
    }

    [Theory]
    [InlineData("*")]
    [InlineData(" * ")]
    public async Task Edit_WithIfMatchStar_Is428_SayingStarNamesNoVersion(string ifMatch)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Star Edits Ltd", "star-edits.com");

        var problem = await Refused(() => Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Overwritten." }, ifMatch), HttpStatusCode.PreconditionRequired, "precondition_required");

        var detail = problem["detail"]!.GetValue<string>();
        detail.Should().Contain("If-Match: *").And.Contain("names no version").And.Contain($"GET /api/v1/registrations/{Api.Id(draft)}");
        detail.Should().NotContain("missing", "an If-Match was sent");
        await Unchanged(draft);
    }

    [Fact]
    public async Task Submit_WithAStaleIfMatch_Is412AndTheDraftStaysADraft()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Stale Submits Ltd", "stale-submits.com");
        var edited = await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Second thoughts." }, Api.ETag(draft));
        await Api.Expect(edited, HttpStatusCode.OK);
        var current = await Api.Body(edited);

        var before = await Snapshot();
        var response = await Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(draft)}/submit", null, Api.ETag(draft));
        await Api.Problem(response, HttpStatusCode.PreconditionFailed, "precondition_failed");

        response.Headers.ETag!.Tag.Should().Be(Api.ETag(current));
        (await Snapshot()).Should().Be(before);
        await Unchanged(current);
    }

    [Fact]
    public async Task ApprovingADraft_Is409IllegalTransition()
    {
        var manager = await _app.ClientFor("manager");
        var draft = await Draft("Premature Approvals Inc", "premature.com");

        await Refused(() => Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(draft)}/approve"), HttpStatusCode.Conflict, "registration.illegal_transition");

        await Unchanged(draft);
    }

    [Fact]
    public async Task SubmittingAWithdrawnRegistration_Is409()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Changed Minds Ltd", "changed-minds.com");
        var withdrawn = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/withdraw", new { reason = "Customer went elsewhere." });

        await Refused(() => Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(draft)}/submit"), HttpStatusCode.Conflict, "registration.not_open");

        await Unchanged(withdrawn);
    }

    [Fact]
    public async Task SubmittingAnApprovedRegistrationWhoseCloseDateHasPassed_Is409IllegalTransition_NotAnErrorOfItsDate()
    {
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var manager = await app.ClientFor("manager");
        var id = Api.Id(await Api.Create(partner, new
        {
            customer = new { name = "Past Close Corp", domain = "past-close.com", country = "US" },
            productLines = new[] { "Security" },
            estimatedValue = new { amount = 120_000m, currency = "USD" },
            expectedCloseDate = Api.CloseDate(app, 2),
        }));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve", new { comment = "Go." });
        app.Time.Advance(TimeSpan.FromDays(5));

        var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{id}/submit"), HttpStatusCode.Conflict, "registration.illegal_transition");
        problem["errors"].Should().BeNull("no field of the request is wrong");
        Api.Version(await Api.Get(partner, $"/api/v1/registrations/{id}")).Should().Be(Api.Version(approved));
    }

    [Fact]
    public async Task IdempotencyKey_SameKeyAndSameBody_AnswersTheFirstResponseAndCreatesOneRegistration()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Twice Sent Inc", "twice-sent.com").ToJsonString();
        var key = Guid.NewGuid().ToString();
        var before = await Snapshot();

        var first = await CreateWithKey(partner, key, body);
        // Routing ignores the case of a path; so does the replay.
        var second = await CreateWithKey(partner, key, body, "/API/v1/Registrations/");

        await Api.Expect(first, HttpStatusCode.Created);
        await Api.Expect(second, HttpStatusCode.Created);
        var firstBody = await Api.Body(first);
        var secondBody = await Api.Body(second);
        Api.Id(secondBody).Should().Be(Api.Id(firstBody));
        JsonNode.DeepEquals(secondBody, firstBody).Should().BeTrue("the replay is the first response");
        second.Headers.Location.Should().Be(first.Headers.Location);
        second.Headers.ETag.Should().NotBeNull().And.Be(first.Headers.ETag, "the replay carries the first response's ETag");
        var after = await Snapshot();
        after.Registrations.Should().Be(before.Registrations + 1);
        (await _app.Db(db => db.Registrations.CountAsync(r => r.Customer.Domain!.Registrable == "twice-sent.com"))).Should().Be(1);
    }

    [Fact]
    public async Task IdempotencyKey_SameBodyWrittenOtherwise_AnswersTheFirstResponse()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Written Twice Inc", "written-twice.com");
        var key = Guid.NewGuid().ToString();
        var first = await CreateWithKey(partner, key, body.ToJsonString());
        await Api.Expect(first, HttpStatusCode.Created);

        // The same request as another client library might send it on a retry: indented, fields in another order, one
        // name in another case, a letter escaped.
        var rewritten = new JsonObject(body.Reverse().Select(field => KeyValuePair.Create(
            field.Key == "customer" ? "Customer" : field.Key, field.Value?.DeepClone())));
        var text = rewritten.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })
            .Replace("Written Twice", "Wr\u0069tten Twice", StringComparison.Ordinal);
        text.Should().Contain("\u0069").And.Contain("\"Customer\"");
        var second = await CreateWithKey(partner, key, text);

        await Api.Expect(second, HttpStatusCode.Created);
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        Api.Id(await Api.Body(second)).Should().Be(Api.Id(await Api.Body(first)));
        (await _app.Db(db => db.Registrations.CountAsync(r => r.Customer.Domain!.Registrable == "written-twice.com"))).Should().Be(1);
    }

    [Fact]
    public async Task IdempotencyKey_SameKeyAndAnotherBody_Is422AndCreatesNothing()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var key = Guid.NewGuid().ToString();
        var first = await CreateWithKey(partner, key, Api.RawRegistration(_app, "First Body Inc", "first-body.com").ToJsonString());
        await Api.Expect(first, HttpStatusCode.Created);

        await Refused(() => CreateWithKey(partner, key, Api.RawRegistration(_app, "Second Body Inc", "second-body.com").ToJsonString()), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        (await _app.Db(db => db.Registrations.CountAsync(r => r.Customer.Domain!.Registrable == "second-body.com"))).Should().Be(0);
    }

    [Theory]
    [InlineData("2000.00")]
    [InlineData("2000.0")]
    [InlineData("2e3")]
    [InlineData("2.000E+3")]
    [InlineData("20000e-1")]
    public async Task IdempotencyKey_SameAmountWrittenAnotherWay_AnswersTheFirstResponse(string amount)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var domain = $"same-amount-{amount.Replace('.', '-').Replace('+', 'p')}.com";
        var key = Guid.NewGuid().ToString();
        var first = await CreateWithKey(partner, key, WithAmount(Api.RawRegistration(_app, "Same Amount Inc", domain), "2000"));
        await Api.Expect(first, HttpStatusCode.Created);
        var stored = await Snapshot();

        var second = await CreateWithKey(partner, key, WithAmount(Api.RawRegistration(_app, "Same Amount Inc", domain), amount));

        await Api.Expect(second, HttpStatusCode.Created);
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        JsonNode.DeepEquals(await Api.Body(second), await Api.Body(first)).Should().BeTrue("the replay is the first response");
        (await Snapshot()).Should().Be(stored, "the retry creates nothing");
    }

    [Theory]
    [InlineData("2001")]
    [InlineData("2000.01")]
    [InlineData("2e4")]
    [InlineData("-2000")]
    public async Task IdempotencyKey_AnotherAmount_Is422AndCreatesNothing(string amount)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var key = Guid.NewGuid().ToString();
        var first = await CreateWithKey(partner, key, WithAmount(Api.RawRegistration(_app, "Other Amount Inc", "other-amount.com"), "2000"));
        await Api.Expect(first, HttpStatusCode.Created);

        await Refused(() => CreateWithKey(partner, key, WithAmount(Api.RawRegistration(_app, "Other Amount Inc", "other-amount.com"), amount)), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    /// <summary>
    /// A record stored before numbers were written by value (its hash of the canonical form with numbers as sent), or
    /// before the body was hashed in a canonical form at all (its hash of the bytes as sent), still answers a retry of
    /// the body that made it. The body is sent with white space, names in mixed case and out of order, and an amount
    /// with a trailing zero, so that each earlier form is bytes of its own, unlike the current one and each other.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IdempotencyKey_StoredUnderAnEarlierForm_StillAnswersTheSameBody(bool canonicalWithNumbersAsSent)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var key = Guid.NewGuid().ToString();
        var domain = $"earlier-form-{canonicalWithNumbersAsSent}.com".ToLowerInvariant();
        var close = Api.CloseDate(_app);
        var body = $$"""
            {
              "productLines": ["Security"],
              "Customer": { "Name": "Earlier Form Inc", "domain": "{{domain}}", "country": "US" },
              "estimatedValue": { "currency": "USD", "amount": 120000.50 },
              "expectedCloseDate": "{{close}}"
            }
            """;
        // The canonical form before numbers were written by value: no white space, names in lower case and in order,
        // each number as it was sent.
        var earlierCanonical = $"{{\"customer\":{{\"country\":\"US\",\"domain\":\"{domain}\",\"name\":\"Earlier Form Inc\"}},"
            + $"\"estimatedvalue\":{{\"amount\":120000.50,\"currency\":\"USD\"}},\"expectedclosedate\":\"{close}\",\"productlines\":[\"Security\"]}}";

        var first = await CreateWithKey(partner, key, body);
        await Api.Expect(first, HttpStatusCode.Created);
        var location = first.Headers.Location!.ToString();
        var preimage = canonicalWithNumbersAsSent ? earlierCanonical : body;
        var earlier = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"POST /api/v1/registrations\n{preimage}")));
        (await _app.Db(db => db.IdempotencyRecords.Where(r => r.Location == location).ExecuteUpdateAsync(r => r.SetProperty(x => x.RequestHash, earlier)))).Should().Be(1);
        var stored = await Snapshot();

        var second = await CreateWithKey(partner, key, body);

        await Api.Expect(second, HttpStatusCode.Created);
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        Api.Id(await Api.Body(second)).Should().Be(Api.Id(await Api.Body(first)));
        (await Snapshot()).Should().Be(stored);
    }

    /// <summary>A record of an earlier form is of its own body only: another amount under the same key is still a 422.</summary>
    [Fact]
    public async Task IdempotencyKey_StoredUnderAnEarlierForm_RefusesAnotherBody()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var key = Guid.NewGuid().ToString();
        var body = WithAmount(Api.RawRegistration(_app, "Earlier Refusal Inc", "earlier-refusal.com"), "2000.50");
        var first = await CreateWithKey(partner, key, body);
        await Api.Expect(first, HttpStatusCode.Created);
        var location = first.Headers.Location!.ToString();
        var earlier = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"POST /api/v1/registrations\n{body}")));
        (await _app.Db(db => db.IdempotencyRecords.Where(r => r.Location == location).ExecuteUpdateAsync(r => r.SetProperty(x => x.RequestHash, earlier)))).Should().Be(1);

        await Refused(() => CreateWithKey(partner, key, WithAmount(Api.RawRegistration(_app, "Earlier Refusal Inc", "earlier-refusal.com"), "2001")), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact]
    public async Task IdempotencyKey_IsKeptForADay_ThenPurgedOnTheTimer_AndTheKeyServesAgain()
    {
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var key = Guid.NewGuid().ToString();
        await Api.Expect(await CreateWithKey(partner, key, Api.RawRegistration(app, "Day One Inc", "day-one.com").ToJsonString()), HttpStatusCode.Created);

        app.Time.Advance(TimeSpan.FromHours(23));
        await Refused(() => CreateWithKey(partner, key, Api.RawRegistration(app, "Hour Twenty Three Inc", "hour-23.com").ToJsonString()), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        // Past 24 hours the hourly purge, which runs on the injected TimeProvider, deletes the record.
        app.Time.Advance(TimeSpan.FromHours(2));
        (await Api.Eventually(() => app.Db(db => db.IdempotencyRecords.CountAsync()), count => count == 0)).Should().Be(0);
        var again = await CreateWithKey(partner, key, Api.RawRegistration(app, "Day Two Inc", "day-two.com").ToJsonString());
        await Api.Expect(again, HttpStatusCode.Created);
        (await Api.Body(again))["customer"]!["name"]!.GetValue<string>().Should().Be("Day Two Inc");
    }

    [Fact]
    public async Task IdempotencyKey_OfThreeHundredCharacters_Is400()
    {
        var partner = await _app.ClientFor("partner.northwind");

        await Refused(() => CreateWithKey(partner, new string('k', 300), Api.RawRegistration(_app, "Long Key Inc", "long-key.com").ToJsonString()), HttpStatusCode.BadRequest, null);
    }

    [Theory]
    [InlineData("manager", "/api/v1/registrations?pageSize=1000")]
    [InlineData("manager", "/api/v1/reviews?pageSize=1000")]
    [InlineData("admin", "/api/v1/partners?pageSize=1000")]
    [InlineData("partner.northwind", "/api/v1/registrations?pageSize=1000&page=1")]
    public async Task PageSizeOf1000_IsCappedAt100(string user, string path)
    {
        var client = await _app.ClientFor(user);

        var page = await Api.Get(client, path);

        page["pageSize"]!.GetValue<int>().Should().Be(100);
        page["page"]!.GetValue<int>().Should().Be(1);
        page["items"]!.AsArray().Count.Should().BeLessThanOrEqualTo(100);
    }

    [Theory]
    [InlineData("/api/v1/registrations?page=30000000&pageSize=100")]
    [InlineData("/api/v1/registrations?page=2147483647&pageSize=100")]
    [InlineData("/api/v1/partners?page=2147483647&pageSize=100")]
    [InlineData("/api/v1/reviews?page=2147483647&pageSize=100")]
    public async Task APageFarBeyondTheEnd_IsEmpty(string path)
    {
        var admin = await _app.ClientFor("admin");

        var page = await Api.Get(admin, path);

        page["items"]!.AsArray().Should().BeEmpty();
        page["total"]!.GetValue<int>().Should().BePositive();
        page["page"]!.GetValue<int>().Should().Be(int.Parse(path.Split("page=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TimelinePageSizeOf1000_IsCappedAt100()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft("Long Story Ltd", "long-story.com");

        var page = await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}/timeline?pageSize=1000");

        page["pageSize"]!.GetValue<int>().Should().Be(100);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing-here")]
    [InlineData("GET", "/api/v1/registrations/not-a-guid")]
    [InlineData("POST", "/api/v1/registrations/00000000-0000-0000-0000-000000000001/teleport")]
    [InlineData("GET", "/api/v2/registrations")]
    public async Task UnknownRoute_Is404ProblemDetails(string method, string path)
    {
        var partner = await _app.ClientFor("partner.northwind");

        await Refused(() => Api.Send(partner, new HttpMethod(method), path), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task UnknownRegistrationId_Is404()
    {
        var partner = await _app.ClientFor("partner.northwind");

        await Refused(() => partner.GetAsync($"/api/v1/registrations/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");
    }

    /// <summary>Sends a request that must be refused with the given problem, and checks nothing was stored.</summary>
    private async Task<JsonObject> Refused(Func<Task<HttpResponseMessage>> send, HttpStatusCode status, string? code)
    {
        var before = await Snapshot();
        var response = await send();
        var problem = await Api.Problem(response, status, code);
        (await Snapshot()).Should().Be(before, "a refused request stores nothing");
        return problem;
    }

    private Task<Stored> Snapshot() => _app.Db(async db => new Stored(
        await db.Registrations.CountAsync(),
        await db.AuditEntries.CountAsync(),
        await db.IdempotencyRecords.CountAsync()));

    /// <summary>Re-reads the registration as its owner and checks it is exactly as it was.</summary>
    private async Task Unchanged(JsonObject registration)
    {
        var owner = await _app.ClientFor("partner.northwind");
        var now = await Api.Get(owner, $"/api/v1/registrations/{Api.Id(registration)}");
        JsonNode.DeepEquals(now, registration).Should().BeTrue($"the registration must be as it was:\n{registration.ToJsonString()}\nbut is\n{now.ToJsonString()}");
    }

    /// <summary>The registration's body with its estimated value's amount written as given.</summary>
    private static string WithAmount(JsonObject body, string amount)
    {
        body["estimatedValue"] = JsonNode.Parse($"{{\"amount\":{amount},\"currency\":\"USD\"}}");
        return body.ToJsonString();
    }

    private static Task<HttpResponseMessage> CreateWithKey(HttpClient client, string key, string body, string path = "/api/v1/registrations")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<JsonObject> Draft(string name, string domain)
    {
        var partner = await _app.ClientFor("partner.northwind");
        return await Api.Create(partner, Api.NewRegistration(_app, name, domain));
    }

    private async Task<JsonObject> Submitted(string name, string domain)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Draft(name, domain);
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");
        submitted["status"]!.GetValue<string>().Should().Be("submitted");
        return submitted;
    }

    private async Task<JsonObject> Approved(string name, string domain)
    {
        var manager = await _app.ClientFor("manager");
        var submitted = await Submitted(name, domain);
        var approved = await Api.Post(manager, $"/api/v1/registrations/{Api.Id(submitted)}/approve");

        // The owner's view: what Unchanged compares against.
        var owner = await _app.ClientFor("partner.northwind");
        return await Api.Get(owner, $"/api/v1/registrations/{Api.Id(approved)}");
    }
}
