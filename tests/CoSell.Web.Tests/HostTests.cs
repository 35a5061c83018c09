using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CoSell.Infrastructure.Hosting;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Serilog.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoSell.Web.Tests;

/// <summary>What an operator sees of the host: health, the API description, and how it starts outside Development.</summary>
public sealed class HostTests : IClassFixture<CoSellApp>
{
    private const string ProductionKey = "a-production-signing-key-of-well-over-32-bytes-0042";

    private readonly CoSellApp _app;

    public HostTests(CoSellApp app) => _app = app;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpoints_AnswerWithoutAToken(string path)
    {
        var anonymous = _app.CreateClient();

        var response = path == "/health/ready" ? await Api.Ready(anonymous) : await anonymous.GetAsync(path);

        await Api.Expect(response, HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
        response.Headers.RetryAfter.Should().BeNull("a ready service is asked nothing later");
    }

    [Theory]
    [InlineData("POST", "/health/live")]
    [InlineData("DELETE", "/health/live")]
    [InlineData("PUT", "/health/ready")]
    [InlineData("TRACE", "/health/ready")]
    public async Task HealthEndpoints_AnswerOnlyReads_AnotherMethodIs405(string method, string path)
    {
        var anonymous = _app.CreateClient();

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.Problem(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        response.Content.Headers.Allow.Should().BeEquivalentTo("GET", "HEAD");
        (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void DataProtection_KeyRingIsNotWarmedUpAtStart()
    {
        // Bearer tokens never use data protection; its warm-up read (or wrote) an XML key ring on every start.
        _app.CreateClient();

        var hosted = _app.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName).ToList();

        hosted.Should().NotBeEmpty().And.NotContain("Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        typeof(Microsoft.AspNetCore.DataProtection.DataProtectionOptions).Assembly
            .GetType("Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").Should().NotBeNull("the removal looks the type up by this name");
    }

    [Fact]
    public void NativeHeap_CanBeTrimmed_WhereTheCLibraryIsGlibc()
    {
        // Start-up hands the C heap's free pages back once the claims are loaded; a binding that no longer resolves
        // would quietly keep them.
        var glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
        if (glibc)
        {
            NativeLibrary.TryGetExport(NativeLibrary.Load("libc.so.6"), "malloc_trim", out _).Should().BeTrue("glibc has malloc_trim");
        }

        var before = NativeHeap.Answers;

        NativeHeap.Trim().Should().Be(glibc);

        // Other hosts starting in parallel may trim too, so the count only has to have moved.
        if (glibc)
        {
            NativeHeap.Answers.Should().BeGreaterThan(before, "the trim reached malloc_trim and it answered");
        }
        else
        {
            NativeHeap.Answers.Should().Be(0, "there is no malloc_trim to answer");
        }
    }

    [Theory]
    [InlineData("/api/v1/rules/versions", "post", "422", "idempotency_key_reused")]
    [InlineData("/api/v1/registrations/{id}", "patch", "412", "precondition_failed")]
    [InlineData("/api/v1/registrations/{id}", "patch", "428", "precondition_required")]
    [InlineData("/api/v1/registrations/{id}", "get", "default", "not_found")]
    public async Task OpenApiDocument_ShowsEachProblemAnswerWithAnExampleOfItsOwnStatus(string path, string method, string answer, string code)
    {
        var document = JsonNode.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var example = document["paths"]![path]![method]!["responses"]![answer]!["content"]!["application/problem+json"]!["example"]!;

        example["code"]!.GetValue<string>().Should().Be(code);
        if (answer != "default")
        {
            example["status"]!.GetValue<int>().Should().Be(int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryInstantAsAString()
    {
        var document = JsonNode.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var instants = document["components"]!["schemas"]!.AsObject()
            .SelectMany(schema => (schema.Value!["properties"]?.AsObject() ?? []).Select(p => (Name: $"{schema.Key}.{p.Key}", Schema: p.Value!)))
            .Where(p => p.Schema["format"]?.GetValue<string>() == "date-time")
            .ToList();

        instants.Select(i => i.Name).Should().Contain(["RegistrationDto.createdAt", "ConflictDto.escalatedAt"]);
        instants.Should().OnlyContain(i => i.Schema["type"]!.ToJsonString().Contains("\"string\""), "a client generator reads an instant without a type as anything");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheLocationEveryCreateAnswers()
    {
        var document = JsonNode.Parse(await _app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var creates = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Route: $"{operation.Key} {path.Key}", Responses: operation.Value!["responses"]!.AsObject())))
            .Where(o => o.Responses.ContainsKey("201"))
            .ToList();

        creates.Select(c => c.Route).Should().Contain(["post /api/v1/rules/versions", "post /api/v1/registrations", "post /api/v1/referrals/{id}/convert"]);
        creates.Should().OnlyContain(c => c.Responses["201"]!["headers"]!["Location"] != null, "each create answers 201 with where to read what it made");
    }

    /// <summary>The service has one OpenAPI document: another name is a path like any other that leads nowhere, and is not said back.</summary>
    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/%3Cscript%3Ealert(1)%3C%2Fscript%3E.json")]
    [InlineData("/openapi/v1.yaml")]
    [InlineData("/openapi/v1.json?documentName=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("/openapi/v1.json?documentName=v2")]
    [InlineData("/openapi/v1.json?documentName=v1")]
    public async Task AnOpenApiDocumentOfAnotherName_IsAProblem404(string path)
    {
        var response = await _app.CreateClient().GetAsync(path);

        var problem = await Api.Problem(response, HttpStatusCode.NotFound, "not_found");
        problem["detail"].Should().BeNull("the name asked for is not said back");
    }

    [Fact]
    public async Task TheOpenApiDocument_IsServedWhateverTheCaseOfItsName()
    {
        var response = await _app.CreateClient().GetAsync("/openapi/V1.json");

        await Api.Expect(response, HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["openapi"]!.GetValue<string>().Should().StartWith("3.");
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndDescribesTheRegistrationRoutes()
    {
        var anonymous = _app.CreateClient();

        var response = await anonymous.GetAsync("/openapi/v1.json");

        await Api.Expect(response, HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.Should().Contain(["/api/v1/registrations", "/api/v1/registrations/{id}", "/api/v1/registrations/{id}/submit", "/api/v1/reviews"]);
        document["paths"]!["/api/v1/registrations"]!.AsObject().Select(o => o.Key).Should().Contain(["get", "post"]);
        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().Should().Be("bearer");
        var create = document["paths"]!["/api/v1/registrations"]!["post"]!;
        create["responses"]!["default"]!["content"]!["application/problem+json"]!["schema"]!["properties"]!.AsObject().Select(p => p.Key)
            .Should().Contain(["code", "traceId", "errors"], "every operation documents its errors as problems");
        create["security"].Should().BeNull("the document's bearer requirement applies");
        document["paths"]!["/api/v1/dev/token"]!["post"]!["security"]!.AsArray().Should().BeEmpty("signing in needs no token");

        // "required" names what the API refuses to go without, not every parameter of a record.
        var schemas = document["components"]!["schemas"]!;
        Required(schemas, "CreateRegistration").Should().BeEquivalentTo(["customer", "productLines", "estimatedValue", "expectedCloseDate"]);
        Required(schemas, "CustomerInput").Should().BeEquivalentTo(["name", "country"]);
        Required(schemas, "MoneyInput").Should().BeEquivalentTo(["amount", "currency"]);
        Required(schemas, "ContactInput").Should().BeEquivalentTo(["name"], "an e-mail or a phone will do, which required cannot say");
        schemas["ContactInput"]!["description"]!.GetValue<string>().Should().Contain("an e-mail address or a phone number", "the description says what required cannot");
        Required(schemas, "TierPolicyInput").Should().HaveCount(7);
        Required(schemas, "CreatePartner").Should().BeEquivalentTo(["name", "tier", "territories"]);
        // A body is held to the validator of the request it becomes.
        Required(schemas, "DecisionBody").Should().BeEquivalentTo(["decision", "rationale"]);
        Required(schemas, "ReturnBody").Should().BeEquivalentTo(["message"]);
        Required(schemas, "ConvertBody").Should().BeEquivalentTo(["expectedCloseDate"]);
        Required(schemas, "RegistrationPatch").Should().BeEmpty("a patch sends only what changes");
        Required(schemas, "RegistrationDto").Should().Contain(["id", "status", "version"]).And.NotContain(["reviewerId", "protectionEndsAt"]);

        // The headers a route takes besides its body: If-Match (required on the updates that overwrite), Idempotency-Key on creates.
        static JsonNode? Header(JsonNode operation, string name) =>
            operation["parameters"]?.AsArray().FirstOrDefault(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == name);
        var patch = document["paths"]!["/api/v1/registrations/{id}"]!["patch"]!;
        Header(patch, "If-Match")!["required"]!.GetValue<bool>().Should().BeTrue();
        patch["responses"]!.AsObject().Select(r => r.Key).Should().Contain(["412", "428"]);
        patch["responses"]!["200"]!["headers"]!["ETag"].Should().NotBeNull("a change answers the version it made");
        var submit = document["paths"]!["/api/v1/registrations/{id}/submit"]!["post"]!;
        Header(submit, "If-Match")!["required"]?.GetValue<bool>().Should().NotBe(true, "an action takes If-Match when sent");
        submit["responses"]!.AsObject().Select(r => r.Key).Should().Contain("412").And.NotContain("428");
        Header(create, "Idempotency-Key").Should().NotBeNull();
        Header(create, "If-Match").Should().BeNull();
        Header(document["paths"]!["/api/v1/partnerships/{id}/sharing"]!["put"]!, "If-Match")!["required"]!.GetValue<bool>().Should().BeTrue();

        // A body that may be left out is the object when sent, never JSON null (refused as malformed_json).
        foreach (var (path, schema) in new[]
        {
            ("/api/v1/registrations/{id}/approve", "CommentBody"), ("/api/v1/registrations/{id}/withdraw", "WithdrawBody"),
            ("/api/v1/registrations/{id}/opportunity", "FromRegistrationBody"), ("/api/v1/partnerships", "ProposeBody"),
        })
        {
            var body = document["paths"]![path]!["post"]!["requestBody"]!;
            body["required"]?.GetValue<bool>().Should().NotBe(true, "the body of {0} may be left out", path);
            body["content"]!["application/json"]!["schema"]!.ToJsonString().Should().Be($$"""{"$ref":"#/components/schemas/{{schema}}"}""");
        }

        // An account list is uploaded as JSON or CSV, which the handler reads itself; the document says both.
        document["paths"]!["/api/v1/account-lists/{population}"]!["put"]!["requestBody"]!["content"]!.AsObject().Select(c => c.Key)
            .Should().BeEquivalentTo(["application/json", "text/csv"]);

        // A decimal read exactly (its own converter) is still a number, and one the validator demands takes no null.
        schemas["MoneyInput"]!["properties"]!["amount"]!["type"]!.GetValue<string>().Should().Be("number");
        schemas["MoneyDto"]!["properties"]!["amount"]!["type"]!.GetValue<string>().Should().Be("number");
        // How many decimals an amount takes hangs on its currency, which the schema can only say in words.
        schemas["MoneyInput"]!["properties"]!["amount"]!["description"]!.GetValue<string>().Should().Be(Web.Http.MoneySchemaTransformer.AmountDescription)
            .And.Contain("three for BHD, IQD, JOD, KWD, LYD, OMR and TND");
        schemas["TierPolicyInput"]!["properties"]!["autoApproveCeiling"]!["description"]!.GetValue<string>().Should().Contain("the rules' currency");

        // An enum is a string, one of its names as the API reads and writes them.
        schemas["LossReason"]!["type"]!.GetValue<string>().Should().Be("string");
        schemas["LossReason"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>())
            .Should().Equal("price", "competitor", "noDecision", "budget", "timing", "other");

        // So is a filter or route value read by name: the document lists the names it takes.
        static IEnumerable<string> NamesOf(JsonNode operation, string parameter) =>
            operation["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == parameter)!["schema"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());
        NamesOf(document["paths"]!["/api/v1/referrals"]!["get"]!, "direction").Should().Equal("vendorToPartner", "partnerToVendor");
        NamesOf(document["paths"]!["/api/v1/opportunities"]!["get"]!, "stage").Should().Contain(["qualify", "closedWon"]);
        NamesOf(document["paths"]!["/api/v1/account-lists/{population}"]!["put"]!, "population").Should().Equal("customers", "prospects", "openOpportunities");
        NamesOf(document["paths"]!["/api/v1/account-lists/{population}"]!["get"]!, "format").Should().Equal("json", "csv");
        NamesOf(document["paths"]!["/api/v1/users"]!["get"]!, "role").Should().Equal("partner", "rep", "channel_manager", "arbiter", "admin");
        foreach (var body in new[] { "CreateUser", "UserDto", "TokenResponse" })
        {
            schemas[body]!["properties"]!["role"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("channel_manager", $"{body}'s role is one of CoSell's roles");
        }

        schemas["ParticipantDto"]!["properties"]!["role"]!["enum"].Should().BeNull("a participant's role is Sourced or Influenced, not a user's role");
        Required(schemas, "TokenRequest").Should().BeEquivalentTo(["user"]);

        // An answer carrying a resource's version carries its ETag: reads and creates as well as changes.
        foreach (var (path, method, status) in new[] { ("/api/v1/registrations/{id}", "get", "200"), ("/api/v1/registrations", "post", "201"), ("/api/v1/users/{id}", "get", "200"), ("/api/v1/partners/{id}", "get", "200") })
        {
            document["paths"]![path]![method]!["responses"]![status]!["headers"]?["ETag"].Should().NotBeNull($"{method} {path} answers its ETag");
        }

        document["paths"]!["/api/v1/registrations"]!["get"]!["responses"]!["200"]!["headers"]?["ETag"].Should().BeNull("a list has no one version");
        var filters = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Route: $"{operation.Key} {path.Key}", Operation: operation.Value!)))
            .SelectMany(o => (o.Operation["parameters"]?.AsArray() ?? []).Where(p => p!["name"]!.GetValue<string>() is "status" or "stage" or "direction" or "population" or "ours" or "theirs").Select(p => (o.Route, Parameter: p!)));
        filters.Should().NotBeEmpty().And.OnlyContain(f => f.Parameter["schema"]!["enum"] != null, "every status, stage, direction or population value lists its names");

        // HEAD answers wherever GET does, and is not described twice.
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(operation => operation.Key)).Should().NotContain("head");
    }

    [Fact]
    public void EveryBodyNamedAsARequest_HasThatRequestsFields_AndTheRequestHasAValidator()
    {
        // The OpenAPI document reads a body's required fields from the validator of the request it names: a wrong or
        // renamed target would quietly drop them.
        var bodies = typeof(Program).Assembly.GetTypes()
            .Select(type => (Body: type, Target: type.GetCustomAttribute<CoSell.Web.Http.ValidatedAsAttribute>()?.Request))
            .Where(pair => pair.Target is not null)
            .ToList();
        using var scope = _app.Services.CreateScope();

        bodies.Should().HaveCountGreaterThan(15);
        foreach (var (body, target) in bodies)
        {
            scope.ServiceProvider.GetService(typeof(FluentValidation.IValidator<>).MakeGenericType(target!)).Should().NotBeNull($"{body.Name} names {target!.Name}");
            // A property JSON ignores is no field of the body (PartnerPatch.ChannelManagerNamed).
            foreach (var field in body.GetProperties().Where(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null))
            {
                var becomes = target!.GetProperty(field.Name);
                becomes.Should().NotBeNull($"{target.Name} has {body.Name}.{field.Name}");
                // A missing value may reach the request as its default (OpenBody's registrationId as an empty id, refused there).
                Underlying(becomes!.PropertyType).Should().Be(Underlying(field.PropertyType), $"{body.Name}.{field.Name} becomes {target.Name}.{field.Name}");
            }
        }
    }

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static IEnumerable<string> Required(JsonNode schemas, string name) =>
        schemas[name]!["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];

    [Fact]
    public async Task DevToken_NamesTheUser_SoATourCanUseARepsId()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/v1/dev/token", new { user = "rep" });

        var token = await Api.Body(response);
        token["userId"]!.GetValue<string>().Should().Be(CoSelling.Rep);
        token["role"]!.GetValue<string>().Should().Be("rep");
    }

    [Fact]
    public async Task ApiReferenceUi_Answers()
    {
        var anonymous = _app.CreateClient();

        var response = await anonymous.GetAsync("/scalar/v1");

        await Api.Expect(response, HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("CoSell API");
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ADMIN ")]
    [InlineData("admin'--")]
    public async Task DevToken_ForAnUnknownDemoUser_Is400(string user)
    {
        var anonymous = _app.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/api/v1/dev/token", new { user });

        var problem = await Api.Problem(response, HttpStatusCode.BadRequest, "dev.unknown_user");
        problem["detail"]!.GetValue<string>().Should().Contain("partner.northwind");
    }

    [Fact]
    public async Task DevToken_WithAVeryLongOrMissingUser_Is400()
    {
        var anonymous = _app.CreateClient();

        await Api.Problem(await anonymous.PostAsJsonAsync("/api/v1/dev/token", new { user = new string('a', 10_000) }), HttpStatusCode.BadRequest, "dev.unknown_user");
        await Api.Problem(await anonymous.PostAsJsonAsync("/api/v1/dev/token", new { }), HttpStatusCode.BadRequest, "dev.unknown_user");
        await Api.Problem(await Api.Send(anonymous, HttpMethod.Post, "/api/v1/dev/token", "{\"user\":"), HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public void Production_WithoutAuthConfiguration_RefusesToStart()
    {
        using var production = new ConfiguredApp("Production", new Dictionary<string, string?>());

        var start = () => production.CreateClient();

        var thrown = start.Should().Throw<Exception>().Which;
        Messages(thrown).Should().Contain(m => m.Contains("Auth:Issuer", StringComparison.Ordinal) && m.Contains("Auth:Audience", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_WithTheDevelopmentSigningKey_RefusesToStart()
    {
        var settings = ConfiguredApp.ProductionAuth("cosell-development-signing-key-not-for-production-use-0001");
        using var production = new ConfiguredApp("Production", settings);

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("signing key other than the Development one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("                                        ")]
    [InlineData("a b c d e f g h i j k l m n o p q r s t u v w x y z")]
    public void Production_WithAShortOrBlankSigningKey_RefusesToStart(string signingKey)
    {
        using var production = new ConfiguredApp("Production", ConfiguredApp.ProductionAuth(signingKey));

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("Auth:SigningKey of at least 32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Production_WithAShortSigningKeyBesideAnAuthority_RefusesToStart()
    {
        // The key still signs tokens the service accepts beside the authority's: a short one would be a guessable key.
        var settings = ConfiguredApp.ProductionAuth("too-short");
        settings["Auth:Authority"] = "https://127.0.0.1:1/";
        using var production = new ConfiguredApp("Production", settings);

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("an Auth:SigningKey of at least 32 bytes (not counting blanks) beside Auth:Authority, or none", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AccountMapping:Secret", "short-development-secret")]
    // Before, it started, and every demo sign-in was a 500: the key could sign no token.
    [InlineData("Auth:SigningKey", "shortkey")]
    public void Development_WithASecretShorterThan32Bytes_RefusesToStart_NamingIt(string key, string value)
    {
        using var development = new ConfiguredApp("Development", new Dictionary<string, string?> { [key] = value });

        var start = () => development.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains($"{key} is shorter than 32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Development_SigningInThroughAnAuthority_HasNoDemoSignIn_ForItHoldsNoKeyToSignWith()
    {
        using var development = new ConfiguredApp("Development", new Dictionary<string, string?> { ["Auth:Authority"] = "https://127.0.0.1:1/" });
        var client = development.CreateClient();

        await Api.Problem(await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "rep" }), HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("OFF")]
    [InlineData("FUL")]
    [InlineData("EXTRA")]
    public void ASynchronousModeOtherThanFullOrNormal_RefusesToStart(string synchronous)
    {
        // SQLite would read a typo as NORMAL and OFF as no durability at all, without a word.
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        settings["Database:Synchronous"] = synchronous;
        using var production = new ConfiguredApp("Production", settings);

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains($"Database:Synchronous is '{synchronous}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Expiry:Interval", "00:00:00", "Expiry:Interval is '00:00:00'")]
    [InlineData("Escalation:Interval", "-00:01:00", "Escalation:Interval is '-00:01:00'")]
    [InlineData("Expiry:Interval", "abc", "Expiry:Interval is 'abc'")]
    [InlineData("Escalation:Interval", "60.00:00:00", "Escalation:Interval is '60.00:00:00'")]
    [InlineData("DuplicateChecks:PermitPerMinute", "0", "DuplicateChecks:PermitPerMinute is '0'")]
    [InlineData("DuplicateChecks:PermitPerMinute", "lots", "DuplicateChecks:PermitPerMinute is 'lots'")]
    [InlineData("Database:ConnectionString", "Foo=bar", "Database:ConnectionString is not a SQLite connection string")]
    [InlineData("Database:ConnectionString", "", "Database:ConnectionString names no database file")]
    [InlineData("Database:ConnectionString", "Data Source=", "Database:ConnectionString names no database file")]
    [InlineData("Database:Path", "", "Database:Path names no database file")]
    [InlineData("Database:Path", "/", "Database:Path names the folder /")]
    [InlineData("Database:Path", "/tmp/cosell-no-such-folder/", "Database:Path names the folder /tmp/cosell-no-such-folder/")]
    [InlineData("Auth:Authority", "login.example.com", "Auth:Authority is 'login.example.com': set the https:// address")]
    [InlineData("Auth:Authority", "http://127.0.0.1:5999/", "Auth:Authority is 'http://127.0.0.1:5999/'")]
    [InlineData("Auth:TokenLifetime", "xyz", "'Auth:TokenLifetime'")]
    [InlineData("Auth:TokenLifetime", "-01:00:00", "Auth:TokenLifetime is '-01:00:00'")]
    [InlineData("Auth:TokenLifetime", "00:00:00", "Auth:TokenLifetime is '00:00:00'")]
    [InlineData("AccountMapping:MinimumCount", "abc", "'AccountMapping:MinimumCount'")]
    [InlineData("AccountMapping:MinimumCount", "0", "AccountMapping:MinimumCount is 0")]
    [InlineData("AccountMapping:MaximumBadRowShare", "1.5", "AccountMapping:MaximumBadRowShare is 1.5")]
    [InlineData("AccountMapping:MaximumRows", "10", "AccountMapping:MaximumRows is 10")]
    [InlineData("Serilog:MinimumLevel:Default", "Verbos", "Serilog:MinimumLevel:Default is 'Verbos'")]
    [InlineData("Serilog:MinimumLevel", "Verbos", "Serilog:MinimumLevel is 'Verbos'")]
    [InlineData("Serilog:WriteTo:0:Name", "Seq", "Serilog:WriteTo:0 names the sink 'Seq': this build writes logs with Console or File")]
    [InlineData("Serilog:LevelSwitches:$app", "Loud", "Serilog:LevelSwitches:$app is 'Loud'")]
    [InlineData("Database:ConnectionString", "Data Source=:memory:", "Database:ConnectionString names an in-memory database")]
    [InlineData("Database:ConnectionString", "Data Source=file:/tmp/cosell-uri.db", "Database:ConnectionString names its file as a URI")]
    [InlineData("Serilog:MinimumLevel:Override:Microsoft", "Loud", "Serilog:MinimumLevel:Override:Microsoft is 'Loud'")]
    [InlineData("Serilog:MinimumLevel:Override:Microsoft", "$nosuch", "Serilog:MinimumLevel:Override:Microsoft names the level switch '$nosuch', which Serilog:LevelSwitches does not declare")]
    [InlineData("Database:ConnectionString", "Data Source=/tmp/cosell-password.db;Password=secret123", "Database:ConnectionString sets a Password")]
    [InlineData("Serilog:MinimumLevel:ControlledBy", "$app", "Serilog:MinimumLevel:ControlledBy names the level switch '$app', which Serilog:LevelSwitches does not declare")]
    [InlineData("Serilog:MinimumLevel:ControlledBy", "Debug", "Serilog:MinimumLevel:ControlledBy names the level switch 'Debug'")]
    [InlineData("Serilog:LevelSwitches:1x", "Debug", "Serilog:LevelSwitches names a switch '1x'")]
    [InlineData("Serilog:MinimumLevel:Override:", "Debug", "Serilog:MinimumLevel:Override: overrides the level of no source")]
    [InlineData("Serilog:MinimumLevel:Override: ", "Debug", "Serilog:MinimumLevel:Override:  overrides the level of no source")]
    [InlineData("Serilog:MinimumLevel:Default", "", "Serilog:MinimumLevel:Default is ''")]
    [InlineData("Serilog:Properties:", "CoSell", "Serilog:Properties: names no property")]
    [InlineData("Serilog:Enrich:0", "WithMachineName", "Serilog:Enrich cannot be read: Unable to find a method called WithMachineName.")]
    [InlineData("Serilog:Destructure:0:Name", "ToMaximumDepth", "Serilog:Destructure cannot be read: Unable to find a method called ToMaximumDepth with no supplied arguments.")]
    // Before, Serilog took a number for a level, any number: one past Fatal wrote no line at all, a refusal's included.
    [InlineData("Serilog:MinimumLevel:Default", "99", "Serilog:MinimumLevel:Default is '99'")]
    [InlineData("Serilog:MinimumLevel:Override:CoSell", "3", "Serilog:MinimumLevel:Override:CoSell is '3'")]
    // Before, Kestrel read a Protocols it could not parse as none given, and served its defaults.
    [InlineData("Kestrel:Endpoints:Http:Protocols", "Bogus", "Kestrel:Endpoints:Http:Protocols is 'Bogus': set one of Http1, Http2, Http1AndHttp2")]
    [InlineData("Kestrel:EndpointDefaults:Protocols", "2", "Kestrel:EndpointDefaults:Protocols is '2'")]
    // Before, a misspelt TLS version or client certificate mode was passed over the same way: TLS 1.2 still served, or
    // no client certificate asked for.
    [InlineData("Kestrel:Endpoints:Https:SslProtocols:0", "Tls1.3", "Kestrel:Endpoints:Https:SslProtocols:0 is 'Tls1.3': name TLS versions as Tls12 and Tls13")]
    [InlineData("Kestrel:EndpointDefaults:SslProtocols:0", "Tls1_3", "Kestrel:EndpointDefaults:SslProtocols:0 is 'Tls1_3'")]
    [InlineData("Kestrel:EndpointDefaults:SslProtocols", "12288", "Kestrel:EndpointDefaults:SslProtocols is '12288'")]
    [InlineData("Kestrel:Endpoints:Https:SslProtocols", "Tls13", "Kestrel:Endpoints:Https:SslProtocols is 'Tls13': give TLS versions as a list, one item each (Kestrel:Endpoints:Https:SslProtocols:0=Tls13)")]
    [InlineData("Kestrel:Endpoints:Https:ClientCertificateMode", "Required", "Kestrel:Endpoints:Https:ClientCertificateMode is 'Required': set one of NoCertificate, AllowCertificate, RequireCertificate")]
    [InlineData("Kestrel:Endpoints:Https:Sni:a.example.com:ClientCertificateMode", "Require", "Kestrel:Endpoints:Https:Sni:a.example.com:ClientCertificateMode is 'Require'")]
    public void ASettingTheServiceCannotRunWith_RefusesTheStart_NamingIt(string key, string value, string message)
    {
        // Before, each of these started a service that failed later: every duplicate check a 500, a background service
        // crashing the host, or an unhandled exception naming no setting.
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        settings[key] = value;
        using var production = new ConfiguredApp("Production", settings);

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("restrictedToMinimumLevel", "Loud")]
    [InlineData("formatter", "No.Such.Formatter, Nope")]
    [InlineData("theme", "nope")]
    public async Task ALogSinkArgumentSerilogCannotRead_RefusesTheStart_NamingTheSinks_RatherThanCrashing(string argument, string value)
    {
        // Before, the host's build failed with Serilog's stack trace (exit 134). Run as the service runs, in a process of
        // its own: the test host reads a sink's arguments otherwise.
        var folder = Directory.CreateTempSubdirectory("cosell-sink-").FullName;
        try
        {
            var (exitCode, errors, _) = await RunUntilExitAsync(folder, ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Serilog__WriteTo__0__Name"] = "Console",
                [$"Serilog__WriteTo__0__Args__{argument}"] = value,
            });

            exitCode.Should().Be(1, "a refused start, not an abort (134)");
            errors.Should().StartWith("Serilog:WriteTo cannot be read: ").And.NotContain("Unhandled exception").And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Before, a value the sink's or the destructuring method itself refused reached the host as a wrapped exception, which
    // the refusal did not know: the start crashed with its stack trace (exit 134).
    [Theory]
    [InlineData("Serilog:WriteTo cannot be read: Invalid value provided; file size limit must be at least 1 byte", "WriteTo:0:Name=File", "WriteTo:0:Args:path=LOG", "WriteTo:0:Args:fileSizeLimitBytes=0")]
    [InlineData("Serilog:WriteTo cannot be read: ", "WriteTo:0:Name=File", "WriteTo:0:Args:path=LOG", "WriteTo:0:Args:retainedFileCountLimit=0")]
    [InlineData("Serilog:Destructure cannot be read: ", "Destructure:0:Name=ToMaximumDepth", "Destructure:0:Args:maximumDestructuringDepth=-1")]
    public async Task AValueTheLogMethodItselfRefuses_RefusesTheStart_NamingTheSection_RatherThanCrashing(string message, params string[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("cosell-sink-").FullName;
        try
        {
            var environment = settings.Select(s => s.Split('=', 2)).ToDictionary(s => "Serilog__" + s[0].Replace(":", "__", StringComparison.Ordinal), s => s[1].Replace("LOG", Path.Combine(folder, "cosell.log"), StringComparison.Ordinal));
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            var (exitCode, errors, _) = await RunUntilExitAsync(folder, ["--urls", "http://127.0.0.1:0"], environment);

            exitCode.Should().Be(1, "a refused start, not an abort (134)");
            errors.Should().StartWith(message).And.NotContain("Unhandled exception").And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Before, Serilog chose the method the other arguments fit and passed over a misspelt one (the service wrote every
    // line the operator meant to hold back), or an audit sink's argument no audit method takes (the file did not roll),
    // and it took a number for a sink's level (42 wrote no line at all).
    [Theory]
    [InlineData("Serilog:WriteTo:0:Args gives 'restrictedToMinimumLevl', which no one method of the sink takes together (it takes ", "WriteTo:0:Name=Console", "WriteTo:0:Args:restrictedToMinimumLevl=Error")]
    [InlineData("Serilog:AuditTo:0:Args gives 'path', 'rollingInterval', which no one method of the sink takes together (it takes ", "AuditTo:0:Name=File", "AuditTo:0:Args:path=/tmp/cosell-audit.log", "AuditTo:0:Args:rollingInterval=Day")]
    [InlineData("Serilog:WriteTo:0:Args:restrictedToMinimumLevel is '42': set one of Verbose, ", "WriteTo:0:Name=Console", "WriteTo:0:Args:restrictedToMinimumLevel=42")]
    [InlineData("Serilog:Enrich:0:Args:enrichFromLevel is '42': set one of Verbose, ", "Enrich:0:Name=AtLevel", "Enrich:0:Args:enrichFromLevel=42", "Enrich:0:Args:configureEnricher:0:Name=FromLogContext")]
    public void ALogSinkArgumentSerilogWouldPassOverOrMisread_RefusesTheStart_NamingIt(string message, params string[] serilog)
    {
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        foreach (var setting in serilog)
        {
            settings["Serilog:" + setting[..setting.IndexOf('=')]] = setting[(setting.IndexOf('=') + 1)..];
        }

        using var production = new ConfiguredApp("Production", settings);

        var start = () => production.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFileSinkWithoutItsPath_RefusesTheStart_NamingTheMethodsSerilogHas_RatherThanStartingWithNoLog()
    {
        // Before, Serilog left the sink out, saying so only to its own diagnostic log, and the service ran writing no log.
        await InAFolderOfItsOwn("cosell-sink-", async folder =>
        {
            var (exitCode, errors, _) = await RunUntilExitAsync(folder, ["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Serilog__WriteTo__0__Name"] = "File",
                ["Serilog__WriteTo__0__Args__pth"] = Path.Combine(folder, "cosell.log"),
            });

            exitCode.Should().Be(1, "a refused start, not a service that writes no log");
            errors.Trim().Should().StartWith("Serilog:WriteTo cannot be read: Unable to find a method called File for supplied arguments: pth.")
                .And.Contain("File(path, ").And.EndWith("Correct or remove that setting.").And.NotContain("\n");
        });
    }

    [Fact]
    public async Task AFileSinkOnAPathThatCannotBeWritten_RefusesTheStart_NamingIt_RatherThanStartingWithNoLog()
    {
        // Before, the sink caught its failure to open the file, said so only to Serilog's diagnostic log, and the
        // service ran writing no log anywhere.
        await InAFolderOfItsOwn("cosell-sink-", async folder =>
        {
            var notAFolder = Path.Combine(folder, "a-file");
            await File.WriteAllTextAsync(notAFolder, "");
            using var development = new ConfiguredApp("Development", new Dictionary<string, string?>
            {
                ["Serilog:WriteTo:0:Name"] = "File",
                ["Serilog:WriteTo:0:Args:path"] = Path.Combine(notAFolder, "cosell.log"),
            });

            var start = () => development.CreateClient();

            Messages(start.Should().Throw<Exception>().Which).Should().Contain(m =>
                m.StartsWith($"Serilog:WriteTo cannot be read: unable to open file sink for {Path.Combine(notAFolder, "cosell.log")}", StringComparison.Ordinal)
                && m.Contains("IOException", StringComparison.Ordinal) && !m.Contains("   at ", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task SerilogSettingsItAccepts_StartTheService_ASwitchDeclaredWithoutItsDollar_AndSerilogsOwnEnricherAndDestructuring()
    {
        // Before, a switch declared as "app" (the form an environment variable can take) was refused though Serilog
        // declares it as "$app", and with a sink configured Serilog's own FromLogContext and ToMaximumDepth were refused.
        using var development = new ConfiguredApp("Development", new Dictionary<string, string?>
        {
            ["Serilog:LevelSwitches:app"] = "Debug",
            ["Serilog:MinimumLevel:ControlledBy"] = "$app",
            ["Serilog:MinimumLevel:Override:CoSell"] = "$app",
            ["Serilog:WriteTo:0:Name"] = "Console",
            ["Serilog:Enrich:0"] = "FromLogContext",
            ["Serilog:Destructure:0:Name"] = "ToMaximumDepth",
            ["Serilog:Destructure:0:Args:maximumDestructuringDepth"] = "4",
        });

        var live = await development.CreateClient().GetAsync("/health/live");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Development_WithSeveralSettingsWrong_NamesEveryOneInOneRefusal()
    {
        using var development = new ConfiguredApp("Development", new Dictionary<string, string?>
        {
            ["Database:Synchronous"] = "OFF",
            ["AccountMapping:Secret"] = "short",
            ["Auth:SigningKey"] = "short",
        });

        var start = () => development.CreateClient();

        Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("Database:Synchronous is 'OFF'", StringComparison.Ordinal)
            && m.Contains("Auth:SigningKey is shorter than 32 bytes", StringComparison.Ordinal) && m.Contains("AccountMapping:Secret is shorter than 32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_WithAuthConfigured_StartsAndAcceptsOnlyItsOwnTokens()
    {
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        using var production = new ConfiguredApp("Production", settings);
        var client = production.CreateClient();

        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(settings["Auth:Issuer"]!, settings["Auth:Audience"]!, ProductionKey));
        var rules = await Api.Get(client, "/api/v1/rules");
        rules["version"]!.GetValue<int>().Should().Be(1);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("cosell-dev", "cosell", "cosell-development-signing-key-not-for-production-use-0001"));
        await Api.Problem(await client.GetAsync("/api/v1/rules"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Production_WithAnOidcAuthority_StartsWithoutASigningKey_AndTrustsOnlyTheAuthoritysKeys()
    {
        using var authority = new Authority("https://login.authority.example/tenant");
        // The authority's discovery document and keys come through the bearer handler's own back channel, answered here.
        using var production = new ConfiguredApp("Production", authority.Settings, services => services.Configure<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme,
            jwt => jwt.BackchannelHttpHandler = new OidcAuthorityStub(authority.Url, authority.Key)));
        var client = production.CreateClient();
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", authority.AdminToken());
        (await Api.Get(client, "/api/v1/rules"))["version"]!.GetValue<int>().Should().Be(1);

        using var impostor = new Authority(authority.Url);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", impostor.AdminToken());
        await Api.Problem(await client.GetAsync("/api/v1/rules"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    // Before, an authority the service could not reach made every token a 401 "signature does not verify", and nothing was
    // logged: the identity libraries go on without the keys and say so only in their own log.
    [Fact]
    public async Task Production_WithAnOidcAuthorityItCannotReach_Answers503AndLogsWhy_RatherThanBlameTheToken()
    {
        using var authority = new Authority("https://login.unreachable.example/tenant");
        var logs = new LogCapture();
        var unreachable = new UnreachableAuthority();
        using var production = new ConfiguredApp("Production", authority.Settings, services =>
        {
            services.AddSingleton<Serilog.Core.ILogEventSink>(logs);
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt => jwt.BackchannelHttpHandler = unreachable);
        });
        var client = production.CreateClient();
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", authority.AdminToken());

        const int requests = 6;
        for (var i = 0; i < requests; i++)
        {
            var refused = await client.GetAsync("/api/v1/rules");
            var problem = await Api.Problem(refused, HttpStatusCode.ServiceUnavailable, "identity_provider_unavailable");
            problem["detail"]!.GetValue<string>().Should().Contain("signing keys");
            refused.Headers.RetryAfter.Should().NotBeNull();
        }

        logs.AtOrAbove(LogEventLevel.Warning).Where(line => line.Contains(authority.Url, StringComparison.Ordinal)).Should()
            .ContainSingle("the operator is told which authority, once a minute rather than once a request");
        unreachable.Asked.Should().BeLessThanOrEqualTo(requests + 2, "the token validator asks once a request, and the refusal once in ten seconds, not once a request");
        logs.AtOrAbove(LogEventLevel.Error).Should().BeEmpty();
        client.DefaultRequestHeaders.Authorization = null;
        await Api.Problem(await client.GetAsync("/api/v1/rules"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    /// <summary>An OpenID Connect authority at <paramref name="url"/> with an RSA signing key of its own.</summary>
    private sealed class Authority(string url) : IDisposable
    {
        private readonly RSA _rsa = RSA.Create(2048);

        public string Url => url;

        public RsaSecurityKey Key => new(_rsa) { KeyId = "authority-key-1" };

        /// <summary>Settings of a production deployment whose tokens this authority signs.</summary>
        public Dictionary<string, string?> Settings => new()
        {
            ["Auth:Issuer"] = url,
            ["Auth:Audience"] = "cosell-api",
            ["Auth:Authority"] = url,
            ["AccountMapping:Secret"] = "production-account-mapping-secret-0123456789abcdef",
        };

        /// <summary>An admin's token for the service, signed with this authority's key.</summary>
        public string AdminToken() => RsaToken(url, "cosell-api", Key);

        public void Dispose() => _rsa.Dispose();
    }

    /// <summary>An identity provider that does not answer.</summary>
    private sealed class UnreachableAuthority : HttpMessageHandler
    {
        private int _asked;

        /// <summary>How many times it was asked.</summary>
        public int Asked => Volatile.Read(ref _asked);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            throw new HttpRequestException("Connection refused (login.unreachable.example:443)");
        }
    }

    /// <summary>Runs the service in its own process until it exits (a start it refuses), with what it wrote to each stream.</summary>
    private static async Task<(int ExitCode, string Errors, string Output)> RunUntilExitAsync(string folder, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Database__Path"] = Path.Combine(folder, "cosell.db");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // A service that started instead of refusing: it is not left running after the test.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await errors, await output);
    }

    [Theory]
    [InlineData("notaurl", null, "Invalid url: 'notaurl'")]
    [InlineData("http://127.0.0.1:99999", null, "(Parameter 'port')")]
    [InlineData("https://127.0.0.1:0", "/nonexistent/cosell.pfx", "'/nonexistent/cosell.pfx'")]
    public async Task AStartOnAnAddressOrCertificateKestrelCannotUse_SaysWhat_AndExitsWith1_RatherThanCrashing(string address, string? certificate, string why)
    {
        var folder = Directory.CreateTempSubdirectory("cosell-listen-").FullName;
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        if (certificate is not null)
        {
            environment["Kestrel__Certificates__Default__Path"] = certificate;
        }

        try
        {
            var (exitCode, errors, output) = await RunUntilExitAsync(folder, ["--urls", address], environment);

            exitCode.Should().Be(1, "a refused start, not an abort (134)");
            errors.Should().StartWith("CoSell cannot listen as it is told to: ").And.Contain(why).And.Contain("--urls, ASPNETCORE_URLS, Kestrel:Endpoints or Kestrel:Certificates")
                .And.NotContain("Unhandled exception").And.NotContain("   at ");
            output.Should().NotContain("   at ", "the log has no stack of the bind either");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AStartOnAnAddressInUse_SaysWhere_AndExitsWith1_RatherThanCrashing()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-port-").FullName;
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        try
        {
            var (exitCode, errors, output) = await RunUntilExitAsync(folder, ["--urls", address], new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

            exitCode.Should().Be(1, "a refused start, not an abort (134)");
            errors.Should().Contain($"CoSell cannot listen where it is told to: Failed to bind to address {address}").And.Contain("--urls")
                .And.NotContain("Unhandled exception").And.NotContain("   at ");
            output.Should().NotContain("Now listening").And.NotContain("   at ", "the log has no stack of the bind either");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ARefusedStart_SaysWhatIsMissing_AndExitsWith1_WithoutAStackTrace()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-refused-").FullName;
        try
        {
            var (exitCode, errors, output) = await RunUntilExitAsync(folder, [], new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            });

            exitCode.Should().Be(1);
            errors.Should().Contain("CoSell will not start without token configuration").And.Contain("AccountMapping:Secret", "every missing setting is named at once")
                .And.NotContain("Unhandled exception").And.NotContain("   at ");
            output.Should().NotContain("Now listening");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task OnAHostWithAGermanLocale_ItsMessagesAndNumbersReadAsOnAnyOther()
    {
        await InAFolderOfItsOwn("cosell-german-host-", async folder =>
        {
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" });
            using var client = new HttpClient { BaseAddress = new Uri(await service.ListeningAsync()) };
            var token = (await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "admin" })).Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var tiers = new[] { "registered", "silver", "gold", "platinum" }.Select(tier => new { tier, protectionDays = 90, extensionDays = 30, maximumExtensions = 1, minimumDealValue = 1000, autoApproveCeiling = 50000, reviewSlaHours = 48 });

            var refused = await client.PostAsJsonAsync("/api/v1/rules/versions", new
            {
                currency = "USD", tiers, likelyDuplicateThreshold = 0.9, possibleDuplicateThreshold = 1.5, directLookbackDays = 30, conflictSlaHours = 48, referralAcceptSlaHours = 24,
            });

            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).Should().Contain("must be between 0 and 1 (exclusive). You entered 1.5.", "the service's own language and numbers, not the host's");
        });
    }

    [Fact]
    public async Task ABodyThatStopsArriving_Is408WithItsOwnCode_AndStoresNothing()
    {
        await InAFolderOfItsOwn("cosell-slow-body-", async folder =>
        {
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
            var address = new Uri(await service.ListeningAsync());
            using var client = new HttpClient { BaseAddress = address };
            var token = (await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "admin" })).Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var before = (await client.GetFromJsonAsync<JsonObject>("/api/v1/partners"))!["total"]!.GetValue<int>();

            // A body announced at 100 bytes of which 12 come: Kestrel's minimum data rate ends the wait.
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(address.Host, address.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/v1/partners HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":\"x\"}}"));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));

            answer.Should().StartWith("HTTP/1.1 408").And.Contain("\"code\":\"request_timeout\"").And.Contain("application/problem+json");
            (await client.GetFromJsonAsync<JsonObject>("/api/v1/partners"))!["total"]!.GetValue<int>().Should().Be(before);
        });
    }

    // What the README's backup steps rely on: the file of a service stopped as a service manager stops it is complete alone.
    [Fact]
    public async Task AStoppedService_LeavesTheWholeDatabaseInItsFile()
    {
        await InAFolderOfItsOwn("cosell-stopped-", async folder =>
        {
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
            using var client = new HttpClient { BaseAddress = new Uri(await service.ListeningAsync()) };
            var token = (await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "admin" })).Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.PostAsJsonAsync("/api/v1/partners", new { name = "Written Last", tier = "gold", territories = new[] { "US" } })).StatusCode.Should().Be(HttpStatusCode.Created);

            (await service.StopAsync()).Should().Be(0);

            File.Exists(service.DatabasePath + "-wal").Should().BeFalse("the log is moved into the file as the service stops");
            var copy = Path.Combine(folder, "copy-of-the-file-alone.db");
            File.Copy(service.DatabasePath, copy);
            (await Rows(copy, "SELECT name FROM partners")).Should().Contain("Written Last");
        });
    }

    [Fact]
    public async Task AStoredClaimThatCannotBeRead_StopsTheStartWithExitCode1_NamingItsRegistration()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-unreadable-claim-").FullName;
        var development = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        try
        {
            string broken;
            await using (var seeding = ServiceProcess.Start(folder, development))
            {
                await seeding.ListeningAsync();
            }

            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "cosell.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE registrations SET product_lines = 'not json' WHERE Id = (SELECT Id FROM registrations WHERE Status = 'Approved' LIMIT 1) RETURNING Id";
                broken = (string)(await command.ExecuteScalarAsync())!;
            }

            await using var restarted = ServiceProcess.Start(folder, development);

            (await restarted.ExitedAsync()).Should().Be(1, "a service that cannot know its claims stops (ADR 0010), rather than abort");
            restarted.Output.Should().Contain($"Registration {broken} cannot be read as a claim").And.NotContain("Unhandled exception");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AStartOnAFileThatIsNoDatabase_IsRefusedInOneLine_WithoutTheDataLayersOwnErrorBesideIt()
    {
        await InAFolderOfItsOwn("cosell-not-a-database-", async folder =>
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "cosell.db"), "These are somebody's notes, not a database; the service must leave them be.\n");
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

            (await service.ExitedAsync()).Should().Be(1);

            service.Output.Should().Contain("CoSell cannot use its database (the Database settings): SQLite Error 26: 'file is not a database'.")
                .And.NotContain("An error occurred using the connection", "the refusal says it once, naming the setting");
            (await File.ReadAllTextAsync(Path.Combine(folder, "cosell.db"))).Should().StartWith("These are somebody's notes");
        });
    }

    // Before, another application's SQLite file was switched to WAL and given every CoSell table beside its own.
    [Theory]
    [InlineData("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('important');", "no record of migrations")]
    [InlineData("CREATE TABLE __EFMigrationsHistory (MigrationId TEXT PRIMARY KEY, ProductVersion TEXT); INSERT INTO __EFMigrationsHistory VALUES ('20200101000000_Theirs', '8.0.0'); CREATE TABLE orders (id INTEGER);", "another application's migrations")]
    [InlineData("CREATE TABLE __EFMigrationsHistory (MigrationId TEXT PRIMARY KEY, ProductVersion TEXT); CREATE TABLE orders (id INTEGER);", "no record of migrations")]
    public async Task AStartOnAnotherApplicationsDatabase_IsRefused_AndLeavesTheFileAsItWas(string theirs, string why)
    {
        await InAFolderOfItsOwn("cosell-foreign-database-", async folder =>
        {
            var file = Path.Combine(folder, "cosell.db");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = theirs;
                await command.ExecuteNonQueryAsync();
            }

            var before = await File.ReadAllBytesAsync(file);
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

            (await service.ExitedAsync()).Should().Be(1);
            service.Output.Should().Contain("CoSell cannot use its database (the Database settings): the database file holds tables (")
                .And.Contain(why).And.Contain("it was left as it is").And.NotContain("Unhandled exception");
            (await File.ReadAllBytesAsync(file)).Should().Equal(before, "nothing was written to it, its journal mode included");
            File.Exists(file + "-wal").Should().BeFalse();
        });
    }

    // A first start of an earlier build that ended before its first migration committed left EF Core's own tables alone:
    // that file is CoSell's, and is migrated from the start, its stale migration lock let go.
    [Fact]
    public async Task AStartOnAFileWithOnlyEfCoresOwnTables_MigratesIt()
    {
        await InAFolderOfItsOwn("cosell-half-made-", async folder =>
        {
            var file = Path.Combine(folder, "cosell.db");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                    INSERT INTO "__EFMigrationsLock" VALUES (1, '2026-01-01');
                    CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
                    """;
                await command.ExecuteNonQueryAsync();
            }

            using var app = CoSellApp.In(folder);
            await Api.Expect(await Api.Ready(app.CreateClient()), HttpStatusCode.OK);
        });
    }

    [Fact]
    public async Task LogsConfiguredAsJson_AreWrittenAsJsonOnly()
    {
        await InAFolderOfItsOwn("cosell-json-logs-", async folder =>
        {
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Serilog__WriteTo__0__Name"] = "Console",
                ["Serilog__WriteTo__0__Args__formatter"] = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact",
            });
            await service.ListeningAsync();

            var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lines.Should().NotBeEmpty().And.OnlyContain(line => line.StartsWith('{'), "the configured sink replaces the plain-text console, not doubles it");
        });
    }

    [Fact]
    public async Task LogsConfiguredToAFile_AreWrittenThere()
    {
        await InAFolderOfItsOwn("cosell-file-logs-", async folder =>
        {
            var log = Path.Combine(folder, "cosell.log");
            await using var service = ServiceProcess.Start(folder, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Serilog__WriteTo__0__Name"] = "File",
                ["Serilog__WriteTo__0__Args__path"] = log,
            });

            var listening = false;
            for (var deadline = DateTime.UtcNow.AddSeconds(60); !listening && DateTime.UtcNow < deadline; await Task.Delay(100))
            {
                listening = File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains("Now listening on", StringComparison.Ordinal);
            }

            listening.Should().BeTrue("the file sink, named in the configuration, takes the log");
            service.Output.Should().NotContain("Now listening on", "the configured sink replaces the console");
        });
    }

    [Fact]
    public async Task AnUnexpectedError_Is500_AndItsLogLineCarriesTheTraceIdTheAnswerGives()
    {
        var logs = new LogCapture();
        using var app = new ConfiguredApp("Development", new Dictionary<string, string?>(), services =>
        {
            services.AddSingleton<Serilog.Core.ILogEventSink>(logs);
            services.RemoveAll<CoSell.Application.RulesOfEngagement.IActiveRules>();
            services.AddSingleton<CoSell.Application.RulesOfEngagement.IActiveRules, UnreadableRules>();
        });
        var client = app.CreateClient();
        var token = (await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "partner.northwind" })).Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var draft = await Api.Post(client, "/api/v1/registrations", new
        {
            customer = new { name = "Trace Industries", domain = "trace-industries.com", country = "US" },
            productLines = new[] { "Security" },
            estimatedValue = new { amount = 120000, currency = "USD" },
            expectedCloseDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
        }, HttpStatusCode.Created);

        var failed = await Api.Problem(await client.PostAsync($"/api/v1/registrations/{Api.Id(draft)}/submit", null), HttpStatusCode.InternalServerError, "internal_error");

        var traceId = failed["traceId"]!.GetValue<string>();
        logs.AtOrAbove(LogEventLevel.Error).Should().ContainSingle(line => line.Contains("Unhandled error") && line.Contains("internal_error") && line.Contains(traceId));
    }

    /// <summary>
    /// A partner's client of a service whose connections wait <paramref name="timeoutSeconds"/> for a lock, and a new
    /// registration's body, while another process holds the database's write lock; afterwards nothing was stored, and
    /// a write goes through once the lock is let go.
    /// </summary>
    private static Task WhileAnotherProcessHoldsTheWriteLock(int timeoutSeconds, Func<HttpClient, Func<string, object>, Task> test) =>
        OnADatabaseFileOfItsOwn("cosell-busy-", async database =>
        {
            using var app = new ConfiguredApp("Development", new Dictionary<string, string?> { ["Database:ConnectionString"] = $"Data Source={database};Default Timeout={timeoutSeconds}" });
            var client = app.CreateClient();
            var token = (await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "partner.northwind" })).Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            object Body(string name) => new
            {
                customer = new { name, domain = name.Replace(' ', '-').ToLowerInvariant() + ".com", country = "US" },
                productLines = new[] { "Security" },
                estimatedValue = new { amount = 120000, currency = "USD" },
                expectedCloseDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
            };
            var before = (await Api.Get(client, "/api/v1/registrations"))["total"]!.GetValue<int>();

            await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await other.OpenAsync();
                await using var hold = other.CreateCommand();
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
                await test(client, Body);
                hold.CommandText = "ROLLBACK";
                await hold.ExecuteNonQueryAsync();
            }

            (await Api.Get(client, "/api/v1/registrations"))["total"]!.GetValue<int>().Should().Be(before, "the refused writes stored nothing");
            await Api.Post(client, "/api/v1/registrations", Body("After The Lock"), HttpStatusCode.Created);
        });

    [Fact]
    public Task AWriteWhileAnotherProcessHoldsTheDatabasesWriteLock_Is503ToRetry_AndStoresNothing() =>
        WhileAnotherProcessHoldsTheWriteLock(1, async (client, body) =>
        {
            var busy = await client.PostAsJsonAsync("/api/v1/registrations", body("Busy Signal Corp"));

            await Api.Problem(busy, HttpStatusCode.ServiceUnavailable, "database_busy");
            busy.Headers.RetryAfter.Should().NotBeNull("the caller is told to try again");
        });

    [Fact]
    public Task AWriteQueuedBehindOneWaitingForAnotherProcesssLock_IsAnsweredWithinItsOwnTimeout() =>
        WhileAnotherProcessHoldsTheWriteLock(5, async (client, body) =>
        {
            var first = client.PostAsJsonAsync("/api/v1/registrations", body("First In Line"));
            // The first write's group is waiting for the lock when the second is queued behind it.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var queued = System.Diagnostics.Stopwatch.StartNew();
            var second = await client.PostAsJsonAsync("/api/v1/registrations", body("Second In Line"));
            var waited = queued.Elapsed;

            await Api.Problem(await first, HttpStatusCode.ServiceUnavailable, "database_busy");
            await Api.Problem(second, HttpStatusCode.ServiceUnavailable, "database_busy");
            // Its own 5 s; before, the 4 s left of the first group's wait and then 5 s of its own group's.
            waited.Should().BeLessThan(TimeSpan.FromSeconds(7), "a write waits for the lock no longer than its timeout, whatever is queued ahead of it");
        });

    [Fact]
    public void ADatabasePathThatIsALinkToItself_RefusesTheStart_NamingIt()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-link-loop-").FullName;
        try
        {
            var loop = Path.Combine(folder, "cosell.db");
            File.CreateSymbolicLink(loop, loop);
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = loop;
            using var production = new ConfiguredApp("Production", settings);

            var start = () => production.CreateClient();

            Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("CoSell cannot open its database", StringComparison.Ordinal) && m.Contains(loop, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnUpgradeThatAnEarlierStartLeftHalfWay_IsTakenUp_ThoughItsMigrationLockRemains()
    {
        await OnADatabaseFileOfItsOwn("cosell-stale-migration-lock-", async database =>
        {
            // An older schema, and the lock row EF Core's migrator writes while it migrates, left by a start killed then.
            await using (var db = new CoSell.Infrastructure.Persistence.CoSellDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CoSell.Infrastructure.Persistence.CoSellDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options))
            {
                await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261126200957_ValueObjectsAsComplexProperties");
                await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsLock\" (\"Id\", \"Timestamp\") VALUES (1, '2026-11-27 06:00:50')");
            }

            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            using var production = new ConfiguredApp("Production", settings);

            // Before, the start waited on the dead start's lock for ever: the wait is bounded here so that would fail.
            var ready = await Task.Run(() => Api.Ready(production.CreateClient())).WaitAsync(TimeSpan.FromSeconds(60));

            ready.StatusCode.Should().Be(HttpStatusCode.OK, "the lock row was the dead start's, and one service holds the file");
        });
    }

    private const string BeforePartnerNamesUnique = "20261126200957_ValueObjectsAsComplexProperties";

    /// <summary>A file at an older schema, with two partners of one name, which the next migration renames and then rebuilds the table of.</summary>
    private static async Task<CoSell.Infrastructure.Persistence.CoSellDbContext> OlderFile(string database)
    {
        var db = new CoSell.Infrastructure.Persistence.CoSellDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CoSell.Infrastructure.Persistence.CoSellDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options);
        await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(BeforePartnerNamesUnique);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "partners" ("Id", "ChannelManagerId", "CreatedAt", "Name", "Status", "Tier", "Version", "territories") VALUES
            ('0193A000-0000-7000-8000-000000000001', NULL, 639000000000000000, 'Acme', 'Active', 'Gold', 1, '["US"]'),
            ('0193A000-0000-7000-8000-000000000002', NULL, 639000000010000000, 'ACME', 'Active', 'Silver', 1, '["DE"]')
            """);
        return db;
    }

    private static async Task<List<string>> Rows(string database, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public async Task AnUpgradeAnEarlierBuildLeftBetweenTheStepsOfATableRebuild_IsTakenUp_WithEveryRow()
    {
        await OnADatabaseFileOfItsOwn("cosell-half-rebuilt-", async database =>
        {
            await using (var db = await OlderFile(database))
            {
                // What a start killed mid-rebuild committed when each step of a migration committed on its own: the
                // duplicate renamed, and the copy of the partners table made, but not yet swapped for the table.
                var script = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().GenerateScript(BeforePartnerNamesUnique, "20261126211602_PartnerNamesUnique");
                await db.Database.ExecuteSqlRawAsync(script[..script.IndexOf("PRAGMA foreign_keys = 0;", StringComparison.Ordinal)]);
            }

            (await Rows(database, "SELECT name FROM sqlite_master WHERE name = 'ef_temp_partners'")).Should().ContainSingle("the start left the copy");
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            var logs = new LogCapture();
            using (var production = new ConfiguredApp("Production", settings, services => services.AddSingleton<Serilog.Core.ILogEventSink>(logs)))
            {
                // Before, every start was refused: table "ef_temp_partners" already exists.
                (await Api.Ready(production.CreateClient())).StatusCode.Should().Be(HttpStatusCode.OK);
                logs.AtOrAbove(LogEventLevel.Warning).Should().ContainSingle().Which.Should().Contain("Removed ef_temp_partners, left half-built");
            }

            (await Rows(database, "SELECT name FROM sqlite_master WHERE name LIKE 'ef_temp%'")).Should().BeEmpty();
            (await Rows(database, "SELECT \"Name\" FROM \"partners\" ORDER BY \"CreatedAt\""))
                .Should().Equal("Acme", "ACME (0193a000-0000-7000-8000-000000000002)");
            (await Rows(database, "SELECT \"Summary\" FROM \"audit_log\" WHERE \"Type\" = 'partner.updated'")).Should().ContainSingle("the rename is recorded once");
            (await Rows(database, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1 DESC LIMIT 1")).Should().Equal("20261129153728_ConflictStatementsBesideTheirCase");
        });
    }

    /// <summary>What <c>PRAGMA foreign_keys</c> reads on the writer's connection and on eight pooled connections open at once.</summary>
    private static async Task<List<long>> ForeignKeyChecks(IServiceProvider services)
    {
        var seen = new List<long>();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CoSell.Infrastructure.Persistence.CoSellDbContext>();
            seen.Add(await services.GetRequiredService<CoSell.Infrastructure.Persistence.SqliteWriter>().WriteAsync(db, async ct =>
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
                command.CommandText = "PRAGMA foreign_keys";
                return (long)(await command.ExecuteScalarAsync(ct))!;
            }, CancellationToken.None));
        }

        var scopes = Enumerable.Range(0, 8).Select(_ => services.CreateAsyncScope()).ToList();
        foreach (var scope in scopes)
        {
            var db = scope.ServiceProvider.GetRequiredService<CoSell.Infrastructure.Persistence.CoSellDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA foreign_keys";
            seen.Add((long)(await command.ExecuteScalarAsync())!);
        }

        foreach (var scope in scopes)
        {
            await scope.DisposeAsync();
        }

        return seen;
    }

    [Fact]
    public async Task AfterANewFilesSchema_EveryConnectionChecksForeignKeys()
    {
        using var app = new CoSellApp();
        await Api.Expect(await Api.Ready(app.CreateClient()), HttpStatusCode.OK);

        // Before, the connection the schema was made on went back to the pool with the checks off, and was the writer's.
        (await ForeignKeyChecks(app.Services)).Should().OnlyContain(on => on == 1);
    }

    [Fact]
    public async Task AfterAnUpgrade_EveryConnectionChecksForeignKeys()
    {
        await OnADatabaseFileOfItsOwn("cosell-upgrade-keys-", async database =>
        {
            await (await OlderFile(database)).DisposeAsync();
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            using var production = new ConfiguredApp("Production", settings);
            await Api.Expect(await Api.Ready(production.CreateClient()), HttpStatusCode.OK);

            (await ForeignKeyChecks(production.Services)).Should().OnlyContain(on => on == 1);
        });
    }

    // Before, a file whose users' names differed only in case (taken while names were compared case for case) could not
    // be upgraded: rebuilding the column to compare in any case failed its unique index, and the service would not start.
    [Fact]
    public async Task AnUpgradeOfAFileWhoseUserNamesDifferOnlyInCase_Starts_TheLaterUserRenamedAndTheRenamingAudited()
    {
        await OnADatabaseFileOfItsOwn("cosell-user-names-case-", async database =>
        {
            await using (var db = new CoSell.Infrastructure.Persistence.CoSellDbContext(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<CoSell.Infrastructure.Persistence.CoSellDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options))
            {
                await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261126134734_AuditActorPartner");
                await db.Database.ExecuteSqlRawAsync(
                    """
                    INSERT INTO "users" ("Id", "UserName", "DisplayName", "Role", "PartnerId", "IsActive", "Version") VALUES
                    ('0193A000-0000-7000-8000-0000000000E1', 'bob', 'Bob One', 'rep', NULL, 1, 1),
                    ('0193A000-0000-7000-8000-0000000000E2', 'Bob', 'Bob Two', 'rep', NULL, 1, 1)
                    """);
            }

            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            using var production = new ConfiguredApp("Production", settings);

            (await Api.Ready(production.CreateClient())).StatusCode.Should().Be(HttpStatusCode.OK);
            (await Rows(database, "SELECT \"UserName\" || ' ' || \"Version\" FROM \"users\" WHERE \"DisplayName\" LIKE 'Bob %' ORDER BY \"DisplayName\""))
                .Should().Equal("bob 1", "Bob+0193a000-0000-7000-8000-0000000000e2 2");
            (await Rows(database, "SELECT \"Type\" || ' ' || \"Actor\" || ' ' || \"Summary\" FROM \"audit_log\" WHERE \"AggregateType\" = 'user'"))
                .Should().Equal("user.renamed system User 'Bob' renamed to 'Bob+0193a000-0000-7000-8000-0000000000e2': an earlier user has the same name, and user names are unique in any case.");
        });
    }

    [Fact]
    public async Task AnUpgradeRefusedHalfWay_LeavesTheFileAsItWas_AndTheNextStartUpgradesIt()
    {
        await OnADatabaseFileOfItsOwn("cosell-upgrade-refused-", async database =>
        {
            await using (var db = await OlderFile(database))
            {
                // An index of the name a later migration makes: that migration fails, after four others have run.
                await db.Database.ExecuteSqlRawAsync("CREATE INDEX \"IX_conflicts_AwardedClaimId\" ON \"conflicts\" (\"Id\")");
            }

            var before = await Rows(database, "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master UNION ALL SELECT \"Name\" FROM \"partners\" UNION ALL SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1");
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            using (var refused = new ConfiguredApp("Production", settings))
            {
                var start = () => refused.CreateClient();
                Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains("IX_conflicts_AwardedClaimId", StringComparison.Ordinal));
            }

            // Before, the migrations ahead of the failing one stayed committed: the partners renamed, rebuilt and keyed.
            (await Rows(database, "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master UNION ALL SELECT \"Name\" FROM \"partners\" UNION ALL SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"))
                .Should().Equal(before, "the upgrade is all or nothing");

            await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await db.OpenAsync();
                await using var command = db.CreateCommand();
                command.CommandText = "DROP INDEX \"IX_conflicts_AwardedClaimId\"";
                await command.ExecuteNonQueryAsync();
            }

            using var production = new ConfiguredApp("Production", settings);
            (await Api.Ready(production.CreateClient())).StatusCode.Should().Be(HttpStatusCode.OK);
            (await Rows(database, "SELECT \"Name\" FROM \"partners\" ORDER BY \"CreatedAt\"")).Should().Equal("Acme", "ACME (0193a000-0000-7000-8000-000000000002)");
        });
    }

    [Fact]
    public void AHostLogsThroughItsOwnLogger_WhateverAnotherHostOfTheProcessDoes()
    {
        using var first = new CoSellApp();
        first.CreateClient();
        using (var second = new CoSellApp())
        {
            second.CreateClient();
        }

        var marker = Guid.NewGuid().ToString("N");
        var logger = first.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("CoSell.Tests");
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "Logged by the first host after the second stopped: {Marker}", marker);

        first.Logs.AtOrAbove(LogEventLevel.Warning).Should().Contain(line => line.Contains(marker), "the second host's start and stop leave the first host's log as it was");
    }

    [Fact]
    public async Task ADatabaseFileRemovedUnderTheService_MakesItUnready_FailsItsReadsAndWrites_AndTheLogSaysWhy()
    {
        using var app = new CoSellApp();
        var client = await app.ClientFor("admin");
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
        var before = await Api.Post(client, "/api/v1/partners", new { name = "Before The File Went", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        // Connections the pool holds, with the file open, before it goes.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync($"/api/v1/partners/{Api.Id(before)}")));

        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal", app.DatabasePath + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }

        var unready = await client.GetAsync("/health/ready");
        unready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        unready.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5), "each 503 says when to ask again");
        (await Api.Eventually(() => Task.FromResult(app.Logs.AtOrAbove(LogEventLevel.Warning)), lines => lines.Any(line => line.Contains($"The database file {app.DatabasePath} is missing"))))
            .Should().Contain(line => line.Contains($"The database file {app.DatabasePath} is missing"));
        foreach (var name in new[] { "After The File Went", "After That Again" })
        {
            // Not acknowledged and lost with the removed file, nor written into a new, empty one.
            await Api.Problem(await client.PostAsJsonAsync("/api/v1/partners", new { name, tier = "gold", territories = new[] { "US" } }), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        }

        foreach (var read in new[] { $"/api/v1/partners/{Api.Id(before)}", "/api/v1/partners", "/api/v1/registrations" })
        {
            // Not answered from pooled connections to a file that is gone, as if nothing had happened.
            await Api.Problem(await client.GetAsync(read), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        }

        File.Exists(app.DatabasePath).Should().BeFalse("no connection makes a new database in its place");
    }

    // Before, the writer's connection, still open on the file replaced, acknowledged writes into it, and they were lost.
    [Fact]
    public Task ADatabaseFileReplacedUnderTheService_LosesNoWrite_AndMakesItUnreadyUntilARestart() =>
        ADatabaseFileSwappedUnderTheService(async (folder, app, copy) =>
        {
            File.Delete(app.DatabasePath + "-wal");
            File.Delete(app.DatabasePath + "-shm");
            File.Move(copy, app.DatabasePath, overwrite: true);
            await Task.CompletedTask;
            return app.DatabasePath;
        });

    // Before, SQLite looked again only at the path it resolved when it opened the file, which still led to the old one.
    [Fact]
    public Task ADataFolderLinkPointedElsewhereUnderTheService_LosesNoWrite_AndMakesItUnreadyUntilARestart() =>
        ADatabaseFileSwappedUnderTheService(async (folder, app, copy) =>
        {
            var restored = Path.Combine(folder, "restored");
            Directory.CreateDirectory(restored);
            File.Move(copy, Path.Combine(restored, "cosell.db"));
            using var ln = System.Diagnostics.Process.Start("ln", ["-sfn", restored, Path.Combine(folder, "current")]);
            await ln.WaitForExitAsync();
            ln.ExitCode.Should().Be(0);
            return Path.Combine(restored, "cosell.db");
        });

    // Before, the lock read a link's own ".." from the folder the path named rather than the one the link is really in: it
    // held (and made) another file than SQLite opened, and refused every connection as if the file had been replaced.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADatabaseReachedThroughALinkWithARelativeTarget_InALinkedFolder_IsTheFileSQLiteOpens(bool fileThere)
    {
        var folder = Directory.CreateTempSubdirectory("cosell-linked-").FullName;
        try
        {
            // A release layout: current -> releases/v42, whose cosell.db -> ../../shared/cosell.db.
            var release = Directory.CreateDirectory(Path.Combine(folder, "app", "releases", "v42")).FullName;
            var shared = Directory.CreateDirectory(Path.Combine(folder, "app", "shared")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(folder, "app", "current"), Path.Combine("releases", "v42"));
            File.CreateSymbolicLink(Path.Combine(release, "cosell.db"), Path.Combine("..", "..", "shared", "cosell.db"));
            if (fileThere)
            {
                await File.WriteAllBytesAsync(Path.Combine(shared, "cosell.db"), []);
            }

            using (var app = CoSellApp.In(Path.Combine(folder, "app", "current")))
            {
                var client = await app.ClientFor("admin");
                await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
                await Api.Post(client, "/api/v1/partners", new { name = "Through The Links", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
                File.Exists(Path.Combine(shared, "cosell.db.lock")).Should().BeTrue("the lock is beside the file the links lead to");
            }

            (await Rows(Path.Combine(shared, "cosell.db"), "SELECT name FROM partners")).Should().Contain("Through The Links");
            File.Exists(Path.Combine(folder, "shared", "cosell.db")).Should().BeFalse("no file is made where the links do not lead");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    // Before, "current/.." was folded as text, to the folder current is in, while the kernel and SQLite read it as the folder
    // above the one current links to: the lock held another file than SQLite opened, and every connection was refused.
    [Fact]
    public async Task ADatabasePathGoingUpFromALinkedFolder_IsReadAsTheKernelReadsIt()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-upward-").FullName;
        try
        {
            // current -> releases/v42, so current/../shared is releases/shared; app/shared is a decoy.
            Directory.CreateDirectory(Path.Combine(folder, "app", "releases", "v42"));
            var shared = Directory.CreateDirectory(Path.Combine(folder, "app", "releases", "shared")).FullName;
            var decoy = Directory.CreateDirectory(Path.Combine(folder, "app", "shared")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(folder, "app", "current"), Path.Combine("releases", "v42"));

            using (var app = CoSellApp.In(Path.Combine(folder, "app", "current", "..", "shared")))
            {
                var client = await app.ClientFor("admin");
                await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
                await Api.Post(client, "/api/v1/partners", new { name = "Up From The Link", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
                File.Exists(Path.Combine(shared, "cosell.db.lock")).Should().BeTrue("the lock is beside the file SQLite opens");
            }

            (await Rows(Path.Combine(shared, "cosell.db"), "SELECT name FROM partners")).Should().Contain("Up From The Link");
            Directory.EnumerateFileSystemEntries(decoy).Should().BeEmpty("nothing is made where the path, folded as text, would lead");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    // Before, with no connection open on the old file, the probe and every request opened the file moved into its place,
    // and the service answered from it, ready, with a claims index built from the file it replaced.
    [Fact]
    public async Task ADatabaseFileReplacedUnderAnIdleService_MakesItUnready_AndNothingIsReadFromOrWrittenToTheNewFile()
    {
        using var app = new CoSellApp();
        var client = await app.ClientFor("admin");
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
        var before = await Api.Post(client, "/api/v1/partners", new { name = "Before The Restore", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        var copy = await CopyOf(app.DatabasePath, Path.Combine(Path.GetDirectoryName(app.DatabasePath)!, "copy.db"));
        await using (var restored = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            // The copy tells itself apart: a partner the service never wrote.
            await restored.OpenAsync();
            await using var rename = restored.CreateCommand();
            rename.CommandText = "UPDATE partners SET name = 'Only In The Copy' WHERE name = 'Before The Restore'";
            await rename.ExecuteNonQueryAsync();
        }

        // The pool lets idle connections go: none is left open on the file the service started on.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(app.DatabasePath + "-wal");
        File.Delete(app.DatabasePath + "-shm");
        File.Move(copy, app.DatabasePath, overwrite: true);

        var unready = await client.GetAsync("/health/ready");
        unready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the probe finds another file than the one the service started on");
        await Api.Problem(await client.GetAsync($"/api/v1/partners/{Api.Id(before)}"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        await Api.Problem(await client.GetAsync("/api/v1/partners"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        await Api.Problem(await client.PostAsJsonAsync("/api/v1/partners", new { name = "After The Restore", tier = "gold", territories = new[] { "US" } }), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        (await Rows(app.DatabasePath, "SELECT name FROM partners")).Should().Contain("Only In The Copy").And.NotContain("After The Restore");
        app.Logs.AtOrAbove(LogEventLevel.Fatal).Should().ContainSingle().Which.Should().Contain($"The database file {app.DatabasePath} was replaced under the service");
        // Before, EF Core logged each failed read again, a stack trace with no traceId, beside the service's own line.
        app.Logs.AtOrAbove(LogEventLevel.Error).Where(line => line.Contains("storage_unavailable", StringComparison.Ordinal)).Should().HaveCount(3, "each refusal is logged once, with its request");
        app.Logs.AtOrAbove(LogEventLevel.Error).Should().NotContain(line => line.Contains("iterating over the results of a query", StringComparison.Ordinal));
    }

    // Before, the replaced file's log stayed at the path (SQLite does not move a moved file's log into it as its connections
    // close), and the restart the service asks for read it into the file restored: writes the backup did not hold came back.
    [Fact]
    public async Task ABackupMovedOverTheFileOfARunningService_IsWhatTheRestartServes_TheReplacedFilesLogSetAside()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-restored-").FullName;
        try
        {
            string id;
            using (var app = CoSellApp.In(folder))
            {
                var client = await app.ClientFor("admin");
                await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
                id = Api.Id(await Api.Post(client, "/api/v1/partners", new { name = "In The Backup", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created));
                var backup = await CopyOf(app.DatabasePath, Path.Combine(folder, "backup.db"));
                foreach (var name in new[] { "After The Backup", "And After That" })
                {
                    await Api.Post(client, "/api/v1/partners", new { name, tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
                }

                // Restored the wrong way: moved over the file of the running service, its log and shared memory left beside it.
                File.Exists(app.DatabasePath + "-wal").Should().BeTrue();
                File.Move(backup, app.DatabasePath, overwrite: true);
                await Api.Problem(await client.GetAsync($"/api/v1/partners/{id}"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
                (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
                app.Logs.AtOrAbove(LogEventLevel.Fatal).Should().ContainSingle().Which.Should().Contain("cosell.db-wal was set aside as cosell.db-wal.replaced-");
                app.Stop();
            }

            Directory.GetFiles(folder, "cosell.db-wal.replaced-*").Should().ContainSingle("the replaced file's last writes are kept, beside the path");
            using var restarted = CoSellApp.In(folder);
            var admin = await restarted.ClientFor("admin");
            await Api.Expect(await Api.Ready(admin), HttpStatusCode.OK);
            var names = (await Api.Get(admin, "/api/v1/partners?pageSize=100"))["items"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
            names.Should().Contain("In The Backup").And.NotContain(["After The Backup", "And After That"], "the restart serves the backup restored, as it was");
            restarted.Stop();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A consistent copy of a running service's database, made through SQLite as the README's backup says.</summary>
    private static async Task<string> CopyOf(string database, string copy)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var vacuum = connection.CreateCommand();
        vacuum.CommandText = $"VACUUM INTO '{copy}'";
        await vacuum.ExecuteNonQueryAsync();
        return copy;
    }

    /// <summary>
    /// A service on <c>current/cosell.db</c>, <c>current</c> a link to a folder, with connections open and a write made;
    /// then a copy of its file put where the path leads (by <paramref name="swap"/>, which says where that file now is),
    /// as a backup restored under the running service would be. Every read and write after is refused, on the connections
    /// open on the old file and on new ones on the file now at the path, so no write acknowledged is lost, until a restart.
    /// </summary>
    private static async Task ADatabaseFileSwappedUnderTheService(Func<string, CoSellApp, string, Task<string>> swap)
    {
        var folder = Directory.CreateTempSubdirectory("cosell-swapped-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "first"));
            Directory.CreateSymbolicLink(Path.Combine(folder, "current"), Path.Combine(folder, "first"));
            using var app = CoSellApp.In(Path.Combine(folder, "current"));
            var client = await app.ClientFor("admin");
            await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
            var before = await Api.Post(client, "/api/v1/partners", new { name = "Before The Swap", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync($"/api/v1/partners/{Api.Id(before)}")));
            var copy = await CopyOf(app.DatabasePath, Path.Combine(folder, "copy.db"));
            var now = await swap(folder, app, copy);

            foreach (var name in new[] { "After The Swap", "After That", "And Again" })
            {
                // The first meets the writer's connection on the old file, the next ones new connections on the new file.
                await Api.Problem(await client.PostAsJsonAsync("/api/v1/partners", new { name, tier = "gold", territories = new[] { "US" } }), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
            }

            await Api.Problem(await client.GetAsync($"/api/v1/partners/{Api.Id(before)}"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
            (await Rows(now, "SELECT name FROM partners")).Should().Contain("Before The Swap")
                .And.NotContain(["After The Swap", "After That", "And Again"], "no write is lost in the old file, nor made in a file the claims index was not built from");
            (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the claims index was built from the old file");
            app.Logs.AtOrAbove(LogEventLevel.Fatal).Should().ContainSingle().Which.Should().Contain($"The database file {app.DatabasePath} was replaced under the service");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Every page into the file itself, then the root page of a table or index overwritten, as a failing disk or a stray
    /// write would leave it. Pooled connections forget the pages they held.
    /// </summary>
    private static async Task Damage(string database, string tableOrIndex)
    {
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "SELECT (SELECT rootpage FROM sqlite_master WHERE name = $name) * 100000 + (SELECT page_size FROM pragma_page_size())";
            command.Parameters.AddWithValue("$name", tableOrIndex);
            var found = (long)(await command.ExecuteScalarAsync())!;
            var (root, size) = (found / 100000, found % 100000);
            await using var file = new FileStream(database, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            file.Position = (root - 1) * size;
            await file.WriteAsync(Enumerable.Repeat((byte)0xA5, (int)size).ToArray());
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ADatabaseFileDamagedUnderTheService_Answers503_AndMakesItUnready()
    {
        using var app = new CoSellApp();
        var client = await app.ClientFor("admin");
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
        await Api.Post(client, "/api/v1/partners", new { name = "Before The Damage", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);

        await Damage(app.DatabasePath, "partners");

        // Before, a 500 internal_error, and ready answered healthy: the probe's read touches other pages.
        var read = await Api.Problem(await client.GetAsync("/api/v1/partners"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        read["detail"]!.GetValue<string>().Should().Contain("damaged");
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await Api.Eventually(() => Task.FromResult(app.Logs.AtOrAbove(LogEventLevel.Warning)), lines => lines.Any(line => line.Contains("The database file is damaged: SQLite Error 11"))))
            .Should().Contain(line => line.Contains("The database file is damaged: SQLite Error 11"), "the failing probe says why");
        await Api.Problem(await client.GetAsync("/api/v1/partners"), HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        app.Logs.AtOrAbove(LogEventLevel.Fatal).Should().ContainSingle().Which.Should().Contain("The database file is damaged (");

        // A registration list reads no partner page: it is answered, while ready says the file cannot be trusted.
        await Api.Expect(await client.GetAsync("/api/v1/registrations"), HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task ADatabaseFileAJobFindsDamaged_MakesTheServiceUnready()
    {
        using var app = new CoSellApp();
        var client = app.CreateClient();
        await Api.Expect(await Api.Ready(client), HttpStatusCode.OK);
        // The expiry job reads the approved registrations through this index, which nothing else at rest reads.
        await Damage(app.DatabasePath, "IX_registrations_Status_ProtectionEndsAt");

        var job = app.Services.GetRequiredService<CoSell.Infrastructure.Registrations.RegistrationExpiryService>();
        var run = () => job.RunOnceAsync(CancellationToken.None);

        (await run.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("SQLite Error 11");
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a job's sight of the damage counts as a request's");
        app.Logs.AtOrAbove(LogEventLevel.Fatal).Should().ContainSingle().Which.Should().Contain("The database file is damaged (");
    }

    /// <summary>A second service started on a link <paramref name="link"/> makes to the first's database file is refused, saying so; the first goes on.</summary>
    private static async Task ASecondServiceThroughALink(Func<string, string, Task> link, Func<string, string, string> refusal)
    {
        var first = new CoSellApp();
        var elsewhere = Directory.CreateTempSubdirectory("cosell-linked-").FullName;
        try
        {
            await Api.Expect(await Api.Ready(first.CreateClient()), HttpStatusCode.OK);
            var linked = Path.Combine(elsewhere, "other-name.db");
            await link(first.DatabasePath, linked);
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = linked;
            using var second = new ConfiguredApp("Production", settings);
            var start = () => second.CreateClient();

            Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains(refusal(first.DatabasePath, linked), StringComparison.Ordinal));
            (await Api.Get(await first.ClientFor("admin"), "/api/v1/partners")).Should().NotBeNull("the first goes on");
        }
        finally
        {
            first.Dispose();
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public Task ASecondServiceOnALinkToTheFirstsDatabaseFile_IsRefused() =>
        ASecondServiceThroughALink(
            (file, link) =>
            {
                File.CreateSymbolicLink(link, file);
                return Task.CompletedTask;
            },
            (file, _) => $"Another CoSell service is running on {file}");

    // Before, it started, wrote to a log of its own beside the link, and what it stored was lost.
    [Fact]
    public Task ASecondServiceOnAHardLinkToTheFirstsDatabaseFile_IsRefused() =>
        ASecondServiceThroughALink(
            async (file, link) =>
            {
                using var ln = System.Diagnostics.Process.Start("ln", [file, link]);
                await ln.WaitForExitAsync();
                ln.ExitCode.Should().Be(0);
            },
            (_, link) => $"Another CoSell service is running on {link}: it holds the file");

    [Fact]
    public async Task AProgramReadingTheDatabaseFile_DoesNotKeepAServiceFromStarting()
    {
        await OnADatabaseFileOfItsOwn("cosell-read-meanwhile-", async database =>
        {
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = database;
            using (var first = new ConfiguredApp("Production", settings))
            {
                await Api.Expect(await Api.Ready(first.CreateClient()), HttpStatusCode.OK);
            }

            CoSellApp.AwaitFileReleased(database);
            // A copy or a reader written in .NET holds the file open (and, on Unix, a shared flock of it).
            await using var reader = new FileStream(database, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var second = new ConfiguredApp("Production", settings);

            await Api.Expect(await Api.Ready(second.CreateClient()), HttpStatusCode.OK);
        });
    }

    [Fact]
    public async Task ASecondServiceOnTheSameFile_IsRefused_ThoughTheLockFileWasDeleted()
    {
        var first = new CoSellApp();
        try
        {
            await Api.Expect(await Api.Ready(first.CreateClient()), HttpStatusCode.OK);
            File.Delete(first.DatabasePath + ".lock");
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = first.DatabasePath;

            using (var second = new ConfiguredApp("Production", settings))
            {
                var start = () => second.CreateClient();
                Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains($"Another CoSell service is running on {first.DatabasePath}: it holds the file", StringComparison.Ordinal));
            }

            (await Api.Get(await first.ClientFor("admin"), "/api/v1/partners")).Should().NotBeNull("the first goes on");
        }
        finally
        {
            first.Dispose();
        }
    }

    [Fact]
    public async Task ASecondServiceOnTheSameDatabaseFile_IsRefused_UntilTheFirstStops()
    {
        var first = new CoSellApp();
        try
        {
            await Api.Expect(await Api.Ready(first.CreateClient()), HttpStatusCode.OK);
            var settings = ConfiguredApp.ProductionAuth(ProductionKey);
            settings["Database:Path"] = first.DatabasePath;

            using (var second = new ConfiguredApp("Production", settings))
            {
                var start = () => second.CreateClient();
                Messages(start.Should().Throw<Exception>().Which).Should().Contain(m => m.Contains($"Another CoSell service is running on {first.DatabasePath}", StringComparison.Ordinal));
            }

            first.Stop();
            using var after = new ConfiguredApp("Production", settings);
            await Api.Expect(await Api.Ready(after.CreateClient()), HttpStatusCode.OK);
            (await Rows(first.DatabasePath, "SELECT name FROM partners")).Should().NotBeEmpty("the second runs on the first's file (with its demo partners), not on a new one");
        }
        finally
        {
            first.Dispose();
            if (Directory.Exists(Path.GetDirectoryName(first.DatabasePath)))
            {
                Directory.Delete(Path.GetDirectoryName(first.DatabasePath)!, recursive: true);
            }
        }
    }

    [Fact]
    public async Task AStartThatFailsOnItsDatabase_LeavesTheFileFreeForTheNextStart()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-not-a-database-").FullName;
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        settings["Database:Path"] = Path.Combine(folder, "cosell.db");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "cosell.db"), "this text is no SQLite database, and no SQLite database is this long a header");
            using (var broken = new ConfiguredApp("Production", settings))
            {
                var start = () => broken.CreateClient();
                Messages(start.Should().Throw<Exception>().Which).Should().NotContain(m => m.Contains("Another CoSell service", StringComparison.Ordinal));
            }

            File.Delete(Path.Combine(folder, "cosell.db"));
            using var repaired = new ConfiguredApp("Production", settings);
            await Api.Expect(await Api.Ready(repaired.CreateClient()), HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ADatabasePathInAFolderThatDoesNotExistYet_IsCreated()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cosell-new-{Guid.NewGuid():N}", "data");
        var settings = ConfiguredApp.ProductionAuth(ProductionKey);
        settings["Database:Path"] = Path.Combine(folder, "cosell.db");
        try
        {
            using (var production = new ConfiguredApp("Production", settings))
            {
                await Api.Expect(await Api.Ready(production.CreateClient()), HttpStatusCode.OK);
            }

            File.Exists(Path.Combine(folder, "cosell.db")).Should().BeTrue();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public async Task Production_HasNoDevelopmentSignIn()
    {
        using var production = new ConfiguredApp("Production", ConfiguredApp.ProductionAuth(ProductionKey));
        var client = production.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "admin" });

        await Api.Problem(response, HttpStatusCode.NotFound, "not_found");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("accessToken");
    }

    [Fact]
    public async Task Production_SeedsNoDemoProgramme()
    {
        using var production = new ConfiguredApp("Production", ConfiguredApp.ProductionAuth(ProductionKey));
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("https://login.cosell.example", "cosell-api", ProductionKey));

        var partners = await Api.Get(client, "/api/v1/partners");

        partners["total"]!.GetValue<int>().Should().Be(0);
    }

    /// <summary>Runs a test in a temporary folder of its own, removed afterwards.</summary>
    /// <summary>Runs the test with the path of a database file in a folder of its own, which goes afterwards.</summary>
    private static Task OnADatabaseFileOfItsOwn(string prefix, Func<string, Task> test) =>
        InAFolderOfItsOwn(prefix, folder => test(Path.Combine(folder, "cosell.db")));

    private static async Task InAFolderOfItsOwn(string prefix, Func<string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            await test(folder);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<string> Messages(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception.Message;
        }
    }

    private static string RsaToken(string issuer, string audience, RsaSecurityKey key)
    {
        var claims = new[] { new Claim("sub", Guid.NewGuid().ToString()), new Claim("role", "admin") };
        var token = new JwtSecurityToken(issuer, audience, claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>An OpenID provider's discovery document and signing keys, without a network.</summary>
    private sealed class OidcAuthorityStub(string authority, RsaSecurityKey key) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            var url = request.RequestUri!.ToString();
            object? body = url == $"{authority}/.well-known/openid-configuration"
                ? new Dictionary<string, object> { ["issuer"] = authority, ["jwks_uri"] = $"{authority}/keys", ["id_token_signing_alg_values_supported"] = new[] { "RS256" } }
                : url == $"{authority}/keys"
                    ? new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } } }
                    : null;
            return Task.FromResult(body is null ? new HttpResponseMessage(HttpStatusCode.NotFound) : new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body) });
        }
    }

    /// <summary>An admin's token signed by the identity provider a production deployment trusts.</summary>
    private static string Token(string issuer, string audience, string key)
    {
        var claims = new[] { new Claim("sub", Guid.NewGuid().ToString()), new Claim("role", "admin"), new Claim("name", "ops") };
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(issuer, audience, claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private sealed class UnreadableRules : CoSell.Application.RulesOfEngagement.IActiveRules
    {
        public Task<CoSell.Domain.Rules.RulesOfEngagement> GetAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("The rules cannot be read.");

        public void Invalidate()
        {
        }
    }
}
