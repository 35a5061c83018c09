using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CoSell.Domain.SeedWork;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>Requests shaped to break the service: each gets its problem, in problem+json, and never a 500.</summary>
public sealed class HostileInputTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public HostileInputTests(CoSellApp app) => _app = app;

    [Theory]
    [InlineData("text/csv")]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task AnErrorReachesAClientThatAcceptsNoJson_AsProblemJson(string accept)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var anonymous = _app.CreateClient();

        await Api.Problem(await Send(partner, HttpMethod.Get, $"/api/v1/registrations/{Guid.NewGuid()}", accept), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await Send(partner, HttpMethod.Post, "/api/v1/registrations", accept, "{\"customer\": "), HttpStatusCode.BadRequest, "malformed_json");
        await Api.Problem(await Send(anonymous, HttpMethod.Get, "/api/v1/registrations", accept), HttpStatusCode.Unauthorized, "unauthenticated");
        await Api.Problem(await Send(partner, HttpMethod.Delete, "/api/v1/registrations", accept), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    // Before, a wrong method on a path whose id is no GUID was a 405 whose Allow named a method that then answered 404.
    [Theory]
    [InlineData("GET", "/api/v1/registrations/nope/approve")]
    [InlineData("POST", "/api/v1/registrations/nope/timeline")]
    [InlineData("DELETE", "/api/v1/opportunities/nope")]
    public async Task AWrongMethodOnAPathNothingAnswers_Is404_AsEveryMethodThere(string method, string path)
    {
        var partner = await _app.ClientFor("partner.northwind");

        var response = await partner.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.Problem(response, HttpStatusCode.NotFound, "not_found");
        response.Content.Headers.Allow.Should().BeEmpty();
        var real = path.Replace("nope", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        (await partner.SendAsync(new HttpRequestMessage(new HttpMethod(method), real))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "a path a route answers keeps its 405");
        await Api.Problem(await partner.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/registrations")), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("utf-7")]
    [InlineData("\"\"")]
    [InlineData("\"utf 8\"")]
    [InlineData("\"utf\\-8\"")]
    public async Task ABodyInACharsetNoEncodingReads_Is415(string charset)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var anonymous = _app.CreateClient();
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Api.NewRegistration(_app, "Charset Corp", "charset-corp.com")));

        await Api.Problem(await PostRaw(partner, "/api/v1/registrations", body, $"application/json; charset={charset}"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await Api.Problem(await PostRaw(anonymous, "/api/v1/dev/token", "{\"user\":\"admin\"}"u8.ToArray(), $"application/json; charset={charset}"), HttpStatusCode.UnsupportedMediaType);
    }

    // Before, the framework's 415 quoted the whole Content-Type: 8,000 characters of it, or markup, came back whole.
    [Theory]
    [InlineData("text/", 8_000)]
    [InlineData("text/plain; x=\"<script>alert(1)</script>\"", 0)]
    public async Task AContentTypeThatIsNoJson_IsSaidBackAsAnyRefusedValueIs(string type, int filler)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var contentType = type + new string('y', filler);

        var problem = await Api.Problem(await PostRaw(partner, "/api/v1/registrations", "{}"u8.ToArray(), contentType), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        problem["detail"]!.GetValue<string>().Should().Be($"Expected a supported JSON media type but got \"{Characters.Shown(contentType)}\".");
        problem["detail"]!.GetValue<string>().Length.Should().BeLessThan(100);
    }

    [Fact]
    public async Task ABodyThatNamesUtf8OrAnotherRealEncoding_IsRead()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = System.Text.Json.JsonSerializer.Serialize(Api.NewRegistration(_app, "Encoded Corp", "encoded-corp.com"));

        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.UTF8.GetBytes(body), "application/json; charset=UTF-8"), HttpStatusCode.Created);
        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.Unicode.GetBytes(body.Replace("Encoded Corp", "Encoded Wide Corp", StringComparison.Ordinal)), "application/json; charset=utf-16"), HttpStatusCode.Created);
        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.ASCII.GetBytes(body.Replace("Encoded Corp", "Encoded Ascii Corp", StringComparison.Ordinal)), "application/json; charset=us-ascii"), HttpStatusCode.Created);
        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.Latin1.GetBytes(body.Replace("Encoded Corp", "Encodé Latin Corp", StringComparison.Ordinal)), "application/json; charset=iso-8859-1"), HttpStatusCode.Created);
        // A quoted charset is the same charset (RFC 9110 5.6.6).
        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.UTF8.GetBytes(body.Replace("Encoded Corp", "Encoded Quoted Corp", StringComparison.Ordinal)), "application/json; charset=\"utf-8\""), HttpStatusCode.Created);
        await Api.Expect(await PostRaw(partner, "/api/v1/registrations", Encoding.Unicode.GetBytes(body.Replace("Encoded Corp", "Encoded Quoted Wide Corp", StringComparison.Ordinal)), "application/json; charset=\"utf-16\""), HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("us-ascii", "ascii")]
    [InlineData("utf-16", "lone surrogate")]
    [InlineData("\"utf-16\"", "lone surrogate")]
    public async Task ABodyWithBytesItsOwnCharsetCannotDecode_Is400_AndNothingReplacedIsStored(string charset, string flaw)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var json = System.Text.Json.JsonSerializer.Serialize(Api.NewRegistration(_app, "Undecodable Corp", "undecodable-corp.com"));
        var body = flaw == "ascii"
            ? Encoding.Latin1.GetBytes(json.Replace("Undecodable Corp", "Undécodable Corp", StringComparison.Ordinal))
            // "\uD800" written as raw UTF-16 code units: a high surrogate with no low one after it.
            : Encoding.Unicode.GetBytes(json.Replace("Undecodable Corp", "Undecodable ~ Corp", StringComparison.Ordinal)) is var wide
                ? ReplaceUnit(wide, '~', 0xD800)
                : [];
        var before = await _app.Db(db => db.Registrations.CountAsync());

        var problem = await Api.Problem(await PostRaw(partner, "/api/v1/registrations", body, $"application/json; charset={charset}"), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Contain("not " + charset.Trim('"') + " text");
        (await _app.Db(db => db.Registrations.CountAsync())).Should().Be(before, "a body read with '?' or U+FFFD in place of what it held is not stored");
    }

    private static byte[] ReplaceUnit(byte[] utf16, char unit, int replacement)
    {
        for (var i = 0; i + 1 < utf16.Length; i += 2)
        {
            if (utf16[i] == (byte)unit && utf16[i + 1] == 0)
            {
                utf16[i] = (byte)(replacement & 0xFF);
                utf16[i + 1] = (byte)(replacement >> 8);
                return utf16;
            }
        }

        throw new ArgumentException("The unit to replace is not in the text.", nameof(unit));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"partnerId\":null}")]
    public async Task AnInvitationWithoutAPartner_Is400(string body)
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Nobody Invited Ltd", "nobody-invited.com");

        var problem = await Api.Problem(await Api.Send(rep, HttpMethod.Post, $"/api/v1/opportunities/{Api.Id(opportunity)}/invitations", body), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("partnerId");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"currency\":\"USD\",\"tiers\":null}")]
    public async Task ARulesVersionWithoutTiers_Is400(string body)
    {
        var admin = await _app.ClientFor("admin");

        var problem = await Api.Problem(await Api.Send(admin, HttpMethod.Post, "/api/v1/rules/versions", body), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("tiers");
    }

    [Theory]
    [InlineData("to=0001-01-15T00:00:00Z", "to")]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    [InlineData("from=9999-12-31T23:59:59Z", "from")]
    [InlineData("from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z", "from")]
    public async Task ConflictMeasuresForAPeriodThatIsNoPeriod_Is400(string query, string field)
    {
        var admin = await _app.ClientFor("admin");

        var problem = await Api.Problem(await admin.GetAsync($"/api/v1/conflicts/measures?{query}"), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey(field);
    }

    [Theory]
    [InlineData("qualify")]
    [InlineData("QUALIFY")]
    [InlineData("Qualify")]
    public async Task ListFilters_ReadEnumNamesInAnyCase(string stage)
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = Api.Id(await OpenDirect(rep, _app, $"Filtered {stage} Ltd", $"filtered-{stage.ToLowerInvariant()}-{Guid.NewGuid():N}.com"));

        var qualifying = await Api.Get(rep, $"/api/v1/opportunities?stage={stage}&pageSize=100");
        var closed = await Api.Get(rep, "/api/v1/opportunities?stage=closedWon&pageSize=100");

        qualifying["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(opportunity);
        qualifying["items"]!.AsArray().Select(i => i!["stage"]!.GetValue<string>()).Should().OnlyContain(s => s == "qualify");
        closed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().NotContain(opportunity);
    }

    [Theory]
    [InlineData("rep", "/api/v1/registrations?status=bogus")]
    [InlineData("arbiter", "/api/v1/referrals?status=bogus&direction=sideways")]
    public async Task ListFilters_FromARoleThatMayNotList_Are403BeforeTheValueIsLookedAt(string user, string path)
    {
        var client = await _app.ClientFor(user);

        await Api.Problem(await client.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("rep", "/api/v1/opportunities?stage=Qualify,Develop", "stage")]
    [InlineData("rep", "/api/v1/opportunities?stage=1", "stage")]
    [InlineData("partner.northwind", "/api/v1/referrals?direction=sideways", "direction")]
    [InlineData("partner.northwind", "/api/v1/referrals?status=2", "status")]
    // Sent empty, a filter names no value, as an empty page, id or cursor does not.
    [InlineData("manager", "/api/v1/registrations?status=", "status")]
    [InlineData("rep", "/api/v1/opportunities?stage=%20", "stage")]
    [InlineData("partner.northwind", "/api/v1/referrals?direction=", "direction")]
    [InlineData("arbiter", "/api/v1/conflicts?status=", "status")]
    public async Task ListFilters_WithAnUnknownValue_Are400NamingTheAllowedValues(string user, string path, string field)
    {
        var client = await _app.ClientFor(user);

        var problem = await Api.Problem(await client.GetAsync(path), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]![field]![0]!.GetValue<string>().Should().Contain("is not one of:");
    }

    /// <summary>A value that names no member is said back as it is, what shows nothing written out: a direction override does not reorder the answer.</summary>
    [Fact]
    public async Task AnEnumValueWithControlsInIt_IsSaidBackWithThemWrittenOut()
    {
        var admin = await _app.ClientFor("admin");

        var problem = await Api.Problem(
            await Api.Send(admin, HttpMethod.Post, "/api/v1/partners", "{\"name\":\"Override Partners\",\"tier\":\"gold\\u202Ex\\u0000y\",\"territories\":[\"US\"]}"),
            HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Contain("'gold\\u202Ex\\u0000y' is not one of: ").And.NotContain("\u202E").And.NotContain("\0");
    }

    [Theory]
    [InlineData("productLines", "[\"\\u200b\"]")]
    [InlineData("productLines", "[\"\\u200e \\u2060\"]")]
    [InlineData("notes", "\"Met at\\u0000 the show\"")]
    public async Task ARegistrationWithInvisibleProductLinesOrControlCharactersInItsNotes_Is400(string field, string json)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Invisible Ink Ltd", "invisible-ink.com");
        body[field] = System.Text.Json.Nodes.JsonNode.Parse(json);

        var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey(field);
    }

    [Fact]
    public async Task FreeTextWithControlCharacters_Is400_ButLineBreaksAndTabsAreFine()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Plain Text Notes Inc", "plain-text-notes.com");
        var notes = $"/api/v1/opportunities/{Api.Id(opportunity)}/notes";

        var problem = await Api.Problem(await rep.PostAsJsonAsync(notes, new { visibility = "shared", body = "Call them\u0000 back" }), HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Should().ContainKey("body");
        await Api.Expect(await rep.PostAsJsonAsync(notes, new { visibility = "shared", body = "Call them back:\n\t- Monday\r\n\t- Friday" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task AReferralWithAnInvisibleProductLine_Is400()
    {
        var rep = await _app.ClientFor("rep");
        var referral = new
        {
            partnerId = Northwind,
            customer = new { name = "Blank Lines Co", domain = "blank-lines.com", country = "US" },
            contact = new { name = "Sam Buyer", email = "sam@blank-lines.com" },
            productLines = new[] { "\u200b" },
        };

        var problem = await Api.Problem(await rep.PostAsJsonAsync("/api/v1/referrals", referral), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Should().ContainKey("productLines");
    }

    [Fact]
    public async Task AMisspeltField_Is400NamingIt_InsteadOfBeingDroppedWithoutAWord()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Typo Industries", "typo-industries.com");
        body["note"] = "Met the CISO at a trade show.";

        var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().Be("'$.note' is not a field of this request: check its spelling against the API description.");
    }

    // Before, a partner's change took "channelManagerNamed" without a word: the request's own note of whether the body named
    // its channel manager, hidden from the serializer, still counted as one of its fields.
    [Fact]
    public async Task AFieldTheRequestKeepsToItself_IsRefusedAsAFieldItDoesNotHave()
    {
        var admin = await _app.ClientFor("admin");
        var path = $"/api/v1/partners/{CoSelling.Adatum}";
        var before = await Api.Get(admin, path);

        var problem = await Api.Problem(await Api.Patch(admin, path, new { channelManagerNamed = true, tier = "gold" }, Api.Version(before)), HttpStatusCode.BadRequest, "malformed_json");

        problem["detail"]!.GetValue<string>().Should().StartWith("'$.channelManagerNamed' is not a field of this request");
        (await Api.Get(admin, path)).ToJsonString().Should().Be(before.ToJsonString());
    }

    // Before, the overlap cell's 404 said back the path's text whole, a direction override and all.
    [Fact]
    public async Task AnOverlapCellNamedWithHiddenCharactersOrAtLength_IsSaidBackAsAnyRefusedValueIs()
    {
        var (partner, id) = await AccountMapping.MappingApi.NewPartnerInPartnership(_app, "Echo Cell Partners", "US");

        var hidden = await Api.Problem(await partner.GetAsync($"/api/v1/partnerships/{id}/overlaps/customers/x%E2%80%AEgnp.exe"), HttpStatusCode.NotFound, "not_found");
        var long_ = await Api.Problem(await partner.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/{new string('A', 3000)}/customers/referrals",
            new { yourAccount = "Anyone", contact = new { name = "Xavier", email = "x@example.org" } }), HttpStatusCode.NotFound, "not_found");

        hidden["detail"]!.GetValue<string>().Should().Be("No overlap cell 'customers/x\\u202Egnp.exe' was found.");
        long_["detail"]!.GetValue<string>().Should().Be($"No overlap cell '{new string('A', 40)}…' was found.");
    }

    /// <summary>A field's name or a value of any length is said back in a line, not returned whole: a refusal carries no body back.</summary>
    [Fact]
    public async Task AFieldNameOrACurrencyOfAnyLength_IsSaidBackShortened()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var misspelt = Api.RawRegistration(_app, "Long Echo Industries", "long-echo.com");
        misspelt[new string('k', 200_000)] = 1;
        var longCurrency = Api.RawRegistration(_app, "Long Echo Industries", "long-echo.com");
        longCurrency["estimatedValue"]!["currency"] = new string('Q', 200_000);

        var unknown = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", misspelt.ToJsonString());
        var currency = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", longCurrency.ToJsonString());

        var field = await Api.Problem(unknown, HttpStatusCode.BadRequest, "malformed_json");
        field["detail"]!.GetValue<string>().Should().Be($"'$.{new string('k', 118)}…' is not a field of this request: check its spelling against the API description.");
        var problem = await Api.Problem(currency, HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!["estimatedValue.currency"]![0]!.GetValue<string>().Should()
            .Be($"'{new string('Q', 40)}…' is not a currency CoSell takes: give the ISO 4217 code of a currency in circulation, such as USD or EUR.");
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string accept, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostRaw(HttpClient client, string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync(path, content);
    }
}
