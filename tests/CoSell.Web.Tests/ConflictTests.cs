using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Infrastructure.Conflicts;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests;

public sealed class ConflictTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public ConflictTests(CoSellApp app) => _app = app;

    /// <summary>Northwind submits first; Fabrikam then registers the same customer and collides.</summary>
    private async Task<(string Conflict, string NorthwindClaim, string FabrikamClaim)> Collide(string name, string domain)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, name, domain));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Api.Create(fabrikam, Api.NewRegistration(_app, name + " GmbH", "https://www." + domain + "/de", "DE", 10_000m));
        var submitted = await Api.Post(fabrikam, $"/api/v1/registrations/{second["id"]}/submit");
        submitted["status"]!.GetValue<string>().Should().Be("inConflict");

        var arbiter = await _app.ClientFor("arbiter");
        var list = await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100");
        var conflict = list["items"]!.AsArray().Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == second["id"]!.GetValue<string>()))!;
        return (conflict["id"]!.GetValue<string>(), first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
    }

    /// <summary>The open case that binds the registration.</summary>
    private async Task<string> OpenCaseOf(JsonObject registration)
    {
        var arbiter = await _app.ClientFor("arbiter");
        return (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(registration)))!["id"]!.GetValue<string>();
    }

    /// <summary>
    /// Northwind's registration is approved (and made an opportunity by the rep when asked); Fabrikam then registers the
    /// same customer, collides, and a case binds both.
    /// </summary>
    private async Task<(JsonObject Ours, JsonObject? Made, JsonObject Theirs, string Conflict)> ApprovedThenRivalled(string name, string domain, bool makeDeal)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, name, domain));
        await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/submit");
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{ours["id"]}/approve");
        var made = makeDeal ? await Api.Post(await _app.ClientFor("rep"), $"/api/v1/registrations/{ours["id"]}/opportunity", new { }, HttpStatusCode.Created) : null;
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, name, domain));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        return (ours, made, theirs, await OpenCaseOf(theirs));
    }

    /// <summary>
    /// Northwind's approved registration (made an opportunity) and Fabrikam's rival bound in a case decided for co-selling
    /// with Northwind leading, and Fabrikam's acceptance of the invitation onto that deal.
    /// </summary>
    private async Task<(JsonObject Ours, string Deal, string Invitation, string Conflict)> CoSoldWithFabrikamAccepted(string name, string domain)
    {
        var (ours, made, _, conflict) = await ApprovedThenRivalled(name, domain, makeDeal: true);
        var deal = Api.Id(made!);
        await Api.Post(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell, Northwind leads." });
        var invitation = (await Api.Get(await _app.ClientFor("admin"), $"/api/v1/opportunities/{deal}"))["participants"]!.AsArray()
            .Single(p => p!["partnerId"]!.GetValue<string>() == CoSelling.Fabrikam)!["invitationId"]!.GetValue<string>();
        await Api.Post(await _app.ClientFor("partner.fabrikam"), $"/api/v1/invitations/{invitation}/accept");
        return (ours, deal, invitation, conflict);
    }

    [Fact]
    public async Task TheArbitersQueue_ReadsOnFromTheLastCaseRead_EvenWhenThatCaseWasDecidedMeanwhile()
    {
        var cases = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            cases.Add((await Collide($"Queue Reader {i}", $"queue-reader-{i}.com")).Conflict);
        }

        var arbiter = await _app.ClientFor("arbiter");
        var before = Api.Ids(await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"));
        await Api.Post(arbiter, $"/api/v1/conflicts/{cases[0]}/decision", new { decision = "rejectAll", rationale = "Neither showed an engagement." });

        var afterOpen = Api.Ids(await Api.Get(arbiter, $"/api/v1/conflicts?status=open&pageSize=2&after={cases[1]}"));
        var afterDecided = Api.Ids(await Api.Get(arbiter, $"/api/v1/conflicts?status=open&pageSize=2&after={cases[0]}"));

        afterOpen.Should().Equal(before.SkipWhile(id => id != cases[1]).Skip(1).Take(2));
        (await ReadingOnTests.WalkAsync(arbiter, "/api/v1/conflicts?status=open", c => c["id"]!.GetValue<string>()))
            .Should().Equal(before.Where(id => id != cases[0]), "read on by its cursors, the open queue is each open case once, soonest SLA first");
        afterDecided.Should().Equal(before.SkipWhile(id => id != cases[0]).Skip(1).Take(2), "a case decided since it was read still marks the place");
        afterDecided.Should().StartWith(cases[1]);
        var adatum = await _app.ClientFor("partner.adatum");
        (await Api.Problem(await adatum.GetAsync($"/api/v1/conflicts?after={cases[1]}"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["after"]
            .Should().NotBeNull("a partner that is no party to the case cannot read on from it");
    }

    [Fact]
    public async Task CoSellingWithAPartnerThatHasNoChannelManager_AndNoDirectRep_Is409_AndTheCaseStaysOpen()
    {
        var admin = await _app.ClientFor("admin");
        var arbiter = await _app.ClientFor("arbiter");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Unmanaged Sellers", tier = "gold", territories = new[] { "US", "DE" } }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var theirs = await Api.Create(seller, Api.NewRegistration(_app, "Ownerless Deal", "ownerless-deal.com"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(theirs)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Ownerless Deal GmbH", "https://www.ownerless-deal.com/de", "DE", 10_000m));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(rival)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var open = await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100");
        var id = open["items"]!.AsArray().Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(rival)))!["id"]!.GetValue<string>();

        var refused = await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = Api.Id(theirs), rationale = "Both bring value." });

        await Api.Problem(refused, HttpStatusCode.Conflict, "conflict.no_owner");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["status"]!.GetValue<string>().Should().Be("open");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(theirs)}"))["status"]!.GetValue<string>().Should().Be("inConflict");
        (await Api.Get(admin, $"/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Should().NotContain(o => o!["customer"]!["name"]!.GetValue<string>().StartsWith("Ownerless Deal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LikelyDuplicateOfAnotherPartnersClaim_OpensACaseWithTheRuleThatFired_AndAssignsTheArbiter()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Opening Tools", "opening-tools.com");
        var arbiter = await _app.ClientFor("arbiter");

        var conflict = await Api.Get(arbiter, $"/api/v1/conflicts/{id}");

        conflict["status"]!.GetValue<string>().Should().Be("open");
        conflict["ruleFired"]!.GetValue<string>().Should().Be("first_to_register");
        conflict["recommendedClaimId"]!.GetValue<string>().Should().Be(northwindClaim);
        conflict["ruleExplanation"]!.GetValue<string>().Should().Contain("First to register wins");
        conflict["log"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() == "assigned").Select(l => l!["actor"]!.GetValue<string>())
            .Should().Equal(["system"], "the service picked the arbiter, not the partner whose submission opened the case");
        conflict["arbiterId"]!.GetValue<string>().Should().Be("00000000-0000-0000-0000-0000000000b1");
        conflict["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>()).Should().BeEquivalentTo([northwindClaim, fabrikamClaim]);
        DateTimeOffset.Parse(conflict["slaDueAt"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddHours(72), TimeSpan.FromSeconds(2));
        var northwind = await _app.ClientFor("partner.northwind");
        (await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}"))["status"]!.GetValue<string>().Should().Be("inConflict", "an earlier pending submission is held while the case is open");
    }

    // Before, assigning a case to the arbiter it had logged another assignment, moved its version and told the parties.
    [Fact]
    public async Task AssigningACaseToTheArbiterItHas_ChangesNothing()
    {
        var (id, _, _) = await Collide("Same Arbiter Tools", "same-arbiter-tools.com");
        var admin = await _app.ClientFor("admin");
        var before = await Api.Get(admin, $"/api/v1/conflicts/{id}");

        var answered = await Api.Post(admin, $"/api/v1/conflicts/{id}/assign", new { arbiterId = before["arbiterId"]!.GetValue<string>() });

        answered["version"]!.GetValue<long>().Should().Be(before["version"]!.GetValue<long>());
        (await Api.Get(admin, $"/api/v1/conflicts/{id}"))["log"]!.ToJsonString().Should().Be(before["log"]!.ToJsonString(), "nothing happened to log");
    }

    [Fact]
    public async Task AssigningADecidedCaseToTheArbiterItHas_IsRefusedAsAnyAssignmentOfIt()
    {
        var (id, northwindClaim, _) = await Collide("Decided Arbiter Tools", "decided-arbiter-tools.com");
        var admin = await _app.ClientFor("admin");
        await Api.Post(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "First to register." });
        var decided = await Api.Get(admin, $"/api/v1/conflicts/{id}");

        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{id}/assign", new { arbiterId = decided["arbiterId"]!.GetValue<string>() }), HttpStatusCode.Conflict, "conflict.already_decided");
    }

    [Fact]
    public async Task EachPartySeesOnlyItsOwnClaimAndStatements_AndAnOutsiderSeesNothing()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Visibility Systems", "visibility-systems.com");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var adatum = await _app.ClientFor("partner.adatum");
        await Api.Post(fabrikam, $"/api/v1/conflicts/{id}/statements", new { text = "We met their CTO in March.", links = new[] { "https://example.org/minutes" } });

        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        var asNorthwind = await Api.Get(northwind, $"/api/v1/conflicts/{id}");
        asNorthwind["customerName"]!.GetValue<string>().Should().Be("Visibility Systems", "a party reads the customer as it wrote it, never a rival's spelling");
        asFabrikam["customerName"]!.GetValue<string>().Should().Be("Visibility Systems GmbH");

        asFabrikam["claims"]!.AsArray().Should().ContainSingle().Which!["claimId"]!.GetValue<string>().Should().Be(fabrikamClaim);
        asFabrikam["recommendationIsYours"]!.GetValue<bool>().Should().BeFalse();
        asFabrikam["statements"]!.AsArray().Should().ContainSingle();
        var fabrikamText = asFabrikam.ToJsonString();
        fabrikamText.Should().NotContain(northwindClaim).And.NotContain("10000000-0000-0000-0000-000000000001").And.NotContain("Northwind");
        asFabrikam["log"].Should().BeNull();
        asFabrikam["ruleExplanation"].Should().BeNull();
        asFabrikam["arbiterId"].Should().BeNull();

        asNorthwind["recommendationIsYours"]!.GetValue<bool>().Should().BeTrue();
        asNorthwind["statements"]!.AsArray().Should().BeEmpty("the rival's statement is not shown to the other party");
        asNorthwind.ToJsonString().Should().NotContain(fabrikamClaim).And.NotContain("10000000-0000-0000-0000-000000000002");

        var rivalTimeline = await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}/timeline");
        rivalTimeline.ToJsonString().Should().NotContain("20000000-0000-0000-0000-000000000002", "a rival's user never appears on the other party's timeline")
            .And.NotContain("GmbH");
        var ownTimeline = await Api.Get(fabrikam, $"/api/v1/registrations/{fabrikamClaim}/timeline");
        ownTimeline.ToJsonString().Should().NotContain("visibility-systems.com", "duplicate reasons are for vendor eyes");

        await Api.Problem(await adatum.GetAsync($"/api/v1/conflicts/{id}"), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(adatum, "/api/v1/conflicts"))["total"]!.GetValue<int>().Should().Be(0);
        await Api.Problem(await adatum.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "Me too" }), HttpStatusCode.NotFound, "not_found");
        var fabrikamList = await Api.Get(fabrikam, "/api/v1/conflicts?pageSize=100");
        fabrikamList.ToJsonString().Should().NotContain(northwindClaim);
    }

    [Fact]
    public async Task AParty_AddsAtMostTwentyStatementsToACase_AndAListOfCasesCarriesNoStatementOrLog_WhichReadingTheCaseDoes()
    {
        var (id, _, _) = await Collide("Statement Flood Systems", "statement-flood.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var links = Enumerable.Range(1, 20).Select(i => $"https://example.org/evidence/{i}").ToArray();
        for (var i = 1; i <= 20; i++)
        {
            await Api.Post(fabrikam, $"/api/v1/conflicts/{id}/statements", new { text = $"Evidence {i}: " + new string('x', 4000), links });
        }

        var refused = await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "One more." }), HttpStatusCode.Conflict, "conflict.statement_limit");
        refused["detail"]!.GetValue<string>().Should().Contain("20 statements");

        var listed = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;
        listed["statements"].Should().BeNull();
        listed["log"].Should().BeNull();
        listed["claims"]!.AsArray().Should().HaveCount(2);
        var read = await Api.Get(arbiter, $"/api/v1/conflicts/{id}");
        read["statements"]!.AsArray().Should().HaveCount(20);
        read["log"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task EachPartyReadsTheCountryItsOwnClaimWrote_NeverTheRivalsTheCaseOpenedWith_AndTheArbiterReadsTheCases()
    {
        // Fabrikam's submission (DE) opens the case, so the case's country is Fabrikam's; Northwind wrote US.
        var (id, _, _) = await Collide("Country Leak Systems", "country-leak.com");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        async Task<(string One, string Listed)> CountryAs(HttpClient client)
        {
            var listed = (await Api.Get(client, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;
            return ((await Api.Get(client, $"/api/v1/conflicts/{id}"))["country"]!.GetValue<string>(), listed["country"]!.GetValue<string>());
        }

        (await CountryAs(northwind)).Should().Be(("US", "US"), "a party reads the customer's country as it wrote it, never a rival's");
        (await CountryAs(fabrikam)).Should().Be(("DE", "DE"));
        (await CountryAs(arbiter)).Should().Be(("DE", "DE"), "the vendor reads the case's country, that of the claim that opened it");

        // The rep of a direct claim reads its own opportunity's country too.
        var rep = await _app.ClientFor("rep");
        await CoSelling.OpenDirect(rep, _app, "Country Leak Direct", "country-leak-direct.com");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Country Leak Direct GmbH", "https://www.country-leak-direct.com/de", "DE", 10_000m));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        id = await OpenCaseOf(theirs);
        (await CountryAs(rep)).Should().Be(("US", "US"));
        (await CountryAs(arbiter)).Should().Be(("DE", "DE"));
    }

    [Fact]
    public async Task ArbiterAwardsOneClaim_EveryBoundRegistrationMovesInTheSameCommit_AndTheCaseCannotBeDecidedTwice()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Decision Makers", "decision-makers.com");
        var arbiter = await _app.ClientFor("arbiter");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "" }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = Guid.NewGuid(), rationale = "x" }), HttpStatusCode.BadRequest, "conflict.claim_not_in_case");
        var decided = await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind registered first and showed an active engagement." });

        decided["status"]!.GetValue<string>().Should().Be("decided");
        (await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}"))["status"]!.GetValue<string>().Should().Be("approved");
        var lost = await Api.Get(fabrikam, $"/api/v1/registrations/{fabrikamClaim}");
        lost["status"]!.GetValue<string>().Should().Be("rejected");
        lost["rejectionReason"]!.GetValue<string>().Should().Be("duplicate");

        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        asFabrikam["decision"]!["awardedToYou"]!.GetValue<bool>().Should().BeFalse();
        asFabrikam["decision"]!["awardedClaimId"].Should().BeNull();
        asFabrikam["decision"]!["rationale"]!.GetValue<string>().Should().Contain("registered first");
        asFabrikam["decision"]!["coSellWith"].Should().BeNull();

        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "rejectAll", rationale = "again" }), HttpStatusCode.Conflict, "conflict.already_decided");
    }

    [Fact]
    public async Task AClaimWithdrawnWhileTheCaseWasOpen_CannotBeAwarded_AndTheOtherStillCan()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Withdrawn Winners", "withdrawn-winners.com");
        var arbiter = await _app.ClientFor("arbiter");
        var northwind = await _app.ClientFor("partner.northwind");
        await Api.Post(northwind, $"/api/v1/registrations/{northwindClaim}/withdraw", new { reason = "Customer went elsewhere." });

        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "First to register." }), HttpStatusCode.Conflict, "conflict.claim_not_live");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["status"]!.GetValue<string>().Should().Be("open", "a refused decision decides nothing");

        var decided = await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = fabrikamClaim, rationale = "The only live claim." });
        decided["status"]!.GetValue<string>().Should().Be("decided");
    }

    [Fact]
    public async Task AnApprovedClaimBoundToAnOpenCase_CannotBeClosedAsWon_UntilTheCaseAwardsIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var approved = await Api.Create(northwind, Api.NewRegistration(_app, "Early Winners", "early-winners.com", "US", 10_000m));
        (await Api.Post(northwind, $"/api/v1/registrations/{approved["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("approved");
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Early Winners GmbH", "https://www.early-winners.com", "DE", 10_000m));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{rival["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/registrations/{approved["id"]}/close", new { outcome = "won" }), HttpStatusCode.Conflict, "registration.conflict_open");
        (await Api.Get(northwind, $"/api/v1/registrations/{approved["id"]}"))["status"]!.GetValue<string>().Should().Be("approved");

        var open = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == rival["id"]!.GetValue<string>()))!;
        await Api.Post(arbiter, $"/api/v1/conflicts/{open["id"]}/decision", new { decision = "award", awardedClaimId = approved["id"], rationale = "Registered and approved first." });
        (await Api.Post(northwind, $"/api/v1/registrations/{approved["id"]}/close", new { outcome = "won" }))["status"]!.GetValue<string>().Should().Be("won");
    }

    [Fact]
    public async Task CoSellDecision_RevealsTheOtherPartyToEachSide()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Co Sellers", "co-sellers.com");
        var arbiter = await _app.ClientFor("arbiter");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwind = await _app.ClientFor("partner.northwind");

        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Both bring value; Northwind leads." });

        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        asFabrikam["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>().Should().Be(northwindClaim);
        asFabrikam["decision"]!["coSellWith"]!.AsArray().Single()!["partnerId"]!.GetValue<string>().Should().Be("10000000-0000-0000-0000-000000000001");
        var asNorthwind = await Api.Get(northwind, $"/api/v1/conflicts/{id}");
        asNorthwind["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>().Should().Be(fabrikamClaim);
        asNorthwind["decision"]!["awardedToYou"]!.GetValue<bool>().Should().BeTrue();
        foreach (var vendor in new[] { arbiter, await _app.ClientFor("admin"), await _app.ClientFor("manager") })
        {
            // The vendor reads the award in awardedClaimId, and with whom it is co-sold in coSellWith.
            var asVendor = (await Api.Get(vendor, $"/api/v1/conflicts/{id}"))["decision"]!;
            (asVendor["awardedClaimId"]!.GetValue<string>(), asVendor["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>()).Should().Be((northwindClaim, fabrikamClaim));
        }

        // The award opened a joint opportunity sourced by Northwind, with Fabrikam invited as influencer.
        var offered = await Api.Get(fabrikam, "/api/v1/opportunities?pageSize=100");
        var joint = offered["items"]!.AsArray().Single(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["customer"]!["name"]!.GetValue<string>() == "Co Sellers")!;
        joint["participants"]!.AsArray().Should().Contain(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002" && p["role"]!.GetValue<string>() == "influenced");
        // Neither party learns which arbiter made the deal, invited or sourcing, listed or read.
        joint["createdBy"]!.GetValue<string>().Should().Be("arbiter");
        (await Api.Get(northwind, $"/api/v1/opportunities/{joint["id"]}"))["createdBy"]!.GetValue<string>().Should().Be("arbiter");
        (await Api.Get(await _app.ClientFor("admin"), $"/api/v1/opportunities/{joint["id"]}"))["createdBy"]!.GetValue<string>().Should().NotBe("arbiter", "the vendor reads who made it");

        // The awarded registration's timeline says it is now worked as that joint opportunity, and by which case.
        var opened = (await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}/timeline?pageSize=100"))["items"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "registration.opportunity_opened").Should().ContainSingle().Subject!;
        opened["summary"]!.GetValue<string>().Should().Contain(joint["id"]!.GetValue<string>()).And.Contain(id);

        // That joint opportunity is the awarded registration's: it cannot be made a second one.
        var rep = await _app.ClientFor("rep");
        await Api.Problem(await Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{northwindClaim}/opportunity", "{}"), HttpStatusCode.Conflict, "opportunity.registration_already_converted");

        // Reopened and decided for co-selling led by Fabrikam: one joint opportunity stays open, the earlier one is closed.
        var admin = await _app.ClientFor("admin");
        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Fabrikam showed the signed pilot." });
        // The admin's reason, which may speak of another party, stays in the case's log: the parties read that it was reopened.
        CoSelling.Summaries(await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}/timeline?pageSize=100")).Should()
            .Contain("The conflict case was reopened by an admin; it will be decided again.").And.NotContain(line => line.Contains("Fabrikam", StringComparison.Ordinal));
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = fabrikamClaim, rationale = "Fabrikam leads; Northwind helps." });
        var all = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Where(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["source"]!["referenceId"]!.GetValue<string>() == id).ToList();
        all.Where(o => !o!["stage"]!.GetValue<string>().StartsWith("closed", StringComparison.Ordinal)).Should().ContainSingle()
            .Which!["participants"]!.AsArray().Should().Contain(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002" && p["role"]!.GetValue<string>() == "sourced");
        all.Single(o => o!["id"]!.GetValue<string>() == joint["id"]!.GetValue<string>())!["stage"]!.GetValue<string>().Should().Be("closedLost");

        // Reopened once more and decided against both: no joint opportunity stays open.
        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Neither pilot was signed." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "rejectAll", rationale = "Neither showed an engagement." });
        (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Where(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["source"]!["referenceId"]!.GetValue<string>() == id)
            .Should().OnlyContain(o => o!["stage"]!.GetValue<string>() == "closedLost");
    }

    [Fact]
    public async Task TheArbiterWhoDecides_ReadsToEveryPartnerAsArbiter_OnTheTimelinesTheDecisionWrote_AndToTheVendorByItsId()
    {
        var (ours, deal, _, _) = await CoSoldWithFabrikamAccepted("Unnamed Arbiter Ltd", "unnamed-arbiter.com");
        var arbiterId = CoSell.Infrastructure.Seeding.DemoProgramme.Arbiter.ToString();
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        // The case hides its arbiter from its parties; the lines its decision wrote on their deal and registration do too.
        foreach (var (partner, path) in new[]
                 {
                     (fabrikam, $"/api/v1/opportunities/{deal}/timeline?pageSize=100"),
                     (northwind, $"/api/v1/registrations/{Api.Id(ours)}/timeline?pageSize=100"),
                 })
        {
            var timeline = await Api.Get(partner, path);
            timeline.ToJsonString().Should().NotContain(arbiterId, "a stable id would tell a party which of its cases one arbiter decided");
            timeline["items"]!.AsArray().Should().Contain(e => e!["actor"]!.GetValue<string>() == "arbiter", $"{path} has a line the decision wrote (an invitation, an award)");
        }

        var asVendor = await Api.Get(await _app.ClientFor("admin"), $"/api/v1/opportunities/{deal}/timeline?pageSize=100");
        asVendor["items"]!.AsArray().Should().Contain(e => e!["actor"]!.GetValue<string>() == arbiterId, "the vendor's log keeps who decided")
            .And.NotContain(e => e!["actor"]!.GetValue<string>() == "arbiter");
    }

    [Fact]
    public async Task AnArbiterAddedByItsSubject_ReadsToThePartiesAsArbiter_LikeAnyOther()
    {
        var admin = await _app.ClientFor("admin");
        var (conflict, ours, theirs) = await Collide("Subject Arbiter Ltd", "subject-arbiter.com");
        const string subject = "okta|arbiter-of-subjects";
        var added = await Api.Post(admin, "/api/v1/users", new { subject, userName = "subject.arbiter", displayName = "Subject Arbiter", role = "arbiter" }, HttpStatusCode.Created);
        var arbiterId = Api.Id(added);
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/assign", new { arbiterId });

        var arbiter = Tokens.ClientWith(_app, _app.TokenForSubject(subject, "arbiter"));
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = ours, rationale = "Northwind registered first." });

        foreach (var (partner, claim) in new[] { ("partner.northwind", ours), ("partner.fabrikam", theirs) })
        {
            var timeline = await Api.Get(await _app.ClientFor(partner), $"/api/v1/registrations/{claim}/timeline?pageSize=100");
            timeline.ToJsonString().Should().NotContain(arbiterId, "the id derived from the arbiter's subject names it as much as any id");
            timeline["items"]!.AsArray().Should().Contain(e => e!["actor"]!.GetValue<string>() == "arbiter");
        }

        (await Api.Get(admin, $"/api/v1/registrations/{ours}/timeline?pageSize=100"))["items"]!.AsArray()
            .Should().Contain(e => e!["actor"]!.GetValue<string>() == arbiterId, "the vendor's log keeps who decided");

        // Deactivated again, it is given none of the cases the other tests open.
        await Api.PatchOk(admin, $"/api/v1/users/{arbiterId}", new { isActive = false }, Api.Version(await Api.Get(admin, $"/api/v1/users/{arbiterId}")));
    }

    [Fact]
    public async Task ARegistrationMadeAnOpportunityBeforeItsCase_KeepsThatOneDeal_ThroughCoSellingAndADecisionAgainstIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, made, theirs, conflict) = await ApprovedThenRivalled("One Deal Holdings", "one-deal.com", makeDeal: true);
        List<JsonNode> DealsOnTheCustomer(JsonObject list) =>
            list["items"]!.AsArray().Where(o => o!["customer"]!["name"]!.GetValue<string>() == "One Deal Holdings").Select(o => o!).ToList();

        // Co-selling led by the registration that made the deal: that deal is the joint one, with Fabrikam invited onto it.
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind's deal is under way; Fabrikam helps." });
        var deals = DealsOnTheCustomer(await Api.Get(admin, "/api/v1/opportunities?pageSize=100"));
        deals.Should().ContainSingle("one customer, one deal").Which["id"]!.GetValue<string>().Should().Be(Api.Id(made!));
        deals[0]["participants"]!.AsArray().Should().Contain(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002" && p["role"]!.GetValue<string>() == "influenced");

        // Reopened and awarded to Fabrikam: the registration turned down takes its deal with it.
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam showed the signed pilot." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam's pilot is signed." });
        var turnedDown = await Api.Get(northwind, $"/api/v1/registrations/{ours["id"]}");
        turnedDown["status"]!.GetValue<string>().Should().Be("rejected");
        turnedDown["protectionEndsAt"].Should().BeNull("a registration turned down protects nothing");
        DealsOnTheCustomer(await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))
            .Should().OnlyContain(o => o["stage"]!.GetValue<string>() == "closedLost", "no deal on the customer stays open for the claim that lost it");
        (await Api.Post(rep, $"/api/v1/registrations/{theirs["id"]}/opportunity", new { }, HttpStatusCode.Created))["source"]!["referenceId"]!.GetValue<string>().Should().Be(Api.Id(theirs));
    }

    [Fact]
    public async Task ACoSoldDealAwardedBackWithoutCoSelling_LapsesTheUnansweredInvitation_AndARegistrationInAnOpenCaseWaitsForItsDeal()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, made, theirs, conflict) = await ApprovedThenRivalled("Lapsed Invite Ltd", "lapsed-invite.com", makeDeal: true);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell, Northwind leads." });
        var invitation = (await Api.Get(admin, $"/api/v1/opportunities/{Api.Id(made!)}"))["participants"]!.AsArray()
            .Single(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002")!["invitationId"]!.GetValue<string>();
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "The customer wants one partner." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind alone." });

        var deal = await Api.Get(admin, $"/api/v1/opportunities/{Api.Id(made!)}");
        deal["stage"]!.GetValue<string>().Should().NotStartWith("closed", "the awarded registration keeps its deal");
        deal["participants"]!.AsArray().Single(p => p!["invitationId"]!.GetValue<string>() == invitation)!["status"]!.GetValue<string>().Should().Be("expired");
        await Api.Problem(await Api.Send(fabrikam, HttpMethod.Post, $"/api/v1/invitations/{invitation}/accept"), HttpStatusCode.Conflict, "invitation.expired");
    }

    [Fact]
    public async Task ACoSellDecidedAgainAfterTheInvitationsDeadline_InvitesThePartnerAfresh()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, made, _, conflict) = await ApprovedThenRivalled("Overdue Invite Ltd", "overdue-invite.com", makeDeal: true);
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell, Northwind leads." });
        var first = (await Api.Get(admin, $"/api/v1/opportunities/{Api.Id(made!)}"))["participants"]!.AsArray()
            .Single(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002")!["invitationId"]!.GetValue<string>();
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam never answered." });

        // Past the invitation's deadline, before the expiry service has written it as lapsed.
        _app.Time.Advance(TimeSpan.FromHours(49));
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell again, Northwind leads." });

        var invitations = (await Api.Get(admin, $"/api/v1/opportunities/{Api.Id(made!)}"))["participants"]!.AsArray()
            .Where(p => p!["partnerId"]!.GetValue<string>() == "10000000-0000-0000-0000-000000000002").ToList();
        invitations.Single(p => p!["invitationId"]!.GetValue<string>() == first)!["status"]!.GetValue<string>().Should().Be("expired");
        var again = invitations.Single(p => p!["invitationId"]!.GetValue<string>() != first)!;
        again["status"]!.GetValue<string>().Should().Be("pending");
        var accepted = await Api.Post(fabrikam, $"/api/v1/invitations/{again["invitationId"]!.GetValue<string>()}/accept");
        accepted["participants"]!.AsArray().Should().Contain(p => p!["invitationId"]!.GetValue<string>() == again["invitationId"]!.GetValue<string>() && p["status"]!.GetValue<string>() == "accepted",
            "the partner the decision names is on the deal");
    }

    // Before, a client keeping a case by its ETag was told 304 once the case's SLA had passed, though the case now read
    // overdue: its version moves only when the escalation service records it.
    [Fact]
    public async Task ACasePastItsSla_IsReadInFull_ThoughItsVersionHasNotMovedYet()
    {
        var arbiter = await _app.ClientFor("arbiter");
        var (_, _, _, conflict) = await ApprovedThenRivalled("Overdue Read Ltd", "overdue-read.com", makeDeal: false);
        var path = $"/api/v1/conflicts/{conflict}";
        var read = await arbiter.GetAsync(path);
        (await Api.Body(read))["overdue"]!.GetValue<bool>().Should().BeFalse();
        HttpRequestMessage Again() => new(HttpMethod.Get, path) { Headers = { { "If-None-Match", read.Headers.ETag!.Tag } } };
        (await arbiter.SendAsync(Again())).StatusCode.Should().Be(HttpStatusCode.NotModified, "nothing changed yet");

        _app.Time.Advance(TimeSpan.FromHours(73));
        var overdue = await arbiter.SendAsync(Again());

        overdue.StatusCode.Should().Be(HttpStatusCode.OK);
        overdue.Headers.ETag.Should().Be(read.Headers.ETag, "no change has been recorded");
        (await Api.Body(overdue))["overdue"]!.GetValue<bool>().Should().BeTrue();
    }

    // Before, a reopening recorded with its reason read so on the parties' timelines, and older rows keep the reason.
    [Fact]
    public async Task AReopeningRecordedWithItsReason_ReadsToAPartnerWithoutIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var (ours, _, _, conflict) = await ApprovedThenRivalled("Old Reopen Ltd", "old-reopen.com", makeDeal: false);
        await _app.Db(async db =>
        {
            db.AuditEntries.Add(new CoSell.Infrastructure.Persistence.AuditEntry
            {
                AggregateType = "registration",
                AggregateId = Guid.Parse(Api.Id(ours)),
                Type = "registration.conflict_reopened",
                Actor = CoSell.Infrastructure.Seeding.DemoProgramme.Admin.ToString(),
                OccurredAt = _app.Time.GetUtcNow(),
                Summary = "The conflict case was reopened: Fabrikam showed an earlier signed NDA",
                Data = "{}",
            });
            await db.SaveChangesAsync();
            return 0;
        });

        var timeline = CoSelling.Summaries(await Api.Get(northwind, $"/api/v1/registrations/{Api.Id(ours)}/timeline?pageSize=100")).ToList();
        var vendor = CoSelling.Summaries(await Api.Get(await _app.ClientFor("admin"), $"/api/v1/registrations/{Api.Id(ours)}/timeline?pageSize=100")).ToList();

        timeline.Should().Contain("The conflict case was reopened by an admin; it will be decided again.").And.NotContain(line => line.Contains("Fabrikam", StringComparison.Ordinal));
        vendor.Should().Contain("The conflict case was reopened: Fabrikam showed an earlier signed NDA", "the log keeps what was written");
        conflict.Should().NotBeEmpty();
    }

    // Before, a first decision told a party whose claim had left the case that the case was "decided again" without it.
    [Fact]
    public async Task AFirstCoSellDecision_EndsTheDealOfAPartyWhoseClaimLeft_SayingSoRatherThanThatTheCaseWasDecidedAgain()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var adatum = await _app.ClientFor("partner.adatum");
        var manager = await _app.ClientFor("manager");
        var arbiter = await _app.ClientFor("arbiter");
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Left Party Inc", "left-party.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{Api.Id(ours)}/approve");
        var deal = Api.Id(await Api.Post(rep, $"/api/v1/registrations/{Api.Id(ours)}/opportunity", new { }, HttpStatusCode.Created));
        await Api.Post(fabrikam, $"/api/v1/invitations/{Api.Id(await CoSelling.Invite(rep, deal, CoSelling.Fabrikam))}/accept");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Left Party Inc", "left-party.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Left Party Inc", "left-party.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(third)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        await fabrikamHub.WatchOpportunity(deal);
        await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/withdraw", new { reason = "not ours" });
        var conflict = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(claim => claim!["claimId"]!.GetValue<string>() == Api.Id(theirs)))!["id"]!.GetValue<string>();

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell with Adatum." });

        var ended = await fabrikamHub.WaitFor<CoSell.Application.Abstractions.OpportunityChangedMessage>(m => m.Type == "opportunity.participation_ended");
        ended.Summary.Should().Be("The partner no longer co-sells this opportunity: the conflict case was decided without this party, whose claim had left it.");
    }

    [Fact]
    public async Task ACoSoldDealAwardedBackWithoutCoSelling_EndsTheAcceptedParticipation_ItsReadsWritesAndLiveFeed()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, deal, invitation, conflict) = await CoSoldWithFabrikamAccepted("Ended Co-Sell Ltd", "ended-co-sell.com");
        await using var fabrikamHub = await _app.HubFor("partner.fabrikam");
        await fabrikamHub.WatchOpportunity(deal);

        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "The customer wants one partner." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind alone." });

        // Fabrikam hears that it is off the deal, and from then on neither reads, works nor hears it.
        var ended = await fabrikamHub.WaitFor<CoSell.Application.Abstractions.OpportunityChangedMessage>(m => m.Type == "opportunity.participation_ended");
        ended.OpportunityId.Should().Be(Guid.Parse(deal));
        ended.Summary.Should().Be("The partner no longer co-sells this opportunity: the conflict case was decided without co-selling.");
        var current = await Api.Get(admin, $"/api/v1/opportunities/{deal}");
        current["participants"]!.AsArray().Single(p => p!["invitationId"]!.GetValue<string>() == invitation)!["status"]!.GetValue<string>().Should().Be("ended");
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/opportunities/{deal}"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/opportunities/{deal}/timeline"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await Api.Patch(fabrikam, $"/api/v1/opportunities/{deal}", new { nextStep = "Still here" }, Api.Version(current)), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/opportunities/{deal}/notes", new { visibility = "shared", body = "Still here?" }), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(fabrikam, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray().Should().NotContain(o => o!["id"]!.GetValue<string>() == deal);
        await Api.Post(northwind, $"/api/v1/opportunities/{deal}/notes", new { visibility = "shared", body = "Northwind alone now." }, HttpStatusCode.Created);
        await CoSelling.Marker(admin, fabrikamHub, CoSelling.Fabrikam);
        fabrikamHub.All<CoSell.Application.Abstractions.NoteAddedMessage>().Should().BeEmpty();
        await FluentActions.Awaiting(() => fabrikamHub.WatchOpportunity(deal)).Should().ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>();
    }

    [Fact]
    public async Task ACoSellWhoseOnlyOtherPartyIsSuspended_IsRefused_ChangingNothing_AndAnAwardEndsItsAcceptedPart_ForGood()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, deal, invitation, conflict) = await CoSoldWithFabrikamAccepted("Suspended Between Decisions Ltd", "suspended-between.com");
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Check the co-selling again." });

        var partner = await Api.Get(admin, $"/api/v1/partners/{CoSelling.Fabrikam}");
        var suspended = await Api.PatchOk(admin, $"/api/v1/partners/{CoSelling.Fabrikam}", new { status = "suspended" }, Api.Version(partner));
        try
        {
            await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Co-sell again, Northwind leads." }),
                HttpStatusCode.BadRequest, "conflict.cosell_needs_other_party");
            (await Api.Get(arbiter, $"/api/v1/conflicts/{conflict}"))["status"]!.GetValue<string>().Should().Be("open");
            (await Api.Get(admin, $"/api/v1/opportunities/{deal}"))["participants"]!.AsArray()
                .Single(p => p!["invitationId"]!.GetValue<string>() == invitation)!["status"]!.GetValue<string>().Should().Be("accepted", "a refused decision changes nothing");
            await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind alone while Fabrikam is suspended." });
        }
        finally
        {
            await Api.PatchOk(admin, $"/api/v1/partners/{CoSelling.Fabrikam}", new { status = "active" }, Api.Version(suspended));
        }

        (await Api.Get(admin, $"/api/v1/opportunities/{deal}"))["participants"]!.AsArray()
            .Single(p => p!["invitationId"]!.GetValue<string>() == invitation)!["status"]!.GetValue<string>().Should().Be("ended");
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/opportunities/{deal}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AClaimWithdrawnWhileADecisionStood_IsNoPartyToTheReopenedCase_NorToItsCoSelling()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Withdrawn Between Decisions", "withdrawn-between.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwind = await _app.ClientFor("partner.northwind");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = fabrikamClaim, rationale = "Fabrikam first." });
        await Api.Post(fabrikam, $"/api/v1/registrations/{fabrikamClaim}/withdraw", new { reason = "The customer chose Northwind after all." });

        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Fabrikam withdrew." });

        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "still here" }), HttpStatusCode.Conflict, "conflict.claim_left");
        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Northwind with Fabrikam." }),
            HttpStatusCode.BadRequest, "conflict.cosell_needs_other_party");
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind; nobody else is left." });
        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        asFabrikam["decision"]!["coSellWith"].Should().BeNull();
        asFabrikam["decision"]!["awardedClaimId"].Should().BeNull("a party that left is not told who won");
        (await Api.Get(northwind, $"/api/v1/conflicts/{id}"))["decision"]!["awardedToYou"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task ARegistrationWithdrawnDuringItsCase_LosesTheDealItWasMade_WhenTheRivalWins()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var (ours, made, theirs, conflict) = await ApprovedThenRivalled("Walked Away Inc", "walked-away.com", makeDeal: true);
        await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/withdraw", new { reason = "We stepped back." });

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam is the only live claim." });

        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(made!)}"))["stage"]!.GetValue<string>().Should().Be("closedLost");
        (await Api.Post(rep, $"/api/v1/registrations/{theirs["id"]}/opportunity", new { }, HttpStatusCode.Created))["stage"]!.GetValue<string>().Should().NotStartWith("closed");
    }

    [Fact]
    public async Task ACoSellLedByThePartner_ClosesTheDirectOpportunity_SoTheJointDealIsTheOneDeal_AndAReopeningFindsItLeft()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var direct = await CoSelling.OpenDirect(rep, _app, "Direct Then Joint GmbH", "direct-then-joint.de");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Direct Then Joint", "direct-then-joint.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        var conflict = await OpenCaseOf(theirs);
        List<JsonNode> OpenDeals(JsonObject list) => list["items"]!.AsArray()
            .Where(o => o!["customer"]!["name"]!.GetValue<string>().StartsWith("Direct Then Joint", StringComparison.Ordinal) && !o["stage"]!.GetValue<string>().StartsWith("closed", StringComparison.Ordinal))
            .Select(o => o!).ToList();

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam leads." });

        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}"))["stage"]!.GetValue<string>().Should().Be("closedLost", "the joint deal takes the direct one's place");
        var joint = OpenDeals(await Api.Get(admin, "/api/v1/opportunities?pageSize=100")).Should().ContainSingle("one customer, one deal").Which;
        joint["source"]!["kind"]!.GetValue<string>().Should().Be("conflictDecision");
        joint["ownerId"]!.GetValue<string>().Should().Be(direct["ownerId"]!.GetValue<string>(), "the direct rep works the joint deal");

        // Reopened: the direct opportunity, closed, is no claim now; the vendor cannot be awarded it, the partner can.
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "The vendor's own team is closer." });
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflict}"))["claims"]!.AsArray()
            .Single(c => c!["claimId"]!.GetValue<string>() == Api.Id(direct))!["status"]!.GetValue<string>().Should().Be("left");
        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(direct), rationale = "The direct team." }),
            HttpStatusCode.Conflict, "conflict.claim_not_live");
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam alone." });
        OpenDeals(await Api.Get(admin, "/api/v1/opportunities?pageSize=100")).Should().ContainSingle().Which["id"]!.GetValue<string>().Should().Be(joint["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACoSellLedByARegistrationMadeADealBeforeItsCase_PassesThatDealToTheCasesDirectRep()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Made Then Joint Inc", "made-then-joint.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/submit");
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{ours["id"]}/approve");
        var made = await Api.Post(rep, $"/api/v1/registrations/{ours["id"]}/opportunity", new { }, HttpStatusCode.Created);
        var secondRep = await _app.AddRepAsync();
        var directRep = Tokens.ClientWith(_app, _app.TokenForUnseeded(secondRep, "rep"));
        var direct = await CoSelling.OpenDirect(directRep, _app, "Made Then Joint Inc", "made-then-joint.com");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Made Then Joint Inc", "made-then-joint.com"));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        var conflict = await OpenCaseOf(theirs);
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflict}"))["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>())
            .Should().Contain(Api.Id(direct), "the direct rep is a party to the case");

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind leads, with the direct team and Fabrikam." });

        (await Api.Get(directRep, $"/api/v1/opportunities/{Api.Id(direct)}"))["stage"]!.GetValue<string>().Should().Be("closedLost", "the joint deal takes its place");
        var joint = await Api.Get(directRep, $"/api/v1/opportunities/{Api.Id(made)}");
        joint["ownerId"]!.GetValue<string>().Should().Be(secondRep.ToString(), "the case's direct rep co-sells on the joint deal, as it would own one the decision opened");
        (await Api.Get(directRep, $"/api/v1/opportunities/{Api.Id(made)}/timeline?pageSize=100"))["items"]!.AsArray()
            .Should().Contain(e => e!["type"]!.GetValue<string>() == "opportunity.owner_changed");
        await Api.Problem(await rep.GetAsync($"/api/v1/opportunities/{Api.Id(made)}"), HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACoSellInACaseWithTwoDirectReps_InvitesOnlyTheRepWhoWorksTheJointDeal_TheOtherWhoseDealClosedCoSellsNothing(bool awardedToADirectDeal)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var rep = await _app.ClientFor("rep");
        var (name, domain) = awardedToADirectDeal ? ("Two Reps Direct Ltd", "two-reps-direct.co.uk") : ("Two Reps Joint Ltd", "two-reps-joint.co.uk");
        var otherRep = Tokens.ClientWith(_app, _app.TokenForUnseeded(await _app.AddRepAsync(), "rep"));
        var first = await CoSelling.OpenDirect(rep, _app, name, domain);
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await CoSelling.OpenDirect(otherRep, _app, name, domain);
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, name, domain, "GB"));
        await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/submit");
        var conflict = await OpenCaseOf(ours);
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflict}"))["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>())
            .Should().Contain([Api.Id(first), Api.Id(second)], "both reps' deals are claims in the case");
        var awarded = awardedToADirectDeal ? Api.Id(first) : Api.Id(ours);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = awarded, rationale = "One deal, worked together." });

        // The rep whose deal is the joint one, or owns it (the one whose deal was opened first), co-sells; the other's deal
        // closed, and it is told it co-sells nothing.
        var open = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Where(o => o!["customer"]!["name"]!.GetValue<string>() == name && !o["stage"]!.GetValue<string>().StartsWith("closed", StringComparison.Ordinal))
            .Should().ContainSingle("one customer, one deal").Which!;
        open["ownerId"]!.GetValue<string>().Should().Be(first["ownerId"]!.GetValue<string>());
        var (working, left, leftDeal) = (rep, otherRep, second);
        (await Api.Get(left, $"/api/v1/opportunities/{Api.Id(leftDeal)}"))["stage"]!.GetValue<string>().Should().Be("closedLost");
        await Api.Problem(await left.GetAsync($"/api/v1/opportunities/{open["id"]}"), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(left, $"/api/v1/conflicts/{conflict}"))["decision"]!["coSellWith"].Should().BeNull("a rep whose deal the decision closed works no joint deal");
        (await Api.Get(working, $"/api/v1/opportunities/{open["id"]}"))["stage"]!.GetValue<string>().Should().NotStartWith("closed");
        if (!awardedToADirectDeal)
        {
            (await Api.Get(working, $"/api/v1/conflicts/{conflict}"))["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>()
                .Should().Be(Api.Id(ours), "the rep who owns the joint deal co-sells with the awarded partner");
        }
    }

    [Fact]
    public async Task APartnerAwardedOverADirectOpportunity_ClosesIt_AndADirectAwardKeepsIt()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var direct = await CoSelling.OpenDirect(rep, _app, "Partner Over Direct GmbH", "partner-over-direct.de");
        await CoSelling.Invite(rep, Api.Id(direct), "10000000-0000-0000-0000-000000000002");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Partner Over Direct", "partner-over-direct.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        var conflict = await OpenCaseOf(theirs);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam brought it." });

        var closed = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}");
        closed["stage"]!.GetValue<string>().Should().Be("closedLost", "the partner's deal is the one deal on the customer");
        closed["participants"]!.AsArray().Should().OnlyContain(p => p!["status"]!.GetValue<string>() != "pending", "an invitation to a closed deal cannot be taken up");
        await Api.Post(rep, $"/api/v1/registrations/{theirs["id"]}/opportunity", new { }, HttpStatusCode.Created);

        // Awarded to the vendor instead, the direct opportunity is the deal and stays open.
        var kept = await CoSelling.OpenDirect(rep, _app, "Direct Kept GmbH", "direct-kept.de");
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Direct Kept", "direct-kept.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{rival["id"]}/submit");
        await Api.Post(arbiter, $"/api/v1/conflicts/{await OpenCaseOf(rival)}/decision", new { decision = "award", awardedClaimId = Api.Id(kept), rationale = "The direct team was engaged first." });
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(kept)}"))["stage"]!.GetValue<string>().Should().Be("qualify");
    }

    [Fact]
    public async Task ADealOfAClaimAnOpenCaseBinds_IsNotClosedAsWon_UntilTheCaseIsDecided_AndAWonDealIsNotReopened()
    {
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var (ours, made, _, conflict) = await ApprovedThenRivalled("Won Too Soon Ltd", "won-too-soon.com", makeDeal: true);
        var deal = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(made!)}");

        var refused = await Api.Problem(await Api.Patch(rep, $"/api/v1/opportunities/{Api.Id(made!)}", new { stage = "closedWon" }, Api.Version(deal)), HttpStatusCode.Conflict, "opportunity.in_open_case");
        refused["detail"]!.GetValue<string>().Should().Contain(conflict);
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(made!)}"))["stage"]!.GetValue<string>().Should().Be(deal["stage"]!.GetValue<string>());

        // Decided in its favour, the deal is won; the case that stands behind a won deal is not reopened.
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind first." });
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(made!)}", new { stage = "closedWon" }, Api.Version(await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(made!)}")));
        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam objects." }), HttpStatusCode.Conflict, "conflict.deal_won");
        (await Api.Get(admin, $"/api/v1/conflicts/{conflict}"))["status"]!.GetValue<string>().Should().Be("decided");
    }

    [Fact]
    public async Task TheAwardedPartner_DoesNotCloseItsRegistrationAsWon_WhileTheJointDealIsOpen_SoTheCaseCanStillBeReopened()
    {
        var (conflict, northwindClaim, _) = await Collide("Joint Deal Open", "joint-deal-open.com");
        var northwind = await _app.ClientFor("partner.northwind");
        var admin = await _app.ClientFor("admin");
        await Api.Post(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Both bring value; Northwind leads." });
        var joint = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Single(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["source"]!["referenceId"]!.GetValue<string>() == conflict)!;
        var before = await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}");
        before["status"]!.GetValue<string>().Should().Be("approved");

        var refused = await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/registrations/{northwindClaim}/close", new { outcome = "won" }), HttpStatusCode.Conflict, "registration.opportunity_open");
        refused["detail"]!.GetValue<string>().Should().Contain(joint["id"]!.GetValue<string>(), "Northwind sources the joint deal and reads it");
        var after = await Api.Get(northwind, $"/api/v1/registrations/{northwindClaim}");
        (after["status"]!.GetValue<string>(), Api.Version(after)).Should().Be(("approved", Api.Version(before)));
        (await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}"))["stage"]!.GetValue<string>().Should().Be("qualify");

        // Nothing was won, so the decision can still be revisited.
        (await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam showed the signed pilot." }))["status"]!.GetValue<string>().Should().Be("open");
    }

    [Fact]
    public async Task ADirectOpportunityAnOpenCaseBinds_IsNotClosedAsWon_WhileTheCaseDecides()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var direct = await CoSelling.OpenDirect(rep, _app, "Direct Won Early GmbH", "direct-won-early.de");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Direct Won Early", "direct-won-early.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        var conflict = await OpenCaseOf(theirs);

        await Api.Problem(await Api.Patch(rep, $"/api/v1/opportunities/{Api.Id(direct)}", new { stage = "closedWon" }, Api.Version(direct)), HttpStatusCode.PreconditionFailed);
        var bound = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}");
        Api.Version(bound).Should().BeGreaterThan(Api.Version(direct), "the case that bound it moved its version on");
        await Api.Problem(await Api.Patch(rep, $"/api/v1/opportunities/{Api.Id(direct)}", new { stage = "closedWon" }, Api.Version(bound)), HttpStatusCode.Conflict, "opportunity.in_open_case");

        (await Api.Get(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{conflict}"))["claims"]!.AsArray()
            .Single(c => c!["claimId"]!.GetValue<string>() == Api.Id(direct))!["status"]!.GetValue<string>().Should().NotBe("left");
    }

    // Before, the case moved the deal's version on with no line and no push: every watcher kept the version before it, and
    // its next change (an amount, a note) was refused 412 with nothing on the feed or the timeline to say why.
    [Fact]
    public async Task ADirectOpportunityACaseBinds_TellsTheVendorsWatchersItsNewVersion_AndItsTimelineWhy()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var direct = await CoSelling.OpenDirect(rep, _app, "Bound Deal Told GmbH", "bound-deal-told.de");
        await using var repHub = await _app.HubFor("rep");
        await repHub.WatchOpportunity(Api.Id(direct));
        await using var managerHub = await _app.HubFor("manager");
        await managerHub.WatchOpportunity(Api.Id(direct));

        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Bound Deal Told", "bound-deal-told.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        await OpenCaseOf(theirs);

        var bound = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}");
        Api.Version(bound).Should().BeGreaterThan(Api.Version(direct));
        foreach (var hub in new[] { repHub, managerHub })
        {
            var told = await hub.WaitFor<CoSell.Application.Abstractions.OpportunityChangedMessage>(m => m.Type == "opportunity.conflict_bound");
            told.Version.Should().Be(Api.Version(bound), "the push carries the version the next change names");
            told.Summary.Should().Be("A conflict case now decides who holds this customer: another claim on the same customer arrived. The deal is worked as before until the case is decided.");
        }

        CoSelling.Summaries(await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}/timeline?pageSize=100")).Should().Contain(line => line.StartsWith("A conflict case now decides", StringComparison.Ordinal));
        await Api.Expect(await Api.Patch(rep, $"/api/v1/opportunities/{Api.Id(direct)}", new { nextStep = "Meet the buyer" }, Api.Version(bound)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACaseALaterCaseBindsAClaimOf_IsNotReopened_ForTheLaterCaseDecidesTheCustomer()
    {
        var (first, northwindClaim, _) = await Collide("Twice Claimed Corp", "twice-claimed.com");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var adatum = await _app.ClientFor("partner.adatum");
        await Api.Post(arbiter, $"/api/v1/conflicts/{first}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind first." });
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Twice Claimed Corp", "twice-claimed.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{third["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var later = await OpenCaseOf(third);
        later.Should().NotBe(first);

        var refused = await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{first}/reopen", new { reason = "Fabrikam objects." }), HttpStatusCode.Conflict, "conflict.superseded");
        refused["detail"]!.GetValue<string>().Should().Contain(later);

        // Once the later case is decided it still decides the customer: the first case stays as it was.
        await Api.Post(arbiter, $"/api/v1/conflicts/{later}/decision", new { decision = "award", awardedClaimId = Api.Id(third), rationale = "Adatum's pilot is signed." });
        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{first}/reopen", new { reason = "Fabrikam objects." }), HttpStatusCode.Conflict, "conflict.superseded");
        (await Api.Get(admin, $"/api/v1/conflicts/{first}"))["status"]!.GetValue<string>().Should().Be("decided");
    }

    [Fact]
    public async Task ACaseWhoseCustomerWasClaimedOutsideItSince_IsNotReopened_ForItWouldLeaveTwoClaims()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Claimed Since Ltd", "claimed-since.com");
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind first." });
        await Api.Post(northwind, $"/api/v1/registrations/{northwindClaim}/withdraw", new { reason = "Lost the customer." });
        var since = await Api.Create(adatum, Api.NewRegistration(_app, "Claimed Since Ltd", "claimed-since.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{since["id"]}/submit"))["status"]!.GetValue<string>().Should().NotBe("inConflict", "no live claim was left to collide with");

        var refused = await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{id}/reopen", new { reason = "Fabrikam objects." }), HttpStatusCode.Conflict, "conflict.customer_claimed");
        refused["detail"]!.GetValue<string>().Should().Contain(Api.Id(since));
        (await Api.Get(await _app.ClientFor("partner.fabrikam"), $"/api/v1/registrations/{fabrikamClaim}"))["status"]!.GetValue<string>().Should().Be("rejected", "nothing of the refused reopening is stored");
    }

    [Fact]
    public async Task AClaimWhoseExitIsStoredButNotYetFiled_DoesNotHoldAReopeningBack()
    {
        var (id, northwindClaim, _) = await Collide("Left Since Ltd", "left-since.com");
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var admin = await _app.ClientFor("admin");
        await Api.Post(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind first." });
        await Api.Post(northwind, $"/api/v1/registrations/{northwindClaim}/withdraw", new { reason = "Lost the customer." });
        var since = await Api.Create(adatum, Api.NewRegistration(_app, "Left Since Ltd", "left-since.com"));
        await Api.Post(adatum, $"/api/v1/registrations/{since["id"]}/submit");

        // Adatum's withdrawal as the store holds it once committed, before its events have reached the claims index.
        await _app.ExecuteSqlAsync($"UPDATE registrations SET Status = 'Withdrawn' WHERE upper(Id) = upper('{since["id"]}')");

        var reopened = await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Fabrikam objects." });
        reopened["status"]!.GetValue<string>().Should().Be("open");
    }

    // A reviewer may reject a registration returned for action (ADR 0024), but not one a case binds, as a case opened by
    // an earlier build left it: the rejection would be undone by a reopening, and the case would hear nothing of it.
    [Fact]
    public async Task ARegistrationReturnedForActionThatAnOpenCaseBinds_IsNotRejectedBesideTheCase()
    {
        var (id, _, fabrikamClaim) = await Collide("Bound While Returned", "bound-while-returned.com");
        await _app.ExecuteSqlAsync($"UPDATE registrations SET Status = 'ActionRequired' WHERE upper(Id) = upper('{fabrikamClaim}')");
        var manager = await _app.ClientFor("manager");

        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{fabrikamClaim}/reject", new { reason = "insufficientInformation" }), HttpStatusCode.Conflict, "registration.conflict_open");

        (await Api.Get(manager, $"/api/v1/registrations/{fabrikamClaim}"))["status"]!.GetValue<string>().Should().Be("actionRequired");
        (await Api.Get(await _app.ClientFor("arbiter"), $"/api/v1/conflicts/{id}"))["status"]!.GetValue<string>().Should().Be("open");
    }

    [Fact]
    public async Task ARegistrationReturnedForAction_IsHeldByTheCaseThatBindsIt_AndMovesToTheDecision()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwind = await _app.ClientFor("partner.northwind");
        var arbiter = await _app.ClientFor("arbiter");
        var returned = await Api.Create(fabrikam, Api.NewRegistration(_app, "Returned Then Rivalled", "returned-rivalled.com"));
        await Api.Post(fabrikam, $"/api/v1/registrations/{returned["id"]}/submit");
        await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{returned["id"]}/return", new { message = "Which division?" });
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Returned Then Rivalled", "returned-rivalled.com"));
        (await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var conflict = await OpenCaseOf(ours);

        var held = await Api.Get(fabrikam, $"/api/v1/registrations/{returned["id"]}");
        held["status"]!.GetValue<string>().Should().Be("inConflict", "a claim the case binds waits for its decision");
        await Api.Problem(await Api.PatchRegistration(fabrikam, Api.Id(returned), new { notes = "another customer now" }, Api.ETag(held)), HttpStatusCode.Conflict, "registration.not_editable");

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(returned), rationale = "Fabrikam first." });
        (await Api.Get(fabrikam, $"/api/v1/registrations/{returned["id"]}"))["status"]!.GetValue<string>().Should().Be("approved");
        (await Api.Get(northwind, $"/api/v1/registrations/{ours["id"]}"))["status"]!.GetValue<string>().Should().Be("rejected");
    }

    [Fact]
    public async Task AnApprovedRegistrationACaseBinds_SaysSoOnItsTimeline_AndItsVersionMovesOn()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Held Approved Inc", "held-approved.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{ours["id"]}/submit");
        var approved = await Api.Post(await _app.ClientFor("manager"), $"/api/v1/registrations/{ours["id"]}/approve");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Held Approved Inc", "held-approved.com"));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");

        var held = await Api.Get(northwind, $"/api/v1/registrations/{ours["id"]}");
        held["status"]!.GetValue<string>().Should().Be("approved");
        Api.Version(held).Should().BeGreaterThan(Api.Version(approved), "what was decided on the registration as it was, a conversion, does not commit beside the case");
        var timeline = await Api.Get(northwind, $"/api/v1/registrations/{ours["id"]}/timeline?pageSize=100");
        var entry = timeline["items"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "registration.conflict_held")!;
        entry.ToJsonString().Should().NotContain(Api.Id(theirs), "the rival's claim is not named to this partner")
            .And.NotContain("10000000-0000-0000-0000-000000000002", "nor the rival partner");
    }

    [Fact]
    public async Task AnApprovedRegistrationAnOpenCaseBinds_IsMadeADealOnlyOnceTheCaseAwardsIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var (ours, _, theirs, conflict) = await ApprovedThenRivalled("Waiting Deal Co", "waiting-deal.com", makeDeal: false);
        (await Api.Get(northwind, $"/api/v1/registrations/{ours["id"]}"))["status"]!.GetValue<string>().Should().Be("approved", "an approved claim the case binds keeps its protection");

        var refused = await Api.Problem(await Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{ours["id"]}/opportunity", "{}"), HttpStatusCode.Conflict, "registration.in_open_case");
        refused["detail"]!.GetValue<string>().Should().Contain(conflict);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind first." });
        await Api.Post(rep, $"/api/v1/registrations/{ours["id"]}/opportunity", new { }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task AJointDealAwardedBackToItsSource_StaysItsDeal_AndAPartyNoLongerInvitedLosesItsInvitation()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Kept Joint Ltd", "kept-joint.com");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        var adatum = await _app.ClientFor("partner.adatum");
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Kept Joint Ltd", "kept-joint.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{third["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Northwind leads; both help." });
        var joint = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Single(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["source"]!["referenceId"]!.GetValue<string>() == id)!;
        string StatusOf(JsonNode deal, string partner) =>
            deal["participants"]!.AsArray().Single(p => p!["partnerId"]!.GetValue<string>() == partner)!["status"]!.GetValue<string>();
        StatusOf(joint, "10000000-0000-0000-0000-000000000003").Should().Be("pending");

        // Reopened; Adatum withdraws; co-sold again: Adatum, no party now, loses the invitation it never took up.
        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Adatum is reconsidering." });
        await Api.Post(adatum, $"/api/v1/registrations/{third["id"]}/withdraw", new { reason = "Not for us." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Northwind leads; Fabrikam helps." });
        var again = await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}");
        StatusOf(again, "10000000-0000-0000-0000-000000000003").Should().Be("expired");
        StatusOf(again, "10000000-0000-0000-0000-000000000002").Should().Be("pending");

        // Reopened and awarded to Northwind alone: the joint deal Northwind sourced stays its deal, Fabrikam's invitation lapses.
        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "The customer wants one partner." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Northwind alone." });
        var kept = await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}");
        kept["stage"]!.GetValue<string>().Should().NotStartWith("closed");
        StatusOf(kept, "10000000-0000-0000-0000-000000000002").Should().Be("expired");
        await Api.Problem(await Api.Send(await _app.ClientFor("rep"), HttpMethod.Post, $"/api/v1/registrations/{northwindClaim}/opportunity", "{}"), HttpStatusCode.Conflict, "opportunity.registration_already_converted");
    }

    [Fact]
    public async Task ADirectOpportunityClosedWhileADecisionStood_IsNoPartyToTheReopenedCase()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var direct = await CoSelling.OpenDirect(rep, _app, "Closed Between GmbH", "closed-between.de");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Closed Between", "closed-between.de", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{theirs["id"]}/submit");
        var conflict = await OpenCaseOf(theirs);
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam brought it." });
        var current = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(direct)}", new { stage = "closedLost" }, Api.Version(current));

        await Api.Post(await _app.ClientFor("admin"), $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Checking again." });

        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/statements", new { text = "We still care." }), HttpStatusCode.Conflict, "conflict.claim_left");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflict}"))["claims"]!.AsArray()
            .Single(c => c!["claimId"]!.GetValue<string>() == Api.Id(direct))!["status"]!.GetValue<string>().Should().Be("left");
    }

    [Fact]
    public async Task APartyWhoseClaimLeftTheCase_AddsNoStatement_AndLearnsNoCoSellingParty()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Left Behind Bank", "left-behind-bank.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        await Api.Post(fabrikam, $"/api/v1/conflicts/{id}/statements", new { text = "We met the CFO." });
        var adatum = await _app.ClientFor("partner.adatum");
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Left Behind Bank", "left-behind-bank.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{third["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        await Api.Post(fabrikam, $"/api/v1/registrations/{fabrikamClaim}/withdraw", new { reason = "Lost interest." });

        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "still here" }), HttpStatusCode.Conflict, "conflict.claim_left");
        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        asFabrikam["claims"]!.AsArray().Single()!["status"]!.GetValue<string>().Should().Be("left");
        asFabrikam["statements"]!.AsArray().Should().ContainSingle("what it said before it left stays on the case");

        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Northwind leads; Adatum helps." });

        asFabrikam = await Api.Get(fabrikam, $"/api/v1/conflicts/{id}");
        asFabrikam["decision"]!["coSellWith"].Should().BeNull("a party that left co-sells nothing");
        asFabrikam["decision"]!["awardedClaimId"].Should().BeNull();
        var asAdatum = await Api.Get(adatum, $"/api/v1/conflicts/{id}");
        asAdatum["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>().Should().Be(northwindClaim);
        var asNorthwind = await Api.Get(await _app.ClientFor("partner.northwind"), $"/api/v1/conflicts/{id}");
        asNorthwind["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>().Should().Be(Api.Id(third), "the awarded party is told of the party that co-sells, not of the one that left");
    }

    [Fact]
    public async Task ACoSellWithTwoInvitedParties_NamesBothToTheVendorAndTheAwardedParty_AndOnlyTheAwardedOneToEach()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Two Helpers Bank", "two-helpers-bank.com");
        var adatum = await _app.ClientFor("partner.adatum");
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Two Helpers Bank", "two-helpers-bank.com"));
        (await Api.Post(adatum, $"/api/v1/registrations/{third["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var arbiter = await _app.ClientFor("arbiter");

        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "coSell", awardedClaimId = northwindClaim, rationale = "Northwind leads; both help." });

        static IEnumerable<string> CoSellers(JsonNode decision) => decision["coSellWith"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>());
        CoSellers((await Api.Get(await _app.ClientFor("partner.northwind"), $"/api/v1/conflicts/{id}"))["decision"]!).Should().BeEquivalentTo([fabrikamClaim, Api.Id(third)]);
        CoSellers((await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["decision"]!).Should().BeEquivalentTo([fabrikamClaim, Api.Id(third)]);
        CoSellers((await Api.Get(await _app.ClientFor("partner.fabrikam"), $"/api/v1/conflicts/{id}"))["decision"]!).Should().Equal(northwindClaim);
        CoSellers((await Api.Get(adatum, $"/api/v1/conflicts/{id}"))["decision"]!).Should().Equal(northwindClaim);
    }

    [Fact]
    public async Task WhenTheRecommendedClaimIsWithdrawn_TheCaseRecommendsTheClaimStillInIt()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Recommended Then Gone", "recommended-then-gone.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["recommendedClaimId"]!.GetValue<string>().Should().Be(northwindClaim, "Northwind registered first");
        (await Api.Get(fabrikam, $"/api/v1/conflicts/{id}"))["recommendationIsYours"]!.GetValue<bool>().Should().BeFalse();

        await Api.Post(await _app.ClientFor("partner.northwind"), $"/api/v1/registrations/{northwindClaim}/withdraw", new { reason = "The customer went elsewhere." });

        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["recommendedClaimId"]!.GetValue<string>().Should().Be(fabrikamClaim);
        (await Api.Get(fabrikam, $"/api/v1/conflicts/{id}"))["recommendationIsYours"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task AClaimWithdrawnWhileTheCaseIsOpen_IsOnTheCasesTimeline_ForTheArbiterOnly()
    {
        var (id, _, fabrikamClaim) = await Collide("Withdrawn Rival", "withdrawn-rival.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var northwind = await _app.ClientFor("partner.northwind");
        var arbiter = await _app.ClientFor("arbiter");

        await Api.Post(fabrikam, $"/api/v1/registrations/{fabrikamClaim}/withdraw", new { reason = "Customer chose Northwind." });

        var conflict = await Api.Get(arbiter, $"/api/v1/conflicts/{id}");
        conflict["status"]!.GetValue<string>().Should().Be("open", "the arbiter still decides it, knowing");
        conflict["log"]!.AsArray().Should().ContainSingle(l => l!["kind"]!.GetValue<string>() == "claimLeft")
            .Which!["text"]!.GetValue<string>().Should().Contain(fabrikamClaim).And.Contain("withdrawn");
        (await Api.Get(northwind, $"/api/v1/conflicts/{id}"))["log"].Should().BeNull("a party reads its own claim and the decision, not the rival's doings");
    }

    [Fact]
    public async Task ASuspendedPartnersClaim_IsNotAwarded_AndTheCaseStaysOpen()
    {
        var admin = await _app.ClientFor("admin");
        var northwind = await _app.ClientFor("partner.northwind");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Suspended Claimant Inc", tier = "gold", territories = new[] { "US" }, channelManagerId = "00000000-0000-0000-0000-0000000000c1" }, HttpStatusCode.Created);
        var claimant = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var first = await Api.Create(claimant, Api.NewRegistration(_app, "Suspended Award Co", "suspended-award.com"));
        await Api.Post(claimant, $"/api/v1/registrations/{Api.Id(first)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Api.Create(northwind, Api.NewRegistration(_app, "Suspended Award Co", "suspended-award.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(second)}/submit");
        var arbiter = await _app.ClientFor("arbiter");
        var conflictId = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(second)))!["id"]!.GetValue<string>();
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { status = "suspended" }, Api.Version(partner));

        var refused = await Api.Send(arbiter, HttpMethod.Post, $"/api/v1/conflicts/{conflictId}/decision", new { decision = "award", awardedClaimId = Api.Id(first), rationale = "First to register." });

        await Api.Problem(refused, HttpStatusCode.Conflict, "partner.suspended");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflictId}"))["status"]!.GetValue<string>().Should().Be("open");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(first)}"))["status"]!.GetValue<string>().Should().NotBe("approved");
    }

    [Fact]
    public async Task ACoSellDecision_NamesOnlyTheInvitedParty_NotASuspendedOne()
    {
        var admin = await _app.ClientFor("admin");
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Suspended Rival Inc", tier = "gold", territories = new[] { "US" }, channelManagerId = "00000000-0000-0000-0000-0000000000c1" }, HttpStatusCode.Created);
        var rival = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var ours = await Api.Create(northwind, Api.NewRegistration(_app, "Suspended Rival Co", "suspended-rival.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(rival, Api.NewRegistration(_app, "Suspended Rival Co", "suspended-rival.com"));
        await Api.Post(rival, $"/api/v1/registrations/{Api.Id(theirs)}/submit");
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        var third = await Api.Create(adatum, Api.NewRegistration(_app, "Suspended Rival Co", "suspended-rival.com"));
        await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(third)}/submit");
        var conflict = await OpenCaseOf(third);
        var arbiter = await _app.ClientFor("arbiter");
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind leads; both help." });
        var joint = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Single(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision" && o["source"]!["referenceId"]!.GetValue<string>() == conflict)!;
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { status = "suspended" }, Api.Version(partner));
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "The rival is suspended." });

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind leads; Adatum helps." });

        (await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}"))["participants"]!.AsArray()
            .Single(p => p!["partnerId"]!.GetValue<string>() == Api.Id(partner))!["status"]!.GetValue<string>().Should().Be("expired", "a suspended partner co-sells nothing");

        (await Api.Get(northwind, $"/api/v1/conflicts/{conflict}"))["decision"]!["coSellWith"]!.AsArray().Single()!["partnerId"]!.GetValue<string>()
            .Should().Be("10000000-0000-0000-0000-000000000003", "the suspended rival was not invited, so it is nobody's counterpart");
        (await Api.Get(adatum, $"/api/v1/conflicts/{conflict}"))["decision"]!["coSellWith"]!.AsArray().Single()!["claimId"]!.GetValue<string>().Should().Be(Api.Id(ours));
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { status = "active" }, Api.Version(await Api.Get(admin, $"/api/v1/partners/{Api.Id(partner)}")));
        var asRival = await Api.Get(rival, $"/api/v1/conflicts/{conflict}");
        asRival["decision"]!["coSellWith"].Should().BeNull("reinstated, it still was not a party to the co-selling");
        asRival["decision"]!["awardedClaimId"].Should().BeNull();
    }

    [Fact]
    public async Task ASubmissionJoiningACase_BringsTheOtherLiveClaimsItCollidesWith_IntoTheCase()
    {
        var adatum = await _app.ClientFor("partner.adatum");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var first = await Api.Create(adatum, Api.NewRegistration(_app, "Rival Leak KK", "rivalleak.co.jp", "JP", 90_000m));
        await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(first)}/submit");
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Rival Leak KK", "rivalleak.co.jp", "JP", 90_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(rival)}/submit");
        var second = await Api.Create(adatum, Api.NewRegistration(_app, "Rival Leak Two KK", "rivalleak2.co.jp", "JP", 90_000m));
        (await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(second)}/submit"))["status"]!.GetValue<string>().Should().Be("submitted");

        var joining = await Api.Create(fabrikam, Api.NewRegistration(_app, "Rival Leak Two KK", "rivalleak2.co.jp", "JP", 90_000m));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(joining)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        var cases = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray();
        var holding = cases.Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(joining)))!;
        holding["claims"]!.AsArray().Select(cl => cl!["claimId"]!.GetValue<string>()).Should().Contain(Api.Id(second),
            "the exact duplicate the submission collides with is decided with it, not approved on its own meanwhile");
        (await Api.Get(arbiter, $"/api/v1/registrations/{Api.Id(second)}"))["status"]!.GetValue<string>().Should().Be("inConflict");
    }

    // Before, the jobs ran only a whole interval after a start: a case that fell overdue while the service was down
    // waited that long to be escalated, and a service restarted more often than its interval never escalated it.
    [Fact]
    public async Task ACaseThatFellOverdueWhileTheServiceWasDown_IsEscalatedAsItStarts()
    {
        var app = new CoSellApp();
        try
        {
            var northwind = await app.ClientFor("partner.northwind");
            var fabrikam = await app.ClientFor("partner.fabrikam");
            await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(await Api.Create(northwind, Api.NewRegistration(app, "Down Overnight Ltd", "down-overnight.com")))}/submit");
            var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, "Down Overnight Ltd", "down-overnight.com"));
            (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
            var id = (await Api.Get(await app.ClientFor("admin"), "/api/v1/conflicts?status=open"))["items"]!.AsArray().Single()!["id"]!.GetValue<string>();

            var restarted = app.Restart();
            app = restarted;
            restarted.Time.Advance(TimeSpan.FromHours(100));
            var admin = await restarted.ClientFor("admin");

            System.Text.Json.Nodes.JsonObject conflict;
            var waited = 0;
            do
            {
                await Task.Delay(50);
                conflict = await Api.Get(admin, $"/api/v1/conflicts/{id}");
            }
            while (conflict["escalatedAt"] is null && ++waited < 200);

            conflict["escalatedAt"].Should().NotBeNull("the escalation runs as the service starts, not an interval (here ten days) later");
        }
        finally
        {
            app.Dispose();
        }
    }

    [Fact]
    public async Task OverdueCase_IsEscalatedOnce_AndTheLogRecordsIt()
    {
        var (id, _, _) = await Collide("Slow Deciders", "slow-deciders.com");
        var escalation = _app.Services.GetRequiredService<ConflictEscalationService>();
        var admin = await _app.ClientFor("admin");

        _app.Time.Advance(TimeSpan.FromHours(73));
        (await escalation.RunOnceAsync(CancellationToken.None)).Should().BeGreaterThanOrEqualTo(1);
        (await escalation.RunOnceAsync(CancellationToken.None)).Should().Be(0, "a case is escalated once");

        var conflict = await Api.Get(admin, $"/api/v1/conflicts/{id}");
        conflict["overdue"]!.GetValue<bool>().Should().BeTrue();
        conflict["escalatedAt"].Should().NotBeNull();
        conflict["log"]!.AsArray().Count(l => l!["kind"]!.GetValue<string>() == "escalated").Should().Be(1);
        var overdue = await Api.Get(admin, "/api/v1/conflicts?overdue=true&pageSize=100");
        overdue["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Should().Contain(id);
    }

    [Fact]
    public async Task Reopen_AppendsToTheLog_AndNeverRewritesTheEarlierDecision()
    {
        var (id, northwindClaim, fabrikamClaim) = await Collide("Second Thoughts", "second-thoughts.com");
        var arbiter = await _app.ClientFor("arbiter");
        var admin = await _app.ClientFor("admin");
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = fabrikamClaim, rationale = "First rationale." });

        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{id}/reopen", new { reason = "" }), HttpStatusCode.BadRequest);
        var reopened = await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "New evidence from the customer." });
        var decided = await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = northwindClaim, rationale = "Second rationale." });

        reopened["status"]!.GetValue<string>().Should().Be("open");
        var log = decided["log"]!.AsArray().Select(l => (l!["kind"]!.GetValue<string>(), l["text"]!.GetValue<string>())).ToList();
        log.Should().ContainInOrder(("decided", "First rationale."), ("reopened", "New evidence from the customer."), ("decided", "Second rationale."));
        var rewrite = () => _app.Db(db => db.Database.ExecuteSqlRawAsync("UPDATE conflict_decision_log SET Text = 'rewritten'"));
        await rewrite.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().WithMessage("*append-only*");
    }

    [Fact]
    public async Task Statements_RefuseNonHttpLinksAndOversizedText_AndChangeNothing()
    {
        var (id, _, _) = await Collide("Evidence Co", "evidence-co.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");

        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "see", links = new[] { "javascript:alert(1)" } }), HttpStatusCode.BadRequest);
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "see", links = new[] { "ftp://files.example.org/x" } }), HttpStatusCode.BadRequest);
        // A direction control that shows …/exe.pdf, and a user name that hides the real host.
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "see", links = new[] { "https://example.com/\u202Efdp.exe" } }), HttpStatusCode.BadRequest);
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "see", links = new[] { "https://trusted.example@elsewhere.example/" } }), HttpStatusCode.BadRequest);
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = new string('x', 9000) }), HttpStatusCode.BadRequest);
        await Api.Problem(await arbiter.PostAsJsonAsync($"/api/v1/conflicts/{id}/statements", new { text = "arbiters do not add claims" }), HttpStatusCode.Forbidden);

        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["statements"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task ACaseAnAdminOpensByHand_IsAnAdminsOnThePartnersTimeline()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Admin Opened KK", "admin-opened.jp", "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        var second = await Api.Create(adatum, Api.NewRegistration(_app, "Admino Opened Kabushiki Kaisha", null, "JP"));
        await Api.Post(adatum, $"/api/v1/registrations/{second["id"]}/submit");

        await Api.Post(await _app.ClientFor("admin"), "/api/v1/conflicts", new { registrationId = second["id"], withClaims = new[] { first["id"] } }, HttpStatusCode.Created);

        (await Api.Get(adatum, $"/api/v1/registrations/{second["id"]}/timeline"))["items"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>())
            .Should().Contain("Moved to conflict handling: an admin opened a case on this customer with another party's claim.");
    }

    [Fact]
    public async Task AClaimBroughtByHandIntoAnOpenCase_JoinsItAsTheManagersDoing()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Brought In KK", "brought-in.jp", "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        var rival = await Api.Create(fabrikam, Api.NewRegistration(_app, "Brought In KK", "brought-in.jp", "JP"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{rival["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var missed = await Api.Create(northwind, Api.NewRegistration(_app, "Xenon Widgets KK", null, "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{missed["id"]}/submit");
        var another = await Api.Create(fabrikam, Api.NewRegistration(_app, "Zulu Gadgets KK", null, "JP"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{another["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("submitted");

        await Api.Post(manager, "/api/v1/conflicts", new { registrationId = missed["id"], withClaims = new[] { rival["id"], another["id"] } }, HttpStatusCode.Created);

        var joined = (await Api.Get(fabrikam, $"/api/v1/registrations/{another["id"]}/timeline"))["items"]!.AsArray()
            .Single(e => e!["summary"]!.GetValue<string>().StartsWith("Moved to conflict handling", StringComparison.Ordinal))!;
        joined["summary"]!.GetValue<string>().Should().Be("Moved to conflict handling: a channel manager brought this claim into the open case on this customer.");
        joined["actor"]!.GetValue<string>().Should().Be(CoSell.Infrastructure.Seeding.DemoProgramme.Manager.ToString());
    }

    [Fact]
    public async Task ChannelManager_CanOpenACaseByHand_AndMeasuresCountIt()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var manager = await _app.ClientFor("manager");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Hand Opened KK", "hand-opened.jp", "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        // Written without a domain, the second claim slips past the duplicate check; the manager spots it.
        var second = await Api.Create(adatum, Api.NewRegistration(_app, "Hando Opened Kabushiki Kaisha", null, "JP"));
        (await Api.Post(adatum, $"/api/v1/registrations/{second["id"]}/submit"))["status"]!.GetValue<string>().Should().Be("submitted");
        var before = await Api.Get(manager, "/api/v1/conflicts/measures");
        // A case binds claims on one customer, opened by the manager the registration is routed to.
        var elsewhere = await Api.Create(await _app.ClientFor("partner.fabrikam"), Api.NewRegistration(_app, "Unrelated Gmbh", "unrelated-gmbh.de", "DE"));
        await Api.Post(await _app.ClientFor("partner.fabrikam"), $"/api/v1/registrations/{elsewhere["id"]}/submit");
        await Api.Problem(await manager.PostAsJsonAsync("/api/v1/conflicts", new { registrationId = second["id"], withClaims = new[] { elsewhere["id"] } }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await (await _app.ClientFor("manager2")).PostAsJsonAsync("/api/v1/conflicts", new { registrationId = second["id"], withClaims = new[] { first["id"] } }), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(manager, "/api/v1/conflicts/measures"))["openNow"]!.GetValue<int>().Should().Be(before["openNow"]!.GetValue<int>(), "the refused openings opened nothing");

        var opened = await manager.PostAsJsonAsync("/api/v1/conflicts", new { registrationId = second["id"], withClaims = new[] { first["id"] } });

        await Api.Expect(opened, HttpStatusCode.Created);
        var after = await Api.Get(manager, "/api/v1/conflicts/measures");
        after["openNow"]!.GetValue<int>().Should().Be(before["openNow"]!.GetValue<int>() + 1);
        (await Api.Get(adatum, $"/api/v1/registrations/{second["id"]}"))["status"]!.GetValue<string>().Should().Be("inConflict");
        // Its timeline says who took it to a case, not that a check found a likely duplicate, which none did.
        var moved = (await Api.Get(adatum, $"/api/v1/registrations/{second["id"]}/timeline"))["items"]!.AsArray()
            .Select(e => e!["summary"]!.GetValue<string>()).Single(s => s.StartsWith("Moved to conflict handling", StringComparison.Ordinal));
        moved.Should().Be("Moved to conflict handling: its channel manager opened a case on this customer with another party's claim.");
        // The claim it named says so too, as the manager's doing: no claim arrived.
        var named = (await Api.Get(northwind, $"/api/v1/registrations/{first["id"]}/timeline"))["items"]!.AsArray()
            .Single(e => e!["summary"]!.GetValue<string>().StartsWith("Moved to conflict handling", StringComparison.Ordinal))!;
        named["summary"]!.GetValue<string>().Should().Be("Moved to conflict handling: a channel manager opened a case on this customer that binds this claim.");
        named["actor"]!.GetValue<string>().Should().Be(CoSell.Infrastructure.Seeding.DemoProgramme.Manager.ToString());
        await Api.Problem(await manager.PostAsJsonAsync("/api/v1/conflicts", new { registrationId = Guid.NewGuid() }), HttpStatusCode.NotFound);
        await Api.Problem(await northwind.PostAsJsonAsync("/api/v1/conflicts", new { registrationId = first["id"] }), HttpStatusCode.Forbidden);

        // Opening it again answers the same, naming the case, whether or not the rival claim is named.
        var caseId = (await Api.Body(opened))["id"]!.GetValue<string>();
        foreach (var again in new object[] { new { registrationId = second["id"] }, new { registrationId = second["id"], withClaims = new[] { first["id"] } } })
        {
            var problem = await Api.Problem(await manager.PostAsJsonAsync("/api/v1/conflicts", again), HttpStatusCode.Conflict, "conflict.already_open");
            problem["detail"]!.GetValue<string>().Should().Contain(caseId);
        }

        (await Api.Get(manager, "/api/v1/conflicts/measures"))["openNow"]!.GetValue<int>().Should().Be(before["openNow"]!.GetValue<int>() + 1);

        // What the answer says to do: a claim the case missed is brought in by opening for it, naming a bound one.
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var missed = await Api.Create(fabrikam, Api.NewRegistration(_app, "Hand-Opened K.K. Japan", null, "JP"));
        await Api.Post(fabrikam, $"/api/v1/registrations/{missed["id"]}/submit");
        var joined = await Api.Body(await manager.PostAsJsonAsync("/api/v1/conflicts", new { registrationId = missed["id"], withClaims = new[] { second["id"] } }));
        joined["id"]!.GetValue<string>().Should().Be(caseId);
        joined["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>()).Should().Contain(missed["id"]!.GetValue<string>()).And.HaveCount(3);
        (await Api.Get(manager, "/api/v1/conflicts/measures"))["openNow"]!.GetValue<int>().Should().Be(before["openNow"]!.GetValue<int>() + 1);
    }

    [Fact]
    public async Task EscalationService_RunsOnItsTimer_WhenTimeMoves()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var admin = await app.ClientFor("admin");
        var first = await Api.Create(northwind, Api.NewRegistration(app, "Timer Driven", "timer-driven.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        var second = await Api.Create(fabrikam, Api.NewRegistration(app, "Timer Driven", "timer-driven.com", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{second["id"]}/submit");

        app.Time.Advance(TimeSpan.FromDays(10));

        var list = await Api.Eventually(() => Api.Get(admin, "/api/v1/conflicts"), l => l["items"]!.AsArray()[0]!["escalatedAt"] is not null);

        list["items"]!.AsArray()[0]!["escalatedAt"].Should().NotBeNull("the hosted service ticks on the injected TimeProvider");
    }

    [Fact]
    public async Task ACoSellDecisionAfterTheAwardedRegistrationsCloseDatePassed_OpensTheJointDealFromToday()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var first = await Api.Create(northwind, Api.NewRegistration(app, "Late Decision AG", "late-decision.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");
        var second = await Api.Create(fabrikam, Api.NewRegistration(app, "Late Decision AG", "late-decision.com", "DE", 10_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{second["id"]}/submit");
        var admin = await app.ClientFor("admin");
        var conflict = (await Api.Get(admin, "/api/v1/conflicts"))["items"]!.AsArray()[0]!["id"]!.GetValue<string>();

        app.Time.Advance(TimeSpan.FromDays(61));
        // The case is overdue now: the escalation service changes it on its own, and the decision comes after that.
        await Api.Eventually(() => Api.Get(admin, $"/api/v1/conflicts/{conflict}"), c => c["escalatedAt"] is not null);
        await Api.Post(await app.ClientFor("arbiter"), $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(first), rationale = "Both; Northwind leads." });

        var joint = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray().Single(o => o!["source"]!["kind"]!.GetValue<string>() == "conflictDecision")!;
        joint["closeDate"]!.GetValue<string>().Should().Be(DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd"));
    }
}
