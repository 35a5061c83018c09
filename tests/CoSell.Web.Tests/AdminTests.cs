using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Web.Tests;

/// <summary>What the admin runs over HTTP: the partners and the versions of the rules of engagement.</summary>
public sealed class AdminTests : IClassFixture<CoSellApp>
{
    private const string Manager = "00000000-0000-0000-0000-0000000000c1";

    private readonly CoSellApp _app;

    public AdminTests(CoSellApp app) => _app = app;

    private static object Tier(string tier, int protectionDays, decimal ceiling) => new
    {
        tier,
        protectionDays,
        extensionDays = 30,
        maximumExtensions = 2,
        minimumDealValue = 5_000m,
        autoApproveCeiling = ceiling,
        reviewSlaHours = 48,
    };

    private static object Version(object?[] tiers, string currency = "USD") => new
    {
        currency,
        tiers,
        likelyDuplicateThreshold = 0.9,
        possibleDuplicateThreshold = 0.7,
        directLookbackDays = 120,
        conflictSlaHours = 48,
        referralAcceptSlaHours = 96,
    };

    private static readonly object[] FourTiers =
    [
        Tier("registered", 60, 0m), Tier("silver", 90, 10_000m), Tier("gold", 120, 25_000m), Tier("platinum", 180, 50_000m),
    ];

    [Fact]
    public async Task Admin_PublishesARulesVersion_ItBecomesActive_AndTheEarlierOneStaysAsItWas()
    {
        var admin = await _app.ClientFor("admin");
        var partner = await _app.ClientFor("partner.northwind");
        var before = await Api.Get(partner, "/api/v1/rules");

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rules/versions") { Content = JsonContent.Create(Version(FourTiers)) };
        request.Headers.Add("Idempotency-Key", "rules-v-next");
        var published = await admin.SendAsync(request);
        await Api.Expect(published, HttpStatusCode.Created);
        var next = await Api.Body(published);

        next["version"]!.GetValue<int>().Should().Be(before["version"]!.GetValue<int>() + 1);
        var active = await Api.Get(partner, "/api/v1/rules");
        active["version"]!.GetValue<int>().Should().Be(next["version"]!.GetValue<int>());
        active["explanation"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Contain(l => l.Contains("180 days"), "the plain-words explanation follows the new numbers");
        var versions = await Api.Get(admin, "/api/v1/rules/versions");
        var earlier = versions["items"]!.AsArray().Single(v => v!["version"]!.GetValue<int>() == before["version"]!.GetValue<int>())!;
        earlier["isActive"]!.GetValue<bool>().Should().BeFalse();
        earlier["tiers"]!.ToJsonString().Should().Be(before["tiers"]!.ToJsonString(), "an earlier version is never rewritten");

        // The same key and body answer the first response again instead of publishing a third version.
        var again = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rules/versions") { Content = JsonContent.Create(Version(FourTiers)) };
        again.Headers.Add("Idempotency-Key", "rules-v-next");
        (await Api.Body(await admin.SendAsync(again)))["version"]!.GetValue<int>().Should().Be(next["version"]!.GetValue<int>());
        (await Api.Get(partner, "/api/v1/rules"))["version"]!.GetValue<int>().Should().Be(next["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARulesVersionRetried_WithItsNumbersWrittenAnotherWay_AnswersTheFirstResponse_UnlessAWholeNumberIsWrittenWithDecimals()
    {
        var admin = await _app.ClientFor("admin");
        var body = JsonContent.Create(Version(FourTiers));
        var text = await body.ReadAsStringAsync();
        text.Should().Contain("\"likelyDuplicateThreshold\":0.9,").And.Contain("\"directLookbackDays\":120,").And.Contain("\"minimumDealValue\":5000,");
        var first = await admin.SendAsync(Keyed(text, "rules-numbers-written-twice"));
        await Api.Expect(first, HttpStatusCode.Created);
        var published = (await Api.Body(first))["version"]!.GetValue<int>();

        var replayed = await admin.SendAsync(Keyed(text.Replace("\"likelyDuplicateThreshold\":0.9,", "\"likelyDuplicateThreshold\":0.900,", StringComparison.Ordinal)
            .Replace("\"minimumDealValue\":5000,", "\"minimumDealValue\":5E3,", StringComparison.Ordinal), "rules-numbers-written-twice"));
        await Api.Expect(replayed, HttpStatusCode.Created);
        replayed.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await Api.Body(replayed))["version"]!.GetValue<int>().Should().Be(published);

        // A whole number written with decimals is not read as one: that body is refused as it would be without the key.
        var unread = await admin.SendAsync(Keyed(text.Replace("\"directLookbackDays\":120,", "\"directLookbackDays\":120.0,", StringComparison.Ordinal), "rules-numbers-written-twice"));
        await Api.Problem(unread, HttpStatusCode.BadRequest, "malformed_json");
        (await Api.Get(admin, "/api/v1/rules"))["version"]!.GetValue<int>().Should().Be(published);
    }

    private static HttpRequestMessage Keyed(string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rules/versions") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task APublishedRulesVersion_IsAddressedByItsLocation_WhichAnySignedInUserReads()
    {
        var admin = await _app.ClientFor("admin");
        var partner = await _app.ClientFor("partner.northwind");
        var before = await Api.Get(partner, "/api/v1/rules");

        var published = await admin.PostAsJsonAsync("/api/v1/rules/versions", Version(FourTiers));
        await Api.Expect(published, HttpStatusCode.Created);
        var next = await Api.Body(published);
        var number = next["version"]!.GetValue<int>();

        published.Headers.Location!.OriginalString.Should().Be($"/api/v1/rules/versions/{number}");
        var read = await Api.Get(partner, published.Headers.Location.OriginalString);
        read.ToJsonString().Should().Be(next.ToJsonString(), "the created version reads as it was answered");
        var earlier = await Api.Get(partner, $"/api/v1/rules/versions/{before["version"]!.GetValue<int>()}");
        earlier["isActive"]!.GetValue<bool>().Should().BeFalse();
        earlier["tiers"]!.ToJsonString().Should().Be(before["tiers"]!.ToJsonString());
        (await partner.SendAsync(new HttpRequestMessage(HttpMethod.Head, published.Headers.Location))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("999999", HttpStatusCode.NotFound, "not_found")]
    [InlineData("2147483647", HttpStatusCode.NotFound, "not_found")]
    [InlineData("0", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("seven", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("1.5", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("-1", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("99999999999", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task ARulesVersionThatDoesNotExist_Is404_AndOneThatIsNoWholeNumberFrom1_Is400(string number, HttpStatusCode status, string code)
    {
        var partner = await _app.ClientFor("partner.northwind");

        var problem = await Api.Problem(await partner.GetAsync($"/api/v1/rules/versions/{number}"), status, code);

        if (status == HttpStatusCode.BadRequest)
        {
            problem["errors"]!["number"]!.AsArray().Select(m => m!.GetValue<string>())
                .Should().Equal(["A rules version is addressed by its number, a whole number from 1 to 2147483647."], "the problem names the part of the address it could not read");
        }
    }

    [Fact]
    public async Task ARulesVersion_IsReadOnlyBySignedInUsers()
    {
        await Api.Problem(await _app.CreateClient().GetAsync("/api/v1/rules/versions/1"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task ARulesVersion_WithANullOrMissingTier_Is400_AndNothingIsPublished()
    {
        var admin = await _app.ClientFor("admin");
        var versionsBefore = await _app.Db(db => db.Rules.CountAsync());

        foreach (var tiers in new[] { new object?[] { null }, [FourTiers[0], FourTiers[1], FourTiers[2], null], FourTiers[..3] })
        {
            var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version(tiers)), HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(k => k.StartsWith("tiers", StringComparison.Ordinal));
        }

        var partner = await _app.ClientFor("partner.northwind");
        await Api.Problem(await partner.PostAsJsonAsync("/api/v1/rules/versions", Version([null])), HttpStatusCode.Forbidden, "forbidden");
        (await _app.Db(db => db.Rules.CountAsync())).Should().Be(versionsBefore);
    }

    [Theory]
    [InlineData(4_999)]
    [InlineData(5_000)]
    [InlineData(0.001)]
    public async Task ARulesVersion_WhoseCeilingNoDealCouldFallUnder_Is400_AndNothingIsPublished(double ceiling)
    {
        // The minimum deal value of every tier here is 5,000: a ceiling at or below it approves nothing, and rules that
        // say otherwise in plain words would contradict themselves.
        var admin = await _app.ClientFor("admin");
        var versionsBefore = await _app.Db(db => db.Rules.CountAsync());
        object[] tiers = [FourTiers[0], Tier("silver", 90, (decimal)ceiling), FourTiers[2], FourTiers[3]];

        var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version(tiers)), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(k => k.StartsWith("tiers[1]", StringComparison.Ordinal));
        (await _app.Db(db => db.Rules.CountAsync())).Should().Be(versionsBefore);
    }

    [Fact]
    public async Task ARulesVersion_WithExtensionsOfNoDays_OrThresholdsFinerThanItsCurrency_Is400_AndNothingIsPublished()
    {
        var admin = await _app.ClientFor("admin");
        var versionsBefore = await _app.Db(db => db.Rules.CountAsync());
        var noDays = new { tier = "silver", protectionDays = 90, extensionDays = 0, maximumExtensions = 2, minimumDealValue = 5_000m, autoApproveCeiling = 10_000m, reviewSlaHours = 48 };
        var finerThanYen = new { tier = "silver", protectionDays = 90, extensionDays = 30, maximumExtensions = 2, minimumDealValue = 500.5m, autoApproveCeiling = 10_000m, reviewSlaHours = 48 };

        var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version([FourTiers[0], noDays, FourTiers[2], FourTiers[3]])), HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain("tiers[1].extensionDays");
        problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version([FourTiers[0], finerThanYen, FourTiers[2], FourTiers[3]], "JPY")), HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("tiers[1].minimumDealValue");
        problem["errors"]!["tiers[1].minimumDealValue"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("JPY has no minor unit: give a whole amount.");
        var finerThanCents = finerThanYen with { minimumDealValue = 1.234m };
        problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version([FourTiers[0], finerThanCents, FourTiers[2], FourTiers[3]], "USD")), HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!["tiers[1].minimumDealValue"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal("An amount in USD has at most two decimals.");
        (await _app.Db(db => db.Rules.CountAsync())).Should().Be(versionsBefore);

        // With no extensions, an extension of no days says nothing, and a whole yen threshold is one.
        var noExtensions = new { tier = "silver", protectionDays = 90, extensionDays = 0, maximumExtensions = 0, minimumDealValue = 500m, autoApproveCeiling = 10_000m, reviewSlaHours = 48 };
        await Api.Expect(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version([FourTiers[0], noExtensions, FourTiers[2], FourTiers[3]], "JPY")), HttpStatusCode.Created);
        await Api.Expect(await admin.PostAsJsonAsync("/api/v1/rules/versions", Version(FourTiers)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Admin_CreatesAndChangesAPartner_TierTerritoriesAndChannelManager()
    {
        var admin = await _app.ClientFor("admin");

        var created = await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Contoso Channel", tier = "silver", territories = new[] { "FR", "BE" }, channelManagerId = Manager });
        await Api.Expect(created, HttpStatusCode.Created);
        var partner = await Api.Body(created);
        partner["tier"]!.GetValue<string>().Should().Be("silver");
        partner["channelManagerId"]!.GetValue<string>().Should().Be(Manager);

        var changed = await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { tier = "gold", territories = new[] { "FR", "BE", "LU" } }, Api.Version(partner));
        changed["tier"]!.GetValue<string>().Should().Be("gold");
        changed["territories"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("BE", "FR", "LU");
        (await Api.Get(admin, $"/api/v1/partners/{Api.Id(partner)}"))["version"]!.GetValue<long>().Should().Be(Api.Version(changed));

        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Nobody's Channel", tier = "silver", territories = new[] { "FR" }, channelManagerId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task APartnersName_IsMeasuredAsItIsStored_AndAControlCharacterOrLineBreakInsideIt_IsRefusedAlike()
    {
        var admin = await _app.ClientFor("admin");
        var longest = "Longest Name " + new string('x', Domain.Partners.Partner.MaximumNameLength - 13);
        var created = await Api.Post(admin, "/api/v1/partners", new { name = "  " + longest + "\n", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
        created["name"]!.GetValue<string>().Should().Be(longest, "the white space around a name is not kept, so it does not count");
        (await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(created)}", new { name = " Longest   Name " + longest[13..] + " " }, Api.Version(created)))["name"]!.GetValue<string>()
            .Should().Be(longest, "a run of spaces inside it is kept as one");

        var current = await Api.Get(admin, $"/api/v1/partners/{Api.Id(created)}");
        foreach (var name in new[] { "Null\u0000Channel", "Two\nLines Channel", "Tab\u0007Bell Channel", longest + "y", " x " })
        {
            var refused = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name, tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.BadRequest, "validation_failed");
            refused["errors"]!["name"].Should().NotBeNull($"{name.Length} characters: the error names the field");
            await Api.Problem(await Api.Patch(admin, $"/api/v1/partners/{Api.Id(created)}", new { name }, Api.Version(current)), HttpStatusCode.BadRequest, "validation_failed");
        }

        (await Api.Get(admin, $"/api/v1/partners/{Api.Id(created)}"))["version"]!.GetValue<long>().Should().Be(current["version"]!.GetValue<long>(), "a refused change changes nothing");
    }

    [Fact]
    public async Task TwoPartners_NeverShareAName_InAnyCaseOrSpacing_AndNothingIsStoredForTheRefusal()
    {
        var admin = await _app.ClientFor("admin");
        var first = await Api.Post(admin, "/api/v1/partners", new { name = "Tailspin Toys Channel", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
        var second = await Api.Post(admin, "/api/v1/partners", new { name = "Wingtip Channel", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);

        var taken = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "  TAILSPIN   toys channel ", tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.Conflict, "partner.name_taken");
        taken["detail"]!.GetValue<string>().Should().Contain("TAILSPIN toys channel");
        await Api.Problem(await Api.Patch(admin, $"/api/v1/partners/{Api.Id(second)}", new { name = "tailspin toys CHANNEL" }, Api.Version(second)), HttpStatusCode.Conflict, "partner.name_taken");
        // Nor with a direction mark, which shows nothing beside a space or at the name's end.
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Tailspin\u200E Toys Channel", tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.Conflict, "partner.name_taken");
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Tailspin Toys Channel\u200F", tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.Conflict, "partner.name_taken");
        // Nor in the case of letters beyond ASCII, which the store's own comparison leaves as they are.
        var cafe = await Api.Post(admin, "/api/v1/partners", new { name = "Café Élan Channel", tier = "silver", territories = new[] { "FR" } }, HttpStatusCode.Created);
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "CAFÉ ÉLAN CHANNEL", tier = "gold", territories = new[] { "FR" } }), HttpStatusCode.Conflict, "partner.name_taken");
        await Api.Problem(await Api.Patch(admin, $"/api/v1/partners/{Api.Id(second)}", new { name = "café élan channel" }, Api.Version(second)), HttpStatusCode.Conflict, "partner.name_taken");
        (await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(cafe)}", new { name = "CAFÉ Élan Channel" }, Api.Version(cafe)))["name"]!.GetValue<string>()
            .Should().Be("CAFÉ Élan Channel", "a partner may change the case of its own name");
        // Nor in letters that only look alike: a full-width T is a T; an invisible character, a Greek o or a Cherokee T is
        // refused (a character that shows nothing where it stands as in every name others read, the rest by the partner's own rule).
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "\uFF34ailspin Toys Channel", tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.Conflict, "partner.name_taken");
        // Nor in a ligature, a digraph or a raised letter, which show as the letters they are made of.
        await Api.Post(admin, "/api/v1/partners", new { name = "Fiber IJssel Channel", tier = "silver", territories = new[] { "NL" } }, HttpStatusCode.Created);
        foreach (var variant in new[] { "\uFB01ber IJssel Channel", "Fiber \u0132ssel Channel", "Fiber \u1D35Jssel Channel" })
        {
            await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = variant, tier = "gold", territories = new[] { "NL" } }), HttpStatusCode.Conflict, "partner.name_taken");
        }

        foreach (var (lookalike, code) in new[]
        {
            ("Tailspin Toys Channel\u200D", "validation_failed"), ("Tail\u200Bspin Toys Channel", "validation_failed"),
            ("Tailspin T\u03BFys Channel", "partner.name_invalid"), ("\u13A2ailspin Toys Channel", "partner.name_invalid"),
        })
        {
            var created = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = lookalike, tier = "gold", territories = new[] { "CA" } }), HttpStatusCode.BadRequest, code);
            var renamed = await Api.Problem(await Api.Patch(admin, $"/api/v1/partners/{Api.Id(second)}", new { name = lookalike }, Api.Version(second)), HttpStatusCode.BadRequest, code);
            created["errors"]!.AsObject().Select(e => e.Key).Should().Equal("name");
            renamed["errors"]!.AsObject().Select(e => e.Key).Should().Equal("name");
        }

        (await _app.Db(db => db.Partners.CountAsync(p => p.Name == "Tailspin Toys Channel"))).Should().Be(1, "the store compares partner names without case");
        (await _app.Db(db => db.Partners.SingleAsync(p => p.Id == Guid.Parse(Api.Id(second))))).Name.Should().Be("Wingtip Channel");

        // A partner may change the case of its own name, and take a name that has become free.
        var recased = await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(first)}", new { name = "TailSpin Toys Channel" }, Api.Version(first));
        recased["name"]!.GetValue<string>().Should().Be("TailSpin Toys Channel");
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(first)}", new { name = "Tailspin Toys Group" }, Api.Version(recased));
        (await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(second)}", new { name = "Tailspin Toys Channel" }, Api.Version(second)))["name"]!.GetValue<string>().Should().Be("Tailspin Toys Channel");
    }

    [Fact]
    public async Task AChannelManagerNamedAsNull_IsUnassigned_ByAnAdminOnly_AndLeftOut_StaysAsItWas()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Unassigned Channel SARL", tier = "silver", territories = new[] { "FR" }, channelManagerId = Manager }, HttpStatusCode.Created);
        var path = $"/api/v1/partners/{Api.Id(partner)}";

        var renamed = await Api.PatchOk(admin, path, new { name = "Unassigned Channel SA" }, Api.Version(partner));
        renamed["channelManagerId"]!.GetValue<string>().Should().Be(Manager, "a field left out stays as it was");
        await Api.Problem(await Api.Patch(manager, path, new { channelManagerId = (string?)null }, Api.Version(renamed)), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(admin, path))["channelManagerId"]!.GetValue<string>().Should().Be(Manager);

        var unassigned = await Api.PatchOk(admin, path, new { channelManagerId = (string?)null }, Api.Version(renamed));

        unassigned["channelManagerId"].Should().BeNull();
        Api.Version(unassigned).Should().BeGreaterThan(Api.Version(renamed));
        (await Api.Get(admin, path))["channelManagerId"].Should().BeNull();
        var again = await Api.PatchOk(admin, path, new { channelManagerId = (string?)null }, Api.Version(unassigned));
        Api.Version(again).Should().Be(Api.Version(unassigned), "unassigning an unassigned partner changes nothing");
    }

    [Fact]
    public async Task ReassigningOrUnassigningAChannelManager_TakesThePartnersWaitingRegistrationsAlong()
    {
        const string Manager2 = "00000000-0000-0000-0000-0000000000c2";
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var manager2 = await _app.ClientFor("manager2");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Handed Over Partners", tier = "silver", territories = new[] { "US" }, channelManagerId = Manager }, HttpStatusCode.Created);
        var path = $"/api/v1/partners/{Api.Id(partner)}";
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var waiting = await Api.Create(seller, Api.NewRegistration(_app, "Handed Over Waiting Inc", "handed-over-waiting.com"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(waiting)}/submit");
        var returned = await Api.Create(seller, Api.NewRegistration(_app, "Handed Over Returned Inc", "handed-over-returned.com"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(returned)}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{Api.Id(returned)}/return", new { message = "Add the DUNS number." });
        async Task<string?> Reviewer(JsonObject registration) => (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(registration)}"))["reviewerId"]?.GetValue<string>();
        async Task<List<string>> Queue(HttpClient reviewer) =>
            (await Api.Get(reviewer, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).ToList();
        (await Reviewer(waiting)).Should().Be(Manager);

        var reassigned = await Api.PatchOk(admin, path, new { channelManagerId = Manager2 }, Api.Version(partner));

        (await Reviewer(waiting)).Should().Be(Manager2);
        (await Reviewer(returned)).Should().Be(Manager2, "a registration returned for action goes back to the partner's manager of now");
        (await Queue(manager2)).Should().Contain(Api.Id(waiting));
        (await Queue(manager)).Should().NotContain(Api.Id(waiting));
        await Api.Post(manager2, $"/api/v1/registrations/{Api.Id(waiting)}/start-review");
        (await Api.Post(seller, $"/api/v1/registrations/{Api.Id(returned)}/submit"))["reviewerId"]!.GetValue<string>().Should().Be(Manager2);

        await Api.PatchOk(admin, path, new { channelManagerId = (string?)null }, Api.Version(reassigned));

        (await Reviewer(waiting)).Should().BeNull();
        (await Reviewer(returned)).Should().BeNull();
        (await Queue(manager)).Should().Contain([Api.Id(waiting), Api.Id(returned)], "an unrouted registration is in every channel manager's queue");
    }

    [Fact]
    public async Task APartnerHandedToAnotherManager_TakesItsApprovedDealsAlong_ForExtensionsAndCloses()
    {
        const string Manager2 = "00000000-0000-0000-0000-0000000000c2";
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var manager2 = await _app.ClientFor("manager2");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Handed Over Approvals", tier = "gold", territories = new[] { "US" }, channelManagerId = Manager }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var approved = await Api.Create(seller, Api.NewRegistration(_app, "Handed Over Approved Inc", "handed-over-approved.com"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(approved)}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{Api.Id(approved)}/approve");

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = Manager2 }, Api.Version(partner));

        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(approved)}/extend", null), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Post(manager2, $"/api/v1/registrations/{Api.Id(approved)}/extend"))["extensionsUsed"]!.GetValue<int>().Should().Be(1);
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(approved)}"))["reviewerId"]!.GetValue<string>().Should().Be(Manager, "who reviewed it stays on record");
    }

    [Fact]
    public async Task AChannelManagerWhoTakesUpARegistrationFromTheSharedQueue_AnswersForIt()
    {
        const string Manager2 = "00000000-0000-0000-0000-0000000000c2";
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var manager2 = await _app.ClientFor("manager2");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Nobody's Partner Ltd", tier = "gold", territories = new[] { "GB" } }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var approved = await Api.Create(seller, Api.NewRegistration(_app, "Shared Queue Approved Ltd", "shared-queue-approved.co.uk"));
        (await Api.Post(seller, $"/api/v1/registrations/{Api.Id(approved)}/submit"))["reviewerId"].Should().BeNull("the partner has no manager");
        var reviewed = await Api.Create(seller, Api.NewRegistration(_app, "Shared Queue Reviewed Ltd", "shared-queue-reviewed.co.uk"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(reviewed)}/submit");

        (await Api.Post(manager2, $"/api/v1/registrations/{Api.Id(approved)}/approve"))["reviewerId"]!.GetValue<string>().Should().Be(Manager2);
        (await Api.Post(manager2, $"/api/v1/registrations/{Api.Id(reviewed)}/start-review"))["reviewerId"]!.GetValue<string>().Should().Be(Manager2);

        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/close", "{\"outcome\":\"lost\",\"reason\":\"noDecision\"}"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(approved)}/extend", null), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(reviewed)}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(approved)}"))["status"]!.GetValue<string>().Should().Be("approved");
        (await Api.Post(manager2, $"/api/v1/registrations/{Api.Id(approved)}/extend"))["extensionsUsed"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task AChannelManagerKnownOnlyToTheIdentityProvider_AnswersForWhatItTookUp_AsTheQueueSays()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var signedIn = Guid.NewGuid();
        var outsider = Tokens.ClientWith(_app, _app.TokenForUnseeded(signedIn, "channel_manager"));
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Provider Managed Ltd", tier = "gold", territories = new[] { "GB" } }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var reviewing = await Api.Create(seller, Api.NewRegistration(_app, "Provider Reviewed Ltd", "provider-reviewed.co.uk"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(reviewing)}/submit");
        var approved = await Api.Create(seller, Api.NewRegistration(_app, "Provider Approved Ltd", "provider-approved.co.uk"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(approved)}/submit");

        (await Api.Post(outsider, $"/api/v1/registrations/{Api.Id(reviewing)}/start-review"))["reviewerId"]!.GetValue<string>().Should().Be(signedIn.ToString());
        await Api.Post(outsider, $"/api/v1/registrations/{Api.Id(approved)}/approve");
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>())
            .Should().NotContain(Api.Id(reviewing), "the other managers' queues no longer list it");

        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(reviewing)}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(approved)}/extend", null), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(reviewing)}"))["status"]!.GetValue<string>().Should().Be("underReview");
        (await Api.Post(outsider, $"/api/v1/registrations/{Api.Id(reviewing)}/approve"))["status"]!.GetValue<string>().Should().Be("approved");
    }

    [Fact]
    public async Task ANameTaken_IsSaidBackAsAnyRefusedValueIs_InvisibleCharactersWrittenOut_AndCutAtFortyCharacters()
    {
        var admin = await _app.ClientFor("admin");

        var partner = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Northwind\u200E Systems", tier = "silver", territories = new[] { "US" } }),
            HttpStatusCode.Conflict, "partner.name_taken");
        var longName = "Said Back Partners " + new string('x', 60);
        await Api.Post(admin, "/api/v1/partners", new { name = longName, tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
        var longPartner = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = longName, tier = "silver", territories = new[] { "US" } }),
            HttpStatusCode.Conflict, "partner.name_taken");
        var userName = "said.back." + new string('u', 60);
        await Api.Post(admin, "/api/v1/users", new { id = Guid.NewGuid(), userName, displayName = "Said Back", role = "rep" }, HttpStatusCode.Created);
        var user = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", new { id = Guid.NewGuid(), userName, displayName = "Said Back Again", role = "rep" }),
            HttpStatusCode.Conflict, "user.name_taken");

        partner["detail"]!.GetValue<string>().Should().Be("Another partner is named 'Northwind\\u200E Systems'.");
        longPartner["detail"]!.GetValue<string>().Should().Be($"Another partner is named '{longName[..40]}…'.");
        user["detail"]!.GetValue<string>().Should().Be($"Another user is named '{userName[..40]}…'.");
    }

    [Fact]
    public async Task ADeactivatedChannelManager_GivesItsTakenUpRegistrationsBack_AndTakesUpNothing()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Queue Only Partners Ltd", tier = "gold", territories = new[] { "GB" } }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var id = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id, userName = "morgan.manager", displayName = "Morgan Manager", role = "channel_manager" }, HttpStatusCode.Created);
        var morgan = Tokens.ClientWith(_app, _app.TokenForUnseeded(id, "channel_manager"));
        async Task<JsonObject> Submitted(string name, string domain)
        {
            var draft = await Api.Create(seller, Api.NewRegistration(_app, name, domain));
            return await Api.Post(seller, $"/api/v1/registrations/{Api.Id(draft)}/submit");
        }

        var reviewing = await Submitted("Taken Up Review Ltd", "taken-up-review.co.uk");
        (await Api.Post(morgan, $"/api/v1/registrations/{Api.Id(reviewing)}/start-review"))["reviewerId"]!.GetValue<string>().Should().Be(id.ToString());
        var approved = await Submitted("Taken Up Approval Ltd", "taken-up-approval.co.uk");
        await Api.Post(morgan, $"/api/v1/registrations/{Api.Id(approved)}/approve");
        await Api.Problem(await manager.PostAsync($"/api/v1/registrations/{Api.Id(approved)}/extend", null), HttpStatusCode.Forbidden, "forbidden");

        var user = await Api.Get(admin, $"/api/v1/users/{id}");
        await Api.PatchOk(admin, $"/api/v1/users/{id}", new { isActive = false }, Api.Version(user));

        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(reviewing)}"))["reviewerId"].Should().BeNull("a review it took up goes back to the shared queue");
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).Should().Contain(Api.Id(reviewing));
        (await Api.Post(manager, $"/api/v1/registrations/{Api.Id(approved)}/extend"))["reviewerId"]!.GetValue<string>().Should().Be(id.ToString(), "who reviewed it stays on record, and answers for it no more");
        var waiting = await Submitted("Left Waiting Ltd", "left-waiting.co.uk");
        await Api.Problem(await morgan.PostAsync($"/api/v1/registrations/{Api.Id(waiting)}/start-review", null), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(waiting)}"))["reviewerId"].Should().BeNull("a deactivated manager took nothing up");

        // A take-up that committed just after the deactivation read the reviews it sends back: the review is everyone's all the same.
        var registrationId = Guid.Parse(Api.Id(waiting));
        await _app.Db(db => db.Registrations.Where(r => r.Id == registrationId).ExecuteUpdateAsync(r => r.SetProperty(x => x.ReviewerId, id)));
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).Should().Contain(Api.Id(waiting));
        (await Api.Post(manager, $"/api/v1/registrations/{Api.Id(waiting)}/start-review"))["status"]!.GetValue<string>().Should().Be("underReview");
    }

    [Theory]
    [InlineData("\u200b\u200b")]
    [InlineData("\u202eevil\u202c")]
    [InlineData("Bell\u0007Name")]
    [InlineData("\U000E0041\U000E0042")]
    [InlineData("\u3164\u3164")]
    public async Task APartnerName_ThatShowsNothing_OrReordersWhatFollows_Is400(string name)
    {
        var admin = await _app.ClientFor("admin");
        var before = await _app.Db(db => db.Partners.CountAsync());

        var response = await admin.PostAsJsonAsync("/api/v1/partners", new { name, tier = "silver", territories = new[] { "US" } });

        (await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["name"].Should().NotBeNull();
        (await _app.Db(db => db.Partners.CountAsync())).Should().Be(before);
    }

    [Theory]
    [InlineData(61, "Acme ")] // 66 characters as sent; each ⒇ is stored as (20), so 249
    [InlineData(0, "Q\u200E")] // a direction mark at the end, which the key drops: one character left
    public async Task APartnerName_OverOrUnderItsLengthAsStored_Is400ValidationFailed_OnCreateAndPatch(int parenthesised, string start)
    {
        var admin = await _app.ClientFor("admin");
        var name = start + new string('\u2487', parenthesised);
        var before = await _app.Db(db => db.Partners.CountAsync());

        var created = await admin.PostAsJsonAsync("/api/v1/partners", new { name, tier = "silver", territories = new[] { "US" } });
        (await Api.Problem(created, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["name"].Should().NotBeNull();
        (await _app.Db(db => db.Partners.CountAsync())).Should().Be(before);

        var partner = await Api.Post(admin, "/api/v1/partners", new { name = $"Renamed Later {parenthesised} Ltd", tier = "silver", territories = new[] { "US" } }, HttpStatusCode.Created);
        var patched = await Api.Patch(admin, $"/api/v1/partners/{Api.Id(partner)}", new { name }, Api.Version(partner));
        (await Api.Problem(patched, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["name"].Should().NotBeNull();
    }

    [Fact]
    public async Task AChannelManager_ManagesThePartnersAssignedToIt_ButOnlyAnAdminReassignsThem()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var otherManager = await _app.ClientFor("manager2");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Managed Partner BV", tier = "silver", territories = new[] { "NL" }, channelManagerId = Manager }, HttpStatusCode.Created);
        var path = $"/api/v1/partners/{Api.Id(partner)}";

        await Api.Problem(await Api.Patch(otherManager, path, new { status = "suspended" }, Api.Version(partner)), HttpStatusCode.Forbidden, "forbidden");
        var changed = await Api.PatchOk(manager, path, new { territories = new[] { "NL", "BE" }, status = "suspended" }, Api.Version(partner));
        changed["territories"]!.AsArray().Select(t => t!.GetValue<string>()).Should().BeEquivalentTo(["BE", "NL"]);
        changed["status"]!.GetValue<string>().Should().Be("suspended");
        await Api.Problem(await Api.Patch(manager, path, new { channelManagerId = "00000000-0000-0000-0000-0000000000c2" }, Api.Version(changed)), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await manager.PostAsJsonAsync("/api/v1/partners", new { name = "Not Mine To Create", tier = "gold", territories = new[] { "US" } }), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(admin, path))["channelManagerId"]!.GetValue<string>().Should().Be(Manager);
    }

    [Fact]
    public async Task APartnerChangingPartners_Is403_WhateverTheChannelManagerItNames()
    {
        var partner = await _app.ClientFor("partner.northwind");
        foreach (var channelManagerId in new[] { Manager, Guid.NewGuid().ToString() })
        {
            // Judging the content first would answer 400 for an unknown id and so tell which ids are channel managers.
            await Api.Problem(await partner.PostAsJsonAsync("/api/v1/partners", new { name = "Probe Partner", tier = "gold", territories = new[] { "US" }, channelManagerId }), HttpStatusCode.Forbidden, "forbidden");
            await Api.Problem(await Api.Patch(partner, "/api/v1/partners/10000000-0000-0000-0000-000000000001", new { channelManagerId }, 1), HttpStatusCode.Forbidden, "forbidden");
        }
    }
}
