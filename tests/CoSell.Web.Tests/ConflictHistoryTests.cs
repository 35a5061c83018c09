using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>Conflict cases over time: a later case on a customer an earlier one decided, and what a reopening may not undo.</summary>
public sealed class ConflictHistoryTests
{
    private static async Task<string> OpenCaseOf(CoSellApp app, JsonObject registration)
    {
        var admin = await app.ClientFor("admin");
        return (await Api.Get(admin, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(registration)))!["id"]!.GetValue<string>();
    }

    /// <summary>Northwind registers the customer, then Fabrikam: Fabrikam's submission collides, and a case binds both.</summary>
    private static async Task<(JsonObject Ours, JsonObject Theirs, string Case)> CollideAsync(CoSellApp app, string name, string domain)
    {
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var ours = await Api.Create(northwind, Api.NewRegistration(app, name, domain));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, name, domain));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        return (ours, theirs, await OpenCaseOf(app, theirs));
    }

    private static List<JsonNode> OpenDealsOn(JsonObject list, string prefix) => list["items"]!.AsArray()
        .Where(o => o!["customer"]!["name"]!.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal) && !o["stage"]!.GetValue<string>().StartsWith("closed", StringComparison.Ordinal))
        .Select(o => o!).ToList();

    /// <summary>
    /// A first case co-sells Northwind's registration (its joint deal opened), then Adatum's claim on the same customer
    /// opens a later case binding it and Northwind's registration.
    /// </summary>
    private static async Task<(JsonObject Ours, JsonNode Joint, JsonObject Third, string First, string Later)> CoSoldThenClaimedAgainAsync(CoSellApp app, string name, string domain)
    {
        var adatum = await app.ClientFor("partner.adatum");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        var (ours, _, first) = await CollideAsync(app, name, domain);
        await Api.Post(arbiter, $"/api/v1/conflicts/{first}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind leads." });
        var joint = OpenDealsOn(await Api.Get(admin, "/api/v1/opportunities?pageSize=100"), name).Should().ContainSingle().Which;

        app.Time.Advance(TimeSpan.FromMinutes(5));
        var third = await Api.Create(adatum, Api.NewRegistration(app, $"{name} Inc", domain));
        (await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(third)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        return (ours, joint, third, first, await OpenCaseOf(app, third));
    }

    [Fact]
    public async Task Measures_KeepADecisionAndTheSlaItBroke_AfterTheCaseIsReopened_AndTimeTheNextRoundFromTheReopening()
    {
        using var app = new CoSellApp();
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var start = app.Time.GetUtcNow();
        var sla = (await Api.Get(admin, "/api/v1/rules"))["conflictSlaHours"]!.GetValue<int>();
        var (ours, _, id) = await CollideAsync(app, "Measured Twice Ltd", "measured-twice.com");
        string Measures(DateTimeOffset to) =>
            $"/api/v1/conflicts/measures?from={Uri.EscapeDataString(start.ToString("o"))}&to={Uri.EscapeDataString(to.ToString("o"))}";

        app.Time.Advance(TimeSpan.FromHours(sla + 28));
        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Registered first, decided late." });
        var firstRound = app.Time.GetUtcNow().AddMinutes(1);
        var decided = await Api.Get(admin, Measures(firstRound));
        (decided["decidedInPeriod"]!.GetValue<int>(), decided["slaBreachesInPeriod"]!.GetValue<int>(), decided["medianHoursToDecision"]!.GetValue<double>())
            .Should().Be((1, 1, sla + 28));

        app.Time.Advance(TimeSpan.FromHours(1));
        await Api.Post(admin, $"/api/v1/conflicts/{id}/reopen", new { reason = "Fabrikam showed a signed pilot." });
        app.Time.Advance(TimeSpan.FromHours(2));
        var reopened = await Api.Get(admin, Measures(firstRound));
        (reopened["decidedInPeriod"]!.GetValue<int>(), reopened["slaBreachesInPeriod"]!.GetValue<int>(), reopened["medianHoursToDecision"]!.GetValue<double>())
            .Should().Be((1, 1, sla + 28), "a reopening takes back neither the decision nor the SLA it broke");

        await Api.Post(arbiter, $"/api/v1/conflicts/{id}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "The pilot came after." });
        var both = await Api.Get(admin, Measures(app.Time.GetUtcNow().AddMinutes(1)));
        (both["decidedInPeriod"]!.GetValue<int>(), both["slaBreachesInPeriod"]!.GetValue<int>(), both["medianHoursToDecision"]!.GetValue<double>())
            .Should().Be((2, 1, (sla + 28 + 2) / 2.0), "the second round ran from the reopening, inside its SLA");
        both["openedInPeriod"]!.GetValue<int>().Should().Be(2, "the reopening opened a round, as the decision after it closed one");
        var secondRoundOnly = await Api.Get(admin, $"/api/v1/conflicts/measures?from={Uri.EscapeDataString(firstRound.ToString("o"))}&to={Uri.EscapeDataString(app.Time.GetUtcNow().AddMinutes(1).ToString("o"))}");
        (secondRoundOnly["openedInPeriod"]!.GetValue<int>(), secondRoundOnly["decidedInPeriod"]!.GetValue<int>())
            .Should().Be((1, 1), "a period holding only the reopened round opened one and decided one");
    }

    /// <summary>The joint deal an earlier case opened for a registration is that registration's deal in a later case.</summary>
    [Theory]
    [InlineData("award")]
    [InlineData("coSell")]
    public async Task AnEarlierCasesJointDeal_IsTheRegistrationsDeal_InALaterCase(string second)
    {
        using var app = new CoSellApp();
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        var rep = await app.ClientFor("rep");

        // A later claim on the same customer: a new case binds it and Northwind's approved registration.
        var (ours, joint, third, first, later) = await CoSoldThenClaimedAgainAsync(app, "Joint Escape", "joint-escape.com");
        later.Should().NotBe(first);

        // While the later case decides Northwind's registration, its deal (the joint one) is not won.
        var current = await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}");
        await Api.Problem(await Api.Patch(admin, $"/api/v1/opportunities/{joint["id"]}", new { stage = "closedWon" }, Api.Version(current)), HttpStatusCode.Conflict, "opportunity.in_open_case");

        var body = second == "award"
            ? (object)new { decision = "award", awardedClaimId = Api.Id(third), rationale = "Adatum." }
            : new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Northwind again." };
        await Api.Post(arbiter, $"/api/v1/conflicts/{later}/decision", body);
        if (second == "award")
        {
            await Api.Post(rep, $"/api/v1/registrations/{Api.Id(third)}/opportunity", new { }, HttpStatusCode.Created);
        }

        var open = OpenDealsOn(await Api.Get(admin, "/api/v1/opportunities?pageSize=100"), "Joint Escape");
        open.Should().ContainSingle("one customer, one deal");
        if (second == "coSell")
        {
            open[0]["id"]!.GetValue<string>().Should().Be(joint["id"]!.GetValue<string>(), "the registration's deal from the earlier case is the joint one again");
        }
    }

    /// <summary>
    /// A registration whose deal a decision closed as lost, awarded again once the case is reopened, is made an opportunity
    /// again: the lost deal is history, and the customer has one open deal, not none.
    /// </summary>
    [Fact]
    public async Task ARegistrationAwardedAgainAfterItsDealWasLost_IsMadeAnOpportunityAgain_AndWonOnlyThroughIt()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var rep = await app.ClientFor("rep");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        var ours = await Api.Create(northwind, Api.NewRegistration(app, "Won Back Again Ltd", "won-back-again.com"));
        var id = Api.Id(ours);
        await Api.Post(northwind, $"/api/v1/registrations/{id}/submit");
        await Api.Post(await app.ClientFor("manager"), $"/api/v1/registrations/{id}/approve");
        var lost = await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, "Won Back Again Ltd", "won-back-again.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var conflict = await OpenCaseOf(app, theirs);

        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(theirs), rationale = "Fabrikam showed a pilot." });
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(lost)}"))["stage"]!.GetValue<string>().Should().Be("closedLost");
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "The pilot was Northwind's." });
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = id, rationale = "Northwind registered first and ran the pilot." });
        (await Api.Get(northwind, $"/api/v1/registrations/{id}"))["status"]!.GetValue<string>().Should().Be("approved");

        var deal = await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);
        (deal["source"]!["kind"]!.GetValue<string>(), deal["source"]!["referenceId"]!.GetValue<string>()).Should().Be(("registration", id));
        Api.Id(deal).Should().NotBe(Api.Id(lost));
        OpenDealsOn(await Api.Get(admin, "/api/v1/opportunities?pageSize=100"), "Won Back Again").Should().ContainSingle("one customer, one deal")
            .Which["id"]!.GetValue<string>().Should().Be(Api.Id(deal));
        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { }), HttpStatusCode.Conflict, "opportunity.registration_already_converted");

        // The registration is worked as the new deal, not the lost one, and is won with it.
        var refused = await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/registrations/{id}/close", new { outcome = "won" }), HttpStatusCode.Conflict, "registration.opportunity_open");
        refused["detail"]!.GetValue<string>().Should().Contain(Api.Id(deal));
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(deal)}", new { stage = "closedWon" }, Api.Version(deal));
        (await Api.Get(northwind, $"/api/v1/registrations/{id}"))["status"]!.GetValue<string>().Should().Be("won", "its deal was won");
    }

    /// <summary>A later case is the one that took a claim in after the other's decision, whichever opened first.</summary>
    [Fact]
    public async Task ACaseThatTookInAClaimAfterAnothersDecision_IsTheLaterOne_ForReopening()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var adatum = await app.ClientFor("partner.adatum");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");

        // Case A opens first on Aardvark and stays open.
        var x = await Api.Create(northwind, Api.NewRegistration(app, "Aardvark Holdings", "aardvark-holdings.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(x)}/submit");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var y = await Api.Create(fabrikam, Api.NewRegistration(app, "Aardvark Holdings", "aardvark-holdings.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(y)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var a = await OpenCaseOf(app, y);

        // Case B opens later on Zephyr, and is decided.
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var r1 = await Api.Create(adatum, Api.NewRegistration(app, "Zephyr Dynamics", "zephyr-dynamics.com", duns: "123456789"));
        await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(r1)}/submit");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var r2 = await Api.Create(fabrikam, Api.NewRegistration(app, "Zephyr Dynamics", "zephyr-dynamics.com", duns: "123456789"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(r2)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var b = await OpenCaseOf(app, r2);
        b.Should().NotBe(a);
        await Api.Post(arbiter, $"/api/v1/conflicts/{b}/decision", new { decision = "award", awardedClaimId = Api.Id(r1), rationale = "Adatum first." });

        // A bridging claim joins A and pulls B's winner into it; A is then decided against it.
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var bridge = await Api.Create(northwind, Api.NewRegistration(app, "Aardvark Holdings", "aardvark-holdings.com", duns: "123456789"));
        (await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(bridge)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var claimsOfA = (await Api.Get(arbiter, $"/api/v1/conflicts/{a}"))["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>()).ToList();
        claimsOfA.Should().Contain(Api.Id(r1), "the bridge pulled B's approved winner into A");
        await Api.Post(arbiter, $"/api/v1/conflicts/{a}/decision", new { decision = "award", awardedClaimId = Api.Id(x), rationale = "Northwind first; one customer." });
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(r1)}"))["status"]!.GetValue<string>().Should().Be("rejected");

        var refused = await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{b}/reopen", new { reason = "Undo A's later decision through B." }), HttpStatusCode.Conflict, "conflict.superseded");
        refused["detail"]!.GetValue<string>().Should().Contain(a);
        await Api.Post(admin, $"/api/v1/conflicts/{a}/reopen", new { reason = "A was the last word; check it again." });
    }

    [Fact]
    public async Task AVendorUserWhoseTokenCarriesAPartnerId_IsNoOtherPartner_OnPartnerTimelines()
    {
        using var app = new CoSellApp();
        var rep = await app.ClientFor("rep");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var opportunity = await CoSelling.CoSold(app, rep, fabrikam, "10000000-0000-0000-0000-000000000002", "Vendor Claim Ltd", "vendor-claim.com");
        var id = Api.Id(opportunity);
        var adminId = "00000000-0000-0000-0000-0000000000a1";
        var admin = Tokens.ClientWith(app, Tokens.Mint(app, claims: new[]
        {
            new System.Security.Claims.Claim("sub", adminId), new System.Security.Claims.Claim("role", "admin"),
            new System.Security.Claims.Claim("name", "admin"), new System.Security.Claims.Claim("partner_id", "10000000-0000-0000-0000-000000000001"),
        }));
        await Api.Post(admin, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Vendor admin note." }, HttpStatusCode.Created);

        var asFabrikam = await Api.Get(fabrikam, $"/api/v1/opportunities/{id}/timeline?pageSize=100");
        asFabrikam["items"]!.AsArray().Single(i => i!["summary"]!.GetValue<string>().Contains("Vendor admin note", StringComparison.Ordinal))!["actor"]!.GetValue<string>()
            .Should().Be(adminId, "a vendor admin is not another partner");
    }

    [Fact]
    public async Task AClaimOnlyPossiblyTheSameCustomer_DoesNotStopAReopening()
    {
        using var app = new CoSellApp();
        var adatum = await app.ClientFor("partner.adatum");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        var (x, _, conflict) = await CollideAsync(app, "Quartz Logistics", "quartz-logistics.com");
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(x), rationale = "Northwind first." });

        var z = await Api.Create(adatum, Api.NewRegistration(app, "Quartz Logistics Group", "quartzgroup.com"));
        var submitted = await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(z)}/submit");
        var zRead = await Api.Get(admin, $"/api/v1/registrations/{Api.Id(z)}");
        zRead["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("possible", "the test needs a claim only possibly the same customer");
        submitted["status"]!.GetValue<string>().Should().NotBe("inConflict");

        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam objects." });
    }

    [Fact]
    public async Task ACaseWhoseAwardedRegistrationsJointDealFromAnEarlierCaseWasWon_IsNotReopened()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");

        // A later case binds Northwind's registration and Adatum's; its award keeps the joint deal as Northwind's.
        var (ours, joint, third, _, later) = await CoSoldThenClaimedAgainAsync(app, "Earlier Joint Won", "earlier-joint-won.com");
        await Api.Post(arbiter, $"/api/v1/conflicts/{later}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind again." });

        // The registration is closed as lost (a loss does not travel to the deal), and the joint deal is won.
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/close", new { outcome = "lost", reason = "noDecision" });
        var current = await Api.Get(admin, $"/api/v1/opportunities/{joint["id"]}");
        await Api.Patch(admin, $"/api/v1/opportunities/{joint["id"]}", new { stage = "closedWon" }, Api.Version(current));

        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{later}/reopen", new { reason = "Adatum appeals." }), HttpStatusCode.Conflict, "conflict.deal_won");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(third)}"))["status"]!.GetValue<string>().Should().Be("rejected", "the rival stays turned down beside the won deal");
    }

    [Fact]
    public async Task ACaseWhoseAwardedRegistrationWasClosedAsWon_IsNotReopened()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var arbiter = await app.ClientFor("arbiter");
        var admin = await app.ClientFor("admin");
        var (x, y, conflict) = await CollideAsync(app, "Registration Won Co", "registration-won.com");
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(x), rationale = "Northwind first." });
        (await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(x)}/close", new { outcome = "won" }))["status"]!.GetValue<string>().Should().Be("won");

        await Api.Problem(await admin.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam objects." }), HttpStatusCode.Conflict, "conflict.deal_won");
        (await Api.Get(admin, $"/api/v1/registrations/{Api.Id(y)}"))["status"]!.GetValue<string>().Should().Be("rejected");
    }

    [Fact]
    public async Task ADealMadeFromARegistrationAndWon_WinsTheRegistration_SoALaterRivalOpensNoCaseOverIt()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var rep = await app.ClientFor("rep");
        var ours = await Api.Create(northwind, Api.NewRegistration(app, "Won Already Ltd", "won-already.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        await Api.Post(await app.ClientFor("manager"), $"/api/v1/registrations/{Api.Id(ours)}/approve");
        var deal = await Api.Post(rep, $"/api/v1/registrations/{Api.Id(ours)}/opportunity", new { }, HttpStatusCode.Created);

        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(deal)}", new { stage = "closedWon" }, Api.Version(deal));

        (await Api.Get(northwind, $"/api/v1/registrations/{Api.Id(ours)}"))["status"]!.GetValue<string>().Should().Be("won", "its deal was won");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, "Won Already Ltd", "won-already.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().NotBe("inConflict", "a won deal is history, not a claim to arbitrate");
    }

    [Fact]
    public async Task AReopenedCaseWhoseArbiterWasDeactivated_GoesToAnActiveArbiter()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var (ours, _, conflict) = await CollideAsync(app, "Arbiter Left GmbH", "arbiter-left.com");
        var second = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id = second, userName = "arbiter.two", displayName = "Second Arbiter", role = "arbiter" }, HttpStatusCode.Created);
        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/assign", new { arbiterId = second });
        var arbiterTwo = Tokens.ClientWith(app, app.TokenForUnseeded(second, "arbiter"));
        await Api.Post(arbiterTwo, $"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind first." });
        var user = await Api.Get(admin, $"/api/v1/users/{second}");
        await Api.PatchOk(admin, $"/api/v1/users/{second}", new { isActive = false }, Api.Version(user));

        var reopened = await Api.Post(admin, $"/api/v1/conflicts/{conflict}/reopen", new { reason = "Fabrikam objects." });

        reopened["arbiterId"]!.GetValue<string>().Should().Be("00000000-0000-0000-0000-0000000000b1", "the decider is no longer active; the demo arbiter is");
    }

    [Fact]
    public async Task ACaseNoArbiterWasGiven_IsDecidedByNobody_UntilAnAdminAssignsIt_AndOnceDecidedIsAlreadyDecided_WhateverTheNextDecisionNames()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var demoArbiter = await app.ClientFor("arbiter");
        var arbiterUser = await Api.Get(admin, $"/api/v1/users/{DemoProgramme.Arbiter}");
        await Api.PatchOk(admin, $"/api/v1/users/{DemoProgramme.Arbiter}", new { isActive = false }, Api.Version(arbiterUser));
        var (ours, theirs, conflict) = await CollideAsync(app, "Nobody Assigned Oy", "nobody-assigned.fi");
        (await Api.Get(admin, $"/api/v1/conflicts/{conflict}"))["arbiterId"].Should().BeNull("no arbiter was active when the case opened");
        var second = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id = second, userName = "arbiter.later", displayName = "Later Arbiter", role = "arbiter" }, HttpStatusCode.Created);
        var later = Tokens.ClientWith(app, app.TokenForUnseeded(second, "arbiter"));
        var award = new { decision = "award", awardedClaimId = Api.Id(ours), rationale = "Northwind first." };

        // Neither the deactivated arbiter, whose token still works, nor an active one the admin has not given the case decides it.
        await Api.Problem(await demoArbiter.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", award), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Problem(await later.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", award), HttpStatusCode.Forbidden, "forbidden"))["detail"]!.GetValue<string>()
            .Should().Contain("an admin assigns");
        (await Api.Get(admin, $"/api/v1/conflicts/{conflict}"))["status"]!.GetValue<string>().Should().Be("open");

        await Api.Post(admin, $"/api/v1/conflicts/{conflict}/assign", new { arbiterId = second });
        await Api.Post(later, $"/api/v1/conflicts/{conflict}/decision", award);

        // Deciding again is refused as a decided case, whether it names the claim turned down or the winner.
        foreach (var claim in new[] { Api.Id(theirs), Api.Id(ours) })
        {
            await Api.Problem(await later.PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = claim, rationale = "Again." }), HttpStatusCode.Conflict, "conflict.already_decided");
        }
    }

    [Fact]
    public async Task AwardingAClaimOfNoPartInTheCase_IsThatMistake_WhateverBecameOfTheClaim()
    {
        using var app = new CoSellApp();
        var rep = await app.ClientFor("rep");
        var (_, _, conflict) = await CollideAsync(app, "Wrong Claim SA", "wrong-claim.com");
        var elsewhere = await CoSelling.OpenDirect(rep, app, "Elsewhere Corp", "elsewhere-corp.com");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(elsewhere)}", new { stage = "closedLost" }, Api.Version(elsewhere));

        await Api.Problem(await (await app.ClientFor("arbiter")).PostAsJsonAsync($"/api/v1/conflicts/{conflict}/decision", new { decision = "award", awardedClaimId = Api.Id(elsewhere), rationale = "Wrong one." }),
            HttpStatusCode.BadRequest, "conflict.claim_not_in_case");
    }

    [Fact]
    public async Task ASubmissionOnlyPossiblyTheSameCustomerAsACasesClaims_DoesNotJoinThatCase()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var adatum = await app.ClientFor("partner.adatum");
        var (_, _, first) = await CollideAsync(app, "Quartz Freight", "quartz-freight.com");
        var other = await Api.Create(adatum, Api.NewRegistration(app, "Quartz Freight Group", "quartzgroup-freight.com"));
        var possible = await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(other)}/submit");
        possible["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("possible", "the test needs a customer only possibly the case's");

        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Fourth Partner Ltd", tier = "silver", territories = new[] { "US" }, channelManagerId = "00000000-0000-0000-0000-0000000000c1" }, HttpStatusCode.Created);
        var fourth = Tokens.ClientWith(app, app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var rival = await Api.Create(fourth, Api.NewRegistration(app, "Quartz Freight Group", "quartzgroup-freight.com"));
        (await Api.Post(fourth, $"/api/v1/registrations/{Api.Id(rival)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");

        var claimsOfFirst = (await Api.Get(admin, $"/api/v1/conflicts/{first}"))["claims"]!.AsArray().Select(c => c!["claimId"]!.GetValue<string>()).ToList();
        claimsOfFirst.Should().HaveCount(2, "a case is about one customer").And.NotContain(Api.Id(rival)).And.NotContain(Api.Id(other));
        (await OpenCaseOf(app, rival)).Should().NotBe(first);
    }
}
