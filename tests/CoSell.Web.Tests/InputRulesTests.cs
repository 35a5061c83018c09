using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Identity;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>
/// What the service says about the figures and text it is given, and the same rule for the same input on every route:
/// figures in words are the ones the rules apply, and a query, a text or a key is judged alike wherever it goes.
/// </summary>
public sealed class InputRulesTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public InputRulesTests(CoSellApp app) => _app = app;

    private static object Tier(string tier, decimal minimum, decimal ceiling) => new
    {
        tier,
        protectionDays = 120,
        extensionDays = 30,
        maximumExtensions = 2,
        minimumDealValue = minimum,
        autoApproveCeiling = ceiling,
        reviewSlaHours = 48,
    };

    private static JsonObject RulesVersion(decimal goldMinimum = 1_000m, decimal goldCeiling = 50_000m, double likely = 0.85, double possible = 0.6) =>
        JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new
        {
            currency = "USD",
            tiers = new[]
            {
                Tier("registered", 1_000m, 0m), Tier("silver", 1_000m, 25_000m), Tier("gold", goldMinimum, goldCeiling), Tier("platinum", 1_000m, 100_000m),
            },
            likelyDuplicateThreshold = likely,
            possibleDuplicateThreshold = possible,
            directLookbackDays = 60,
            conflictSlaHours = 72,
            referralAcceptSlaHours = 48,
        }, Api.Json))!.AsObject();

    [Fact]
    public async Task MoneyAndThresholdsInWords_AreTheFiguresTheRulesApply_NotRounded()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        await Api.Post(admin, "/api/v1/rules/versions", RulesVersion(goldMinimum: 999.5m, goldCeiling: 50_000.5m, likely: 0.855), HttpStatusCode.Created);
        var partner = await app.ClientFor("partner.northwind");

        var explanation = (await Api.Get(partner, "/api/v1/rules"))["explanation"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        explanation.Should().Contain(l => l.StartsWith("Gold", StringComparison.Ordinal) && l.Contains("deals start at 999.50 USD") && l.Contains("deals under 50,000.50 USD"));
        explanation.Should().Contain(l => l.StartsWith("Registered", StringComparison.Ordinal) && l.Contains("deals start at 1,000 USD"), "a whole amount needs no cents");
        explanation.Should().Contain(l => l.Contains("a score of 0.855 or more") && l.Contains("from 0.6 it is flagged"));

        var tooSmall = await Api.Create(partner, Api.NewRegistration(app, "Small Change Inc", "small-change.com", amount: 999.25m));
        var refused = await Api.Problem(await partner.PostAsync($"/api/v1/registrations/{Api.Id(tooSmall)}/submit", null), HttpStatusCode.Conflict, "registration.below_minimum_value");
        refused["detail"]!.GetValue<string>().Should().Contain("from 999.50 USD");

        var justOver = await Api.Create(partner, Api.NewRegistration(app, "Just Over Inc", "just-over.com", amount: 50_000.75m));
        await Api.Post(partner, $"/api/v1/registrations/{Api.Id(justOver)}/submit");
        var timeline = await Api.Get(partner, $"/api/v1/registrations/{Api.Id(justOver)}/timeline");
        timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>())
            .Should().Contain(s => s.Contains("not under the Gold auto-approve ceiling of 50,000.50 USD"));
    }

    // Before, the threshold was read as a double, which rounded these to 0.8555 and 0.85 and published them.
    [Theory]
    [InlineData("0.85549999999999999999")]
    [InlineData("0.85000000000000000001")]
    public async Task ADuplicateThresholdFinerThanAScoreAsWritten_IsRefused_NotRoundedToOne(string written)
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var before = await Api.Get(admin, "/api/v1/rules");
        var body = RulesVersion();
        body["likelyDuplicateThreshold"] = JsonNode.Parse(written);

        var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", body), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["likelyDuplicateThreshold"]!.AsArray().Select(m => m!.GetValue<string>())
            .Should().Equal("A threshold is a score, given to at most four decimals as scores are (0.8555).");
        (await Api.Get(admin, "/api/v1/rules"))["version"]!.GetValue<int>().Should().Be(before["version"]!.GetValue<int>(), "nothing was published");
    }

    [Fact]
    public async Task AChannelManagerWhoseIdIsNoGuid_ReadsNoOtherManagersReviewQueue()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var waiting = await Api.Create(partner, Api.NewRegistration(_app, "Queue Wall Inc", "queue-wall.com"));
        await Api.Post(partner, $"/api/v1/registrations/{Api.Id(waiting)}/submit");
        var manager = await _app.ClientFor("manager");
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>())
            .Should().Contain(Api.Id(waiting), "Northwind's channel manager has it in its queue");

        var stranger = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Vendor("cm-not-a-guid", "channel_manager")));
        var queue = await Api.Get(stranger, "/api/v1/reviews?pageSize=100");

        queue["items"]!.AsArray().Should().BeEmpty("nothing is routed to it, and every demo partner has its channel manager");
        queue["total"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task AnArbiterWhoseIdIsNoGuid_HasAnEmptyQueueOfItsOwn()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Arbiter Wall Corporation", "arbiter-wall.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(first)}/submit");
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Arbiter Wall Corporation", "arbiter-wall.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(rival)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        var stranger = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Vendor("arbiter-not-a-guid", "arbiter")));

        (await Api.Get(stranger, "/api/v1/conflicts?status=open"))["items"]!.AsArray().Should().BeEmpty("no case is assigned to it");
        (await Api.Get(stranger, "/api/v1/conflicts?status=open&all=true"))["items"]!.AsArray().Should().NotBeEmpty("all=true still reads every case");
    }

    [Theory]
    [InlineData("000000000")]
    [InlineData("000-000-000")]
    [InlineData("999999999")]
    public async Task APlaceholderDuns_Is400NamingTheField_OnARegistrationAndADuplicateCheck(string duns)
    {
        var partner = await _app.ClientFor("partner.northwind");

        var registration = await Api.Problem(
            await partner.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "Placeholder Dairy", "placeholder-dairy.com", duns: duns)),
            HttpStatusCode.BadRequest, "validation_failed");
        var check = await Api.Problem(
            await partner.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name = "Placeholder Dairy", country = "US", duns } }),
            HttpStatusCode.BadRequest, "validation_failed");

        foreach (var problem in new[] { registration, check })
        {
            var errors = problem["errors"]!.AsObject();
            errors.Select(e => e.Key).Should().Equal("customer.duns");
            errors["customer.duns"]![0]!.GetValue<string>().Should().Contain("placeholder");
        }
    }

    [Theory]
    [InlineData("ideographic-stop.com\u3002")]
    [InlineData("ideographic-stop\u3002com\u3002")]
    [InlineData("ideographic-stop.com\uFF0E")]
    public async Task ADomainEndingInAnIdeographicFullStop_IsTheDomainItNames_AsOneEndingInADotIs(string domain)
    {
        var partner = await _app.ClientFor("partner.northwind");

        var registration = await Api.Create(partner, Api.NewRegistration(_app, "Ideographic Stop Trading", domain));
        var check = await Api.Post(partner, "/api/v1/duplicate-checks", new { customer = new { name = "Ideographic Stop Trading", domain, country = "US" } });

        registration["customer"]!["domain"]!.GetValue<string>().Should().Be("ideographic-stop.com");
        registration["customer"]!["registrableDomain"]!.GetValue<string>().Should().Be("ideographic-stop.com");
        check["verdict"]!.GetValue<string>().Should().Be("clear", "a partner's own drafts do not count against it");
    }

    [Fact]
    public async Task ACompanyWhoseRegisteredDomainIsWww_KeepsItsDomain()
    {
        var partner = await _app.ClientFor("partner.northwind");

        var registration = await Api.Create(partner, Api.NewRegistration(_app, "World Wide Web Trading", "https://www.com/about"));

        registration["customer"]!["domain"]!.GetValue<string>().Should().Be("www.com");
        registration["customer"]!["registrableDomain"]!.GetValue<string>().Should().Be("www.com");
    }

    [Fact]
    public async Task ARulesVersion_WithoutItsCurrency_Is400SayingSo_AndTheApiDescriptionRequiresIt()
    {
        var admin = await _app.ClientFor("admin");
        var document = await Api.Get(_app.CreateClient(), "/openapi/v1.json");
        document["components"]!["schemas"]!["PublishRulesVersion"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain("currency");

        foreach (var currency in new JsonNode?[] { null, JsonValue.Create("") })
        {
            var body = RulesVersion();
            body.Remove("currency");
            if (currency is not null)
            {
                body["currency"] = currency;
            }

            var problem = await Api.Problem(await Api.Send(admin, HttpMethod.Post, "/api/v1/rules/versions", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!["currency"]![0]!.GetValue<string>().Should().Be("Give the currency the tier thresholds are written in, as an ISO 4217 code such as USD.");
        }
    }

    [Theory]
    [InlineData("/api/v1/registrations?pageSize=2147483648")]
    [InlineData("/api/v1/registrations?pageSize=99999999999")]
    [InlineData("/api/v1/reviews?pageSize=99999999999999999999999999999&page=1")]
    [InlineData("/api/v1/partners?PAGESIZE=99999999999")]
    public async Task APageSizeNoIntHolds_IsServedAs100_AsAnyLargerOneIs(string path)
    {
        var admin = await _app.ClientFor("admin");

        var page = await Api.Get(admin, path);

        page["pageSize"]!.GetValue<int>().Should().Be(100);
        page["page"]!.GetValue<int>().Should().Be(1);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("99999999999")]
    public async Task APageNumberNoIntHolds_Is400SayingHowFarPagesGo(string page)
    {
        var admin = await _app.ClientFor("admin");

        var problem = await Api.Problem(await admin.GetAsync($"/api/v1/registrations?page={page}"), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["page"]![0]!.GetValue<string>().Should().Be("page is a whole number from 1 to 2147483647; a page past the last one is empty.");
    }

    [Theory]
    [InlineData("admin", "/api/v1/registrations?status=Approved&status=Draft", "status")]
    [InlineData("admin", "/api/v1/registrations?STATUS=Approved&status=Draft", "status")]
    [InlineData("admin", "/api/v1/conflicts?status=open&status=decided", "status")]
    [InlineData("rep", "/api/v1/opportunities?stage=Qualify&stage=Develop", "stage")]
    [InlineData("admin", "/api/v1/referrals?direction=vendorToPartner&direction=partnerToVendor", "direction")]
    [InlineData("admin", "/api/v1/account-lists/customers?owner=a&owner=b", "owner")]
    [InlineData("admin", "/api/v1/registrations?page=1&page=2", "page")]
    public Task AQueryParameterGivenTwice_Is400GiveItOnce(string user, string path, string name) => QueryRefused(user, path, name, $"Give {name} once.");

    [Theory]
    [InlineData("admin", "/api/v1/registrations?page=1%00", "page")]
    [InlineData("admin", "/api/v1/registrations?pageSize=5%00%00%00", "pageSize")]
    [InlineData("admin", "/api/v1/users?isActive=true%00", "isActive")]
    [InlineData("admin", "/api/v1/conflicts?overdue=false%00", "overdue")]
    [InlineData("admin", "/api/v1/conflicts/measures?from=2026-01-01T00:00:00Z%00", "from")]
    [InlineData("admin", "/api/v1/registrations?status=Draft%0A", "status")]
    public Task AQueryValueWithAControlCharacter_Is400_EvenWhereParsingWouldOverlookIt(string user, string path, string name) =>
        QueryRefused(user, path, name, $"{name} holds a control character.");

    private async Task QueryRefused(string user, string path, string name, string message)
    {
        var client = await _app.ClientFor(user);

        var problem = await Api.Problem(await client.GetAsync(path), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]![name]![0]!.GetValue<string>().Should().Be(message);
    }

    [Fact]
    public async Task AQueryParameterNamedAsTheRoutesOwnId_IsNotReadAndNotJudged()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Route Value Ltd", "route-value.com"));

        await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}?id=1&id=2");
    }

    [Theory]
    [InlineData("Call back \u202Eon Monday", false)]
    [InlineData("Call back \u2067\u0627\u0644\u0627\u062B\u0646\u064A\u0646", false)]
    [InlineData("Call back \u202Eon Monday\u202C", true)]
    [InlineData("\u2067\u0627\u0644\u0627\u062B\u0646\u064A\u0646\u2069 on Monday", true)]
    [InlineData("\u2067\u202Bnested\u2069 closed by the isolate", true)]
    [InlineData("Open \u202E\nacross a line\u202C", false)]
    [InlineData("A stray close \u202C of nothing", false)]
    [InlineData("A stray isolate close \u2069", false)]
    [InlineData("\u2067an embedding close \u202C inside an isolate\u2069", false)]
    [InlineData("\u0627\u0644\u0627\u062B\u0646\u064A\u0646 without any control", true)]
    public async Task FreeTextThatLeavesADirectionControlOpen_Is400_AndTextThatClosesItsOwn_IsKept(string body, bool kept)
    {
        // Before, an override left open in a note reordered whatever a screen or a push put after it on the line.
        var rep = await _app.ClientFor("rep");
        var opportunity = await CoSelling.OpenDirect(rep, _app, "Direction Notes Ltd", "direction-notes.com");

        var response = await rep.PostAsJsonAsync($"/api/v1/opportunities/{Api.Id(opportunity)}/notes", new { visibility = "shared", body });

        if (kept)
        {
            await Api.Expect(response, HttpStatusCode.Created);
            (await Api.Body(response))["body"]!.GetValue<string>().Should().Be(body);
        }
        else
        {
            (await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["body"]!.AsArray().Should().ContainSingle();
        }
    }

    [Theory]
    [InlineData("\u202EytiruceS")]
    [InlineData("\u2066Security")]
    [InlineData("Secu\u2028rity")]
    [InlineData("Secu\u2029rity")]
    [InlineData("Secu\u0085rity")]
    public async Task AProductLineWithADirectionControlOrALineBreak_Is400_OnEveryRouteThatTakesOne(string line)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var registration = Api.RawRegistration(_app, "Label Rules Inc", "label-rules.com");
        registration["productLines"] = new JsonArray(line);
        var referral = new
        {
            customer = new { name = "Label Rules Inc", domain = "label-rules.com", country = "US" },
            contact = new { name = "Lee Lead", email = "lee@label-rules.com" },
            productLines = new[] { line },
        };
        var check = new { customer = new { name = "Label Rules Inc", country = "US" }, productLines = new[] { line } };

        foreach (var (path, body) in new (string, string)[]
        {
            ("/api/v1/registrations", registration.ToJsonString()),
            ("/api/v1/referrals", System.Text.Json.JsonSerializer.Serialize(referral, Api.Json)),
            ("/api/v1/duplicate-checks", System.Text.Json.JsonSerializer.Serialize(check, Api.Json)),
        })
        {
            var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, path, body), HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal(["productLines"], $"{path} judges a label as every route does");
        }
    }

    /// <summary>Format characters that show nothing and make two names or labels that read alike differ.</summary>
    public static TheoryData<string> InvisibleFormatCharacters => new()
    {
        "\uFEFF", // byte-order mark
        "\u200B", // zero-width space
        "\u2060", // word joiner
        "\u00AD", // soft hyphen
        "\u180E", // Mongolian vowel separator
        "\u2062", // invisible times
        "\U000E0041", // tag letter A, outside the Basic Multilingual Plane
    };

    [Theory]
    [MemberData(nameof(InvisibleFormatCharacters))]
    public async Task AnInvisibleFormatCharacter_InACustomerNameOrAProductLine_Is400NamingTheField_OnEveryRouteThatTakesOne(string invisible)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        var name = $"Hidden{invisible} Marks Inc";
        var line = $"Secu{invisible}rity";
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Visible Marks Inc", "visible-marks.com"));
        var named = Api.RawRegistration(_app, name, "visible-marks.com");
        var lined = Api.RawRegistration(_app, "Visible Marks Inc", "visible-marks.com");
        lined["productLines"] = new JsonArray(line);
        object Referral(string customer, string[]? lines) => new
        {
            customer = new { name = customer, domain = "visible-marks.com", country = "US" },
            contact = new { name = "Lee Lead", email = "lee@visible-marks.com" },
            productLines = lines,
        };
        var opportunity = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(CoSelling.NewOpportunity(_app, name, "visible-marks.com"), Api.Json))!;

        foreach (var (client, method, path, body, field) in new (HttpClient, HttpMethod, string, object, string)[]
        {
            (partner, HttpMethod.Post, "/api/v1/registrations", named.ToJsonString(), "customer.name"),
            (partner, HttpMethod.Post, "/api/v1/registrations", lined.ToJsonString(), "productLines"),
            (partner, HttpMethod.Patch, $"/api/v1/registrations/{Api.Id(draft)}", new { customer = new { name, domain = "visible-marks.com", country = "US" } }, "customer.name"),
            (partner, HttpMethod.Patch, $"/api/v1/registrations/{Api.Id(draft)}", new { productLines = new[] { line } }, "productLines"),
            (partner, HttpMethod.Post, "/api/v1/duplicate-checks", new { customer = new { name, country = "US" } }, "customer.name"),
            (partner, HttpMethod.Post, "/api/v1/duplicate-checks", new { customer = new { name = "Visible Marks Inc", country = "US" }, productLines = new[] { line } }, "productLines"),
            (partner, HttpMethod.Post, "/api/v1/referrals", Referral(name, null), "customer.name"),
            (partner, HttpMethod.Post, "/api/v1/referrals", Referral("Visible Marks Inc", [line]), "productLines"),
            (rep, HttpMethod.Post, "/api/v1/opportunities", opportunity.ToJsonString(), "customer.name"),
        })
        {
            var response = await Api.Send(client, method, path, body, method == HttpMethod.Patch ? Api.ETag(draft) : null);
            var problem = await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal([field], $"{method} {path} judges {field} as every route does");
        }

        (await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}"))["version"]!.GetValue<long>().Should().Be(draft["version"]!.GetValue<long>(), "the draft is unchanged");
    }

    [Theory]
    [InlineData("\u0634\u0631\u06A9\u062A \u0645\u06CC\u200C\u062F\u0627\u0646\u0645", "IR")] // a Persian name with a zero-width non-joiner
    [InlineData("\u0915\u094D\u200D\u0937 Systems", "IN")] // a Devanagari conjunct shaped by a zero-width joiner
    [InlineData("Acme \u05D0\u05D1\u05D2\u200F 2000", "IL")] // a right-to-left mark
    [InlineData("Acme \u0627\u0644\u0639\u0631\u0628\u064A\u0629\u061C 2000", "AE")] // an Arabic letter mark
    [InlineData("\u0D2B\u0D46\u0D21\u0D31\u0D32\u0D4D\u200D \u0D2C\u0D3E\u0D19\u0D4D\u0D15\u0D4D", "IN")] // a Malayalam chillu letter, the joiner after a virama
    public async Task TheJoinersAndDirectionMarksScriptsNeed_AreKept_InACustomerNameAndAProductLine(string text, string country)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, text, "scripts-need-marks.com");
        body["customer"]!["country"] = country;
        body["productLines"] = new JsonArray(text);

        var response = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString());
        await Api.Expect(response, HttpStatusCode.Created);
        var created = await Api.Body(response);

        created["customer"]!["name"]!.GetValue<string>().Should().Be(text);
        created["productLines"]![0]!.GetValue<string>().Should().Be(text);
    }

    [Fact]
    public async Task ADirectionMarkPlacingASpace_IsKept_InACustomerName()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Acme \u200EPlus", "marks-placing-spaces.com");

        var response = await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString());
        await Api.Expect(response, HttpStatusCode.Created);
        var created = await Api.Body(response);

        created["customer"]!["name"]!.GetValue<string>().Should().Be("Acme \u200EPlus");
    }

    [Fact]
    public async Task AJoinerOrMarkBetweenLatinLetters_InACustomerNameOrAProductLine_Is400NamingTheField_AsInAPartnersName()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var joined = Api.RawRegistration(_app, "Acme\u200C Corp\u200D", "joined-marks.com");
        var lines = Api.RawRegistration(_app, "Joined Marks Inc", "joined-marks.com");
        lines["productLines"] = new JsonArray("Security", "Security\u200C", "Secu\u200Drity");
        var trailing = Api.RawRegistration(_app, "Joined Marks Inc", "joined-marks.com");
        trailing["productLines"] = new JsonArray("Security\u200D");
        var marked = Api.RawRegistration(_app, "Ac\u200Eme Corp", "joined-marks.com");
        var markedLine = Api.RawRegistration(_app, "Joined Marks Inc", "joined-marks.com");
        markedLine["productLines"] = new JsonArray("Security", "Security\u200E");
        var spacedLine = Api.RawRegistration(_app, "Joined Marks Inc", "joined-marks.com");
        spacedLine["productLines"] = new JsonArray("Security", "Security\u200E ");
        var placedLine = Api.RawRegistration(_app, "Joined Marks Inc", "joined-marks.com");
        placedLine["productLines"] = new JsonArray("Security Plus", "Security \u200EPlus");

        foreach (var (body, field) in new[] { (joined, "customer.name"), (lines, "productLines"), (trailing, "productLines"), (marked, "customer.name"), (markedLine, "productLines"), (spacedLine, "productLines"), (placedLine, "productLines") })
        {
            var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal([field], "a joiner shapes only letters of a script that joins, and a mark places only what is beside it");
        }
    }

    [Theory]
    [InlineData("LS\nCo")]
    [InlineData("LS\u0085Co")]
    [InlineData("LS\u2028Co")]
    [InlineData("LS\u2029Co")]
    public async Task APartnerOrContactNameBrokenOverLines_Is400_WhicheverCharacterBreaksIt(string name)
    {
        var admin = await _app.ClientFor("admin");
        var partner = await Api.Problem(
            await admin.PostAsJsonAsync("/api/v1/partners", new { name, tier = "silver", territories = new[] { "FR" } }), HttpStatusCode.BadRequest);
        partner["errors"]!.AsObject().Select(e => e.Key).Should().Equal("name");

        var northwind = await _app.ClientFor("partner.northwind");
        var referral = await Api.Problem(await northwind.PostAsJsonAsync("/api/v1/referrals", new
        {
            customer = new { name = "Line Break Contacts Inc", domain = "line-break-contacts.com", country = "US" },
            contact = new { name, email = "ls@line-break-contacts.com" },
        }), HttpStatusCode.BadRequest);
        referral["errors"]!.AsObject().Select(e => e.Key).Should().Equal("contact.name");
    }

    [Theory]
    [InlineData("Met the CISO\u0085at a trade show.")]
    [InlineData("Met the CISO\u2028at a trade show.")]
    [InlineData("Met the CISO\u2029at a trade show.")]
    public async Task FreeTextWithALineBreakOtherThanNewLine_Is400_AsEveryControlCharacterIs(string notes)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = Api.RawRegistration(_app, "Free Text Rules Inc", "free-text-rules.com");
        body["notes"] = notes;

        var problem = await Api.Problem(await Api.Send(partner, HttpMethod.Post, "/api/v1/registrations", body.ToJsonString()), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("notes");
        body["notes"] = "Met the CISO\r\nat a trade show.\tThen again.";
        await Api.Create(partner, body);
    }

    [Fact]
    public async Task AnIdempotencyKey_UnderTheSameSubButAnotherPartner_CreatesAfresh_ReplayingNothingOfTheFirstPartners()
    {
        var sub = DemoProgramme.NorthwindUser.ToString();
        var northwind = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Partner(sub, DemoProgramme.Northwind)));
        var fabrikam = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Partner(sub, DemoProgramme.Fabrikam)));
        var body = Api.RawRegistration(_app, "Scoped Key Inc", "scoped-key.com").ToJsonString();

        var first = await CreateWithKey(northwind, "same-sub-key", body);
        var second = await CreateWithKey(fabrikam, "same-sub-key", body);

        await Api.Expect(second, HttpStatusCode.Created);
        second.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        Api.Id(await Api.Body(second)).Should().NotBe(Api.Id(await Api.Body(first)));
        await Api.Get(fabrikam, $"/api/v1/registrations/{Api.Id(await Api.Body(first))}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnIdempotencyKey_IsNotShared_ByCallersWhoseSubAndKeyRunTogether()
    {
        var left = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Partner("colon:sub", DemoProgramme.Northwind)));
        var right = Tokens.ClientWith(_app, Tokens.Mint(_app, claims: Partner("colon", DemoProgramme.Northwind)));
        var body = Api.RawRegistration(_app, "Run Together Inc", "run-together.com").ToJsonString();

        var first = await CreateWithKey(left, "key", body);
        var second = await CreateWithKey(right, "sub:key", body);

        await Api.Expect(first, HttpStatusCode.Created);
        await Api.Expect(second, HttpStatusCode.Created);
        second.Headers.Contains("Idempotent-Replayed").Should().BeFalse("'colon:sub' with 'key' is another caller's key than 'colon' with 'sub:key'");
    }

    [Fact]
    public async Task AnIfMatchNamingAVersionThereNeverWas_Is412SayingItDoesNotMatchTheCurrentOne()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Never Was Ltd", "never-was.com"));

        var problem = await Api.Problem(await Api.PatchRegistration(partner, Api.Id(draft), new { notes = "Later." }, "\"99\""), HttpStatusCode.PreconditionFailed, "precondition_failed");

        problem["detail"]!.GetValue<string>().Should().Be("If-Match does not match the current version 1 of the resource. Read it again and retry with its ETag.");
        problem["title"]!.GetValue<string>().Should().NotContain("changed", "version 99 never was, so nothing changed from it");
    }

    private static Task<HttpResponseMessage> CreateWithKey(HttpClient client, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static Claim[] Partner(string subject, Guid partnerId) =>
        [new(CoSellClaims.Subject, subject), new(CoSellClaims.Role, "partner"), new(CoSellClaims.Name, subject), new(CoSellClaims.PartnerId, partnerId.ToString())];

    /// <summary>The claims of a vendor user whose <c>sub</c> is whatever an identity provider chose, here no GUID.</summary>
    private static Claim[] Vendor(string subject, string role) =>
        [new(CoSellClaims.Subject, subject), new(CoSellClaims.Role, role), new(CoSellClaims.Name, subject)];
}
