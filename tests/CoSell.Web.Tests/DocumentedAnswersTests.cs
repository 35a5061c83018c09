using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoSell.Application.AccountMapping;
using CoSell.Web.Tests.Infrastructure;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>
/// Real answers, read against the schema the OpenAPI document gives their route and status (JSON Schema 2020-12, as
/// OpenAPI 3.1 writes it): a client generated from the document reads what the service sends, nulls and all.
/// </summary>
public sealed class DocumentedAnswersTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public DocumentedAnswersTests(CoSellApp app) => _app = app;

    // Before, an enum's one shared schema took null when its first use was a nullable field: a null matched both branches
    // of a nullable field's oneOf, so no answer with such a null (a draft's rejectionReason) was valid, and a partner's
    // tier, never null, was documented as nullable.
    [Fact]
    public async Task Registrations_WithTheirNullsAndTheirReasons_AreAsDocumented()
    {
        var document = await Document();
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");

        var created = await partner.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "Documented Answers Inc", "documented-answers.com"));
        var draft = await Conforms(document, "post", "/api/v1/registrations", created, HttpStatusCode.Created);
        draft["rejectionReason"].Should().BeNull("a draft has no rejection reason, and says so with a null");
        var id = Api.Id(draft);
        await Conforms(document, "get", "/api/v1/registrations/{id}", await partner.GetAsync($"/api/v1/registrations/{id}"));

        var submitted = await Conforms(document, "post", "/api/v1/registrations/{id}/submit", await partner.PostAsync($"/api/v1/registrations/{id}/submit", null));
        var rejected = await Conforms(document, "post", "/api/v1/registrations/{id}/reject",
            await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{id}/reject", new { reason = "insufficientInformation", comment = "Who is the buyer?" }, Api.ETag(submitted)));
        rejected["rejectionReason"]!.GetValue<string>().Should().Be("insufficientInformation");

        await Conforms(document, "get", "/api/v1/registrations", await partner.GetAsync("/api/v1/registrations?pageSize=5"));
        await Conforms(document, "get", "/api/v1/registrations/{id}/timeline", await partner.GetAsync($"/api/v1/registrations/{id}/timeline"));
    }

    [Fact]
    public async Task PartnersRulesAndReferrals_AreAsDocumented()
    {
        var document = await Document();
        var admin = await _app.ClientFor("admin");
        var rep = await _app.ClientFor("rep");

        await Conforms(document, "get", "/api/v1/partners/{id}", await admin.GetAsync($"/api/v1/partners/{Northwind}"));
        await Conforms(document, "get", "/api/v1/rules", await admin.GetAsync("/api/v1/rules"));
        var referral = await Conforms(document, "post", "/api/v1/referrals", await rep.PostAsJsonAsync("/api/v1/referrals", Lead("Documented Leads Ltd", "documented-leads.com", Northwind)), HttpStatusCode.Created);
        referral["declineReason"].Should().BeNull();
        await Conforms(document, "get", "/api/v1/referrals/{id}", await rep.GetAsync($"/api/v1/referrals/{Api.Id(referral)}"));
    }

    // Before, the upload's refusals were described by the framework's problem schema, which has no code, no traceId and
    // none of the rows a refused upload lists, and takes no other field: every real refusal broke it.
    [Fact]
    public async Task Problems_AreAsDocumented_WithWhatEachCarries()
    {
        var document = await Document();
        var partner = await _app.ClientFor("partner.northwind");

        var badRows = new StringContent("name,country\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"Company {i},ZZ\n")), Encoding.UTF8, "text/csv");
        var refused = await Conforms(document, "put", "/api/v1/account-lists/{population}", await partner.PutAsync("/api/v1/account-lists/openOpportunities", badRows), HttpStatusCode.UnprocessableEntity);
        refused["rows"]!.AsArray().Should().NotBeEmpty();
        var upload = document["paths"]!["/api/v1/account-lists/{population}"]!["put"]!["responses"]!;
        upload["413"]!["content"]!["application/problem+json"]!["example"]!["detail"]!.GetValue<string>()
            .Should().Be(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"An account list has at most {_app.Services.GetRequiredService<AccountMappingOptions>().MaximumRows:N0} rows."),
                "the example names the limit the service holds to");
        var unreadable = new StringContent("<accounts/>", Encoding.UTF8, "application/xml");
        await Conforms(document, "put", "/api/v1/account-lists/{population}", await partner.PutAsync("/api/v1/account-lists/openOpportunities", unreadable), HttpStatusCode.UnsupportedMediaType);

        await Conforms(document, "get", "/api/v1/registrations/{id}", await partner.GetAsync($"/api/v1/registrations/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        var invalid = await Conforms(document, "post", "/api/v1/registrations", await partner.PostAsJsonAsync("/api/v1/registrations", new { customer = new { name = "" } }), HttpStatusCode.BadRequest);
        invalid["errors"].Should().NotBeNull();

        var key = $"documented-{Guid.NewGuid()}";
        await Api.Expect(await Keyed(partner, key, "Documented Keys Inc"), HttpStatusCode.Created);
        var reused = await Conforms(document, "post", "/api/v1/registrations", await Keyed(partner, key, "Documented Keys Again Inc"), (HttpStatusCode)422);
        var example = document["paths"]!["/api/v1/registrations"]!["post"]!["responses"]!["422"]!["content"]!["application/problem+json"]!["example"]!;
        example["title"]!.GetValue<string>().Should().Be(reused["title"]!.GetValue<string>(), "the document's example carries the title the answer does");
    }

    // Before, the upload's schema took no `line`, which the read-back's items carry and docs/account-mapping.md says may be
    // sent back; and the three routes that answer CSV described their JSON answer only.
    [Fact]
    public async Task AListReadBack_IsAnUploadAsDocumented_AndTheCsvAnswersAreDescribed()
    {
        var document = await Document();
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var accounts = Enumerable.Range(1, 30).Select(i => new { name = $"Read Back Systems {i}", domain = $"read-back-{i}.com", country = "US" }).ToArray();
        await Api.Expect(await partner.PutAsJsonAsync("/api/v1/account-lists/customers", accounts), HttpStatusCode.OK);
        var items = (await Api.Get(partner, "/api/v1/account-lists/customers?pageSize=100"))["items"]!.AsArray();
        items.Should().HaveCount(30).And.OnlyContain(i => i!["line"] != null);

        var upload = document["paths"]!["/api/v1/account-lists/{population}"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;
        SchemaOf(document, upload).Evaluate(items).IsValid.Should().BeTrue("a list read back can be sent back as it is");
        var again = await partner.PutAsync("/api/v1/account-lists/customers", new StringContent(items.ToJsonString(), Encoding.UTF8, "application/json"));
        await Api.Expect(again, HttpStatusCode.OK);
        JsonNode.Parse(await again.Content.ReadAsStringAsync())!["accepted"]!.GetValue<int>().Should().Be(30);

        var csv = await partner.GetAsync("/api/v1/account-lists/customers?format=csv");
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        foreach (var route in new[] { "/api/v1/account-lists/{population}", "/api/v1/partnerships/{id}/overlaps/{ours}/{theirs}", "/api/v1/partnerships/{id}/overlaps/{ours}/{theirs}/white-space" })
        {
            document["paths"]![route]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).Should().BeEquivalentTo(["application/json", "text/csv"], route);
        }
    }

    // Before, a 412's schema had no currentVersion and no ETag header, though its description named both; a replayed
    // answer's Idempotent-Replayed and a rate-limited check's 429 and Retry-After were not in the document at all.
    [Fact]
    public async Task StaleReplayedAndLimitedAnswers_AreAsDocumented_HeadersAndAll()
    {
        var document = await Document();
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var created = await Conforms(document, "post", "/api/v1/registrations", await partner.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(app, "Documented Stale Inc", "documented-stale.com")), HttpStatusCode.Created);
        var stale = await Conforms(document, "patch", "/api/v1/registrations/{id}",
            await Api.Send(partner, HttpMethod.Patch, $"/api/v1/registrations/{Api.Id(created)}", new { notes = "Later." }, "\"99\""), HttpStatusCode.PreconditionFailed);
        stale["currentVersion"]!.GetValue<long>().Should().Be(created["version"]!.GetValue<long>());
        document["paths"]!["/api/v1/registrations/{id}"]!["patch"]!["responses"]!["412"]!["content"]!["application/problem+json"]!["schema"]!["properties"]!["currentVersion"]
            .Should().NotBeNull("a client generated from the document keeps the version the problem names");

        var key = $"documented-replay-{Guid.NewGuid()}";
        await Conforms(document, "post", "/api/v1/registrations", await Keyed(partner, key, "Documented Replay Inc"), HttpStatusCode.Created);
        var replayed = await Keyed(partner, key, "Documented Replay Inc");
        replayed.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        await Conforms(document, "post", "/api/v1/registrations", replayed, HttpStatusCode.Created);

        var manager = await app.ClientFor("manager2");
        HttpResponseMessage check;
        var checks = 0;
        do
        {
            check = await manager.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name = "Documented Limits Inc", country = "US" } });
            checks++;
        }
        while (check.StatusCode == HttpStatusCode.OK && checks <= 100);
        await Conforms(document, "post", "/api/v1/duplicate-checks", check, HttpStatusCode.TooManyRequests);
    }

    // Before, a request's schema took what the service refuses: a required field sent as null, any number of product
    // lines of any length, a note or an amount of any size; its bounds were in the validators alone.
    [Theory]
    [InlineData("customer.name", "null")]
    [InlineData("productLines", "null")]
    [InlineData("productLines", "[]")]
    [InlineData("productLines", "[\"Security\",\"A1\",\"A2\",\"A3\",\"A4\",\"A5\",\"A6\",\"A7\",\"A8\",\"A9\",\"A10\",\"A11\",\"A12\",\"A13\",\"A14\",\"A15\",\"A16\",\"A17\",\"A18\",\"A19\",\"A20\"]")]
    [InlineData("productLines", "[\"LONG\"]")]
    [InlineData("estimatedValue.amount", "0")]
    [InlineData("estimatedValue.amount", "100000000000.01")]
    [InlineData("estimatedValue", "null")]
    public async Task ARequestTheServiceRefuses_IsOneItsSchemaRefusesToo(string field, string value)
    {
        var document = await Document();
        var partner = await _app.ClientFor("partner.northwind");
        var schema = SchemaOf(document, document["paths"]!["/api/v1/registrations"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var body = Api.RawRegistration(_app, "Schema Bounds Inc", "schema-bounds.com");
        schema.Evaluate(body).IsValid.Should().BeTrue("a body the service takes is one its schema takes");

        var path = field.Split('.');
        var holder = path[..^1].Aggregate((JsonNode)body, (node, name) => node[name]!).AsObject();
        holder[path[^1]] = JsonNode.Parse(value.Replace("LONG", new string('x', 4001), StringComparison.Ordinal));

        await Api.Expect(await partner.PostAsync("/api/v1/registrations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        schema.Evaluate(body).IsValid.Should().BeFalse("the schema states the bound the service holds {0} to", field);
    }

    // Before, a server's address ended in a slash (a path appended to it gave "//api/v1/…", a 404), and the development
    // sign-in's required user was typed as taking null, which a client filling in an example sent and was refused.
    [Fact]
    public async Task TheServersAddress_TakesAPathAsWritten_AndAMarkedRequiredFieldTakesNoNull()
    {
        var document = await Document();
        document["servers"]!.AsArray().Should().OnlyContain(s => !s!["url"]!.GetValue<string>().EndsWith('/'));
        document["components"]!["schemas"]!["TokenRequest"]!["properties"]!["user"]!["type"]!.GetValue<string>().Should().Be("string");
    }

    // Before, a contact's name read as taking one character and no field of a customer or contact gave its bound.
    [Fact]
    public async Task ACustomersAndAContactsFields_SayTheirBounds()
    {
        var schemas = (await Document())["components"]!["schemas"]!;
        schemas["ContactInput"]!["properties"]!["name"]!["description"]!.GetValue<string>().Should().StartWith("2 to 200 printable characters");
        schemas["ContactInput"]!["properties"]!["phone"]!["description"]!.GetValue<string>().Should().StartWith("5 to 20 digits in at most 40 characters");
        schemas["CustomerInput"]!["properties"]!["name"]!["description"]!.GetValue<string>().Should().Contain("2 to 200 characters");
        schemas["CustomerInput"]!["properties"]!["country"]!["description"]!.GetValue<string>().Should().Contain("ISO 3166-1 alpha-2");
    }

    // Free text is held to its length without the white space around it, which no maxLength says: a maxLength would
    // refuse a note the service takes (4,000 characters and a line break after them), so the description says it.
    [Fact]
    public async Task FreeTextsBound_IsStatedInWords_AndNoMaxLengthRefusesWhatTheServiceTakes()
    {
        var document = await Document();
        var notes = document["components"]!["schemas"]!["CreateRegistration"]!["properties"]!["notes"]!;
        notes["maxLength"].Should().BeNull();
        notes["description"]!.GetValue<string>().Should().Contain("At most 4000 characters, not counting the white space around the text.");

        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Long Notes Ltd", "long-notes.com");
        body["notes"] = new string('x', 4000) + "  \n";
        await Api.Expect(await partner.PostAsync("/api/v1/registrations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        SchemaOf(document, document["paths"]!["/api/v1/registrations"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!).Evaluate(body).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task AnEnumsSharedSchema_TakesNoNull_AndANullableFieldSaysSoWhereItIs()
    {
        var schemas = (await Document())["components"]!["schemas"]!.AsObject();

        schemas.Where(s => s.Value!["enum"] is not null).Should().NotBeEmpty()
            .And.OnlyContain(s => s.Value!["enum"]!.AsArray().All(name => name != null) && s.Value["type"]!.GetValueKind() == System.Text.Json.JsonValueKind.String,
                "an enum's schema is shared by every use of it, nullable or not");
        schemas["PartnerDto"]!["properties"]!["tier"]!.ToJsonString().Should().Be("""{"$ref":"#/components/schemas/PartnerTier"}""");
        schemas["RegistrationDto"]!["properties"]!["rejectionReason"]!["oneOf"]!.AsArray().Select(s => s!.ToJsonString())
            .Should().BeEquivalentTo("""{"type":"null"}""", """{"$ref":"#/components/schemas/RejectionReason"}""");
    }

    // Before, a change's enum field that may be left out or sent as null (`stage`, `tier`, `status`) was described as
    // taking no null, which the service takes as leaving the field as it is.
    [Theory]
    [InlineData("OpportunityPatch", """{"stage":null}""", """{"stage":"propose"}""", """{"stage":"sideways"}""")]
    [InlineData("PartnerPatch", """{"tier":null,"status":null}""", """{"tier":"gold","status":"suspended"}""", """{"tier":"diamond"}""")]
    public async Task AChangesEnumFieldThatMayBeNull_IsDescribedSo(string patch, string withNull, string withValue, string withUnknown)
    {
        var document = await Document();
        var schema = SchemaOf(document, new JsonObject { ["$ref"] = $"#/components/schemas/{patch}" });

        schema.Evaluate(JsonNode.Parse(withNull)).IsValid.Should().BeTrue();
        schema.Evaluate(JsonNode.Parse(withValue)).IsValid.Should().BeTrue();
        schema.Evaluate(JsonNode.Parse(withUnknown)).IsValid.Should().BeFalse();
    }

    private Task<HttpResponseMessage> Keyed(HttpClient partner, string key, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = JsonContent.Create(Api.NewRegistration(_app, name, "documented-keys.com")) };
        request.Headers.Add("Idempotency-Key", key);
        return partner.SendAsync(request);
    }

    private async Task<JsonObject> Document()
    {
        using var client = _app.CreateClient();
        return (JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json")) as JsonObject)!;
    }

    /// <summary>The answer's body, after checking its status and that it is valid under the schema the document gives the route for that status (else its default).</summary>
    private static async Task<JsonObject> Conforms(JsonObject document, string method, string route, HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        await Api.Expect(response, status);
        var text = await response.Content.ReadAsStringAsync();
        var responses = document["paths"]![route]![method]!["responses"]!;
        var described = responses[((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"]!;
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        var schema = described["content"]?[mediaType]?["schema"];
        schema.Should().NotBeNull("the document describes the {0} answer of {1} {2} as {3}", (int)status, method, route, mediaType);

        var result = SchemaOf(document, schema!).Evaluate(JsonNode.Parse(text), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var faults = result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
        result.IsValid.Should().BeTrue("{0} {1} answered {2}, which its documented schema does not take: {3}", method, route, text, string.Join("; ", faults));

        // The headers a client acts on are described where they are sent.
        foreach (var header in new[] { "ETag", "Location", "Retry-After", "Idempotent-Replayed" }.Where(h => response.Headers.Contains(h)))
        {
            described["headers"]?[header].Should().NotBeNull("{0} {1} answered {2} with {3}, which the document should describe", method, route, (int)status, header);
        }

        return (JsonNode.Parse(text) as JsonObject)!;
    }

    /// <summary>The response's schema with the document's component schemas beside it, its references pointed at them.</summary>
    private static JsonSchema SchemaOf(JsonObject document, JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.FromText(root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
    }
}
