using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoSell.Infrastructure.Opportunities;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

public sealed class OpportunityTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public OpportunityTests(CoSellApp app) => _app = app;

    [Fact]
    public async Task RepOpensDirectOpportunity_ReadsAndListsIt_AndAReplayedCreateAnswersTheSameOpportunity()
    {
        var rep = await _app.ClientFor("rep");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/opportunities") { Content = JsonContent.Create(NewOpportunity(_app, "Replay Foods", "replay-foods.com")) };
        request.Headers.Add("Idempotency-Key", "open-replay-foods");
        var created = await rep.SendAsync(request);
        await Api.Expect(created, HttpStatusCode.Created);
        var body = await Api.Body(created);
        created.Headers.Location!.ToString().Should().Be($"/api/v1/opportunities/{Api.Id(body)}");
        created.Headers.ETag!.Tag.Should().Be("\"1\"");
        body["stage"]!.GetValue<string>().Should().Be("qualify");
        body["ownerId"]!.GetValue<string>().Should().Be(Rep);
        body["source"]!["kind"]!.GetValue<string>().Should().Be("direct");
        body["contact"]!["email"]!.GetValue<string>().Should().Be("dana.buyer@replay-foods.com");

        var again = new HttpRequestMessage(HttpMethod.Post, "/api/v1/opportunities") { Content = JsonContent.Create(NewOpportunity(_app, "Replay Foods", "replay-foods.com")) };
        again.Headers.Add("Idempotency-Key", "open-replay-foods");
        var replay = await rep.SendAsync(again);
        await Api.Expect(replay, HttpStatusCode.Created);
        Api.Id(await Api.Body(replay)).Should().Be(Api.Id(body));

        var read = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(body)}");
        read["customer"]!["registrableDomain"]!.GetValue<string>().Should().Be("replay-foods.com");
        var list = await Api.Get(rep, "/api/v1/opportunities?pageSize=1000");
        list["pageSize"]!.GetValue<int>().Should().Be(100);
        list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(Api.Id(body)).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Patch_RecordsEachStageAndFieldChange_AndCloses()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Timeline Traders", "timeline-traders.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";

        var moved = await Api.PatchOk(rep, path, new { stage = "propose", amount = new { amount = 300_000, currency = "USD" }, nextStep = "Send the proposal" }, Api.Version(opportunity));
        moved["stage"]!.GetValue<string>().Should().Be("propose");
        moved["amount"]!["amount"]!.GetValue<decimal>().Should().Be(300_000m);
        Api.Version(moved).Should().Be(Api.Version(opportunity) + 1);

        var back = await Api.PatchOk(rep, path, new { stage = "develop", closeDate = Api.CloseDate(_app, 120) }, Api.Version(moved));
        back["stage"]!.GetValue<string>().Should().Be("develop");
        var won = await Api.PatchOk(rep, path, new { stage = "closedWon" }, Api.Version(back));
        won["stage"]!.GetValue<string>().Should().Be("closedWon");
        won["closedAt"]!.GetValue<string>().Should().EndWith("Z");

        var timeline = await Api.Get(rep, $"{path}/timeline");
        Types(timeline).Should().Equal(
            "opportunity.created", "opportunity.amount_changed", "opportunity.next_step_changed", "opportunity.stage_changed",
            "opportunity.close_date_changed", "opportunity.stage_changed", "opportunity.stage_changed");
        Summaries(timeline).Should().Contain("Stage moved from Qualify to Propose.").And.Contain("Stage moved from Develop to ClosedWon.");
    }

    [Fact]
    public async Task Patch_WithoutIfMatchIs428_WithAStaleOneIs412_AndARereadRetrySucceeds()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Stale Stores", "stale-stores.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";

        await Api.Problem(await Api.Patch(rep, path, new { nextStep = "Call" }, null), HttpStatusCode.PreconditionRequired, "precondition_required");
        var current = await Api.PatchOk(rep, path, new { nextStep = "Call the CFO" }, Api.Version(opportunity));

        var stale = await Api.Patch(rep, path, new { nextStep = "Call the CEO" }, Api.Version(opportunity));
        var problem = await Api.Problem(stale, HttpStatusCode.PreconditionFailed, "precondition_failed");
        problem["currentVersion"]!.GetValue<long>().Should().Be(Api.Version(current));

        var reread = await rep.GetAsync(path);
        var retried = await Api.PatchOk(rep, path, new { nextStep = "Call the CEO" }, long.Parse(reread.Headers.ETag!.Tag.Trim('"')));
        retried["nextStep"]!.GetValue<string>().Should().Be("Call the CEO");
    }

    [Fact]
    public async Task NotesInvitationsAndAnswers_WithAStaleIfMatch_Are412_AndChangeNothing()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var opportunity = await OpenDirect(rep, _app, "Stale Notes Ltd", "stale-notes.com");
        var id = Api.Id(opportunity);
        var stale = $"\"{Api.Version(opportunity) + 5}\"";

        await Api.Problem(await Api.Send(rep, HttpMethod.Post, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Written over a stale copy." }, stale), HttpStatusCode.PreconditionFailed, "precondition_failed");
        await Api.Problem(await Api.Send(rep, HttpMethod.Post, $"/api/v1/opportunities/{id}/invitations", new { partnerId = Northwind }, stale), HttpStatusCode.PreconditionFailed, "precondition_failed");
        var invitation = await Invite(rep, id, Northwind);
        await Api.Problem(await Api.Send(northwind, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/accept", ifMatch: stale), HttpStatusCode.PreconditionFailed, "precondition_failed");
        await Api.Problem(await Api.Send(northwind, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Not now." }, stale), HttpStatusCode.PreconditionFailed, "precondition_failed");

        var timeline = await Api.Get(rep, $"/api/v1/opportunities/{id}/timeline");
        Summaries(timeline).Should().NotContain(s => s.Contains("stale copy", StringComparison.Ordinal));
        Types(timeline).Count(t => t.Contains("invit", StringComparison.OrdinalIgnoreCase)).Should().Be(1, "only the invitation sent without a precondition");
        var current = await Api.Get(rep, $"/api/v1/opportunities/{id}");
        var accepted = await Api.Send(northwind, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/accept", ifMatch: $"\"{Api.Version(current)}\"");
        await Api.Expect(accepted, HttpStatusCode.OK);

        // A note moves the opportunity on and answers its new ETag, which the next change names without reading again.
        var note = await Api.Send(rep, HttpMethod.Post, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Fresh tag." }, accepted.Headers.ETag!.Tag);
        await Api.Expect(note, HttpStatusCode.Created);
        var tag = note.Headers.ETag!.Tag;
        (await Api.Body(note))["opportunityVersion"]!.GetValue<long>().Should().Be(long.Parse(tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
        await Api.Expect(await Api.Send(rep, HttpMethod.Patch, $"/api/v1/opportunities/{id}", new { nextStep = "Named by the note's tag" }, tag), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClosingAnOpportunity_LapsesItsPendingInvitations_WhichCanNoLongerBeAnswered()
    {
        var rep = await _app.ClientFor("rep");
        var adatum = await _app.ClientFor("partner.adatum");
        var opportunity = await OpenDirect(rep, _app, "Closed Door Ltd", "closed-door.com");
        var id = Api.Id(opportunity);
        var invitation = await Invite(rep, id, Adatum);
        var current = await Api.Get(rep, $"/api/v1/opportunities/{id}");

        await Api.PatchOk(rep, $"/api/v1/opportunities/{id}", new { stage = "closedLost" }, Api.Version(current));

        await Api.Problem(await Api.Send(adatum, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Too late anyway." }), HttpStatusCode.Conflict, "invitation.expired");
        var timeline = await Api.Get(rep, $"/api/v1/opportunities/{id}/timeline");
        Summaries(timeline).Should().Contain(t => t.Contains("lapsed", StringComparison.Ordinal));
        Types(timeline).Should().NotContain("opportunity.invitation_rejected");
    }

    [Theory]
    [InlineData("propose", "qualify", "opportunity.illegal_stage_move")]
    [InlineData("negotiate", "develop", "opportunity.illegal_stage_move")]
    [InlineData("closedLost", "negotiate", "opportunity.closed")]
    [InlineData("closedWon", "closedLost", "opportunity.closed")]
    public async Task StageMoveOutsideTheTable_Is409_AndChangesNothing(string first, string illegal, string code)
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, $"Illegal Moves {first} {illegal}", $"illegal-{first}-{illegal}.com".ToLowerInvariant());
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";
        var moved = await Api.PatchOk(rep, path, new { stage = first }, Api.Version(opportunity));

        var response = await Api.Patch(rep, path, new { nextStep = "Should not stick", stage = illegal }, Api.Version(moved));

        await Api.Problem(response, HttpStatusCode.Conflict, code);
        var after = await Api.Get(rep, path);
        Api.Version(after).Should().Be(Api.Version(moved));
        after["nextStep"]!.GetValue<string>().Should().Be("Discovery call");
    }

    [Fact]
    public async Task UnknownStageName_Is400()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Unknown Stage Co", "unknown-stage.com");
        await Api.Problem(await Api.Patch(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}", new { stage = "teleport" }, Api.Version(opportunity)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AcceptedPartner_EditsSharedFieldsAndWritesSharedNotes_ButNotTheOwnerOrInternalNotes()
    {
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.northwind");
        var opportunity = await CoSold(_app, rep, partner, Northwind, "Shared Fields Inc", "shared-fields.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";

        var edited = await Api.PatchOk(partner, path, new { nextStep = "Partner demo on Friday", stage = "develop" }, Api.Version(opportunity));
        edited["stage"]!.GetValue<string>().Should().Be("develop");

        await Api.Problem(await Api.Patch(partner, path, new { ownerId = Rep }, Api.Version(edited)), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await Api.Patch(partner, path, new { ownerId = Guid.NewGuid() }, Api.Version(edited)), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await Api.Patch(partner, path, new { stage = "closedWon" }, Api.Version(edited)), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await partner.PostAsJsonAsync($"{path}/notes", new { visibility = "internal", body = "Just between us" }), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await partner.PostAsJsonAsync($"{path}/invitations", new { partnerId = Fabrikam }), HttpStatusCode.Forbidden, "forbidden");

        var note = await partner.PostAsJsonAsync($"{path}/notes", new { visibility = "shared", body = "The customer's CIO is on board." });
        await Api.Expect(note, HttpStatusCode.Created);
        (await Api.Body(note))["visibility"]!.GetValue<string>().Should().Be("shared");
    }

    [Fact]
    public async Task Notes_OverTheSizeLimitAre400_EmptyAre400_AndHugeBodiesAre413()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Long Notes Ltd", "long-notes.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}/notes";

        var ok = await rep.PostAsJsonAsync(path, new { visibility = "shared", body = new string('a', 4000) });
        await Api.Expect(ok, HttpStatusCode.Created);
        // Counted as stored: the white space around a note is not kept, so it does not count.
        var padded = await Api.Post(rep, path, new { visibility = "shared", body = "\n  " + new string('b', 4000) + "  \n" }, HttpStatusCode.Created);
        padded["body"]!.GetValue<string>().Should().Be(new string('b', 4000));
        var tooLong = await Api.Problem(await rep.PostAsJsonAsync(path, new { visibility = "shared", body = new string('a', 4001) }), HttpStatusCode.BadRequest, "validation_failed");
        tooLong["errors"]!["body"].Should().NotBeNull();
        await Api.Problem(await rep.PostAsJsonAsync(path, new { visibility = "shared", body = "   " }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await rep.PostAsJsonAsync(path, new { body = "No visibility" }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await rep.PostAsJsonAsync(path, new { visibility = "shared", body = new string('a', 300_000) }), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task PartnerTimeline_ShowsSharedNotesAndItsOwnInvitation_NeverInternalNotesOrOtherPartners()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Private Timeline Corp", "private-timeline.com");
        var id = Api.Id(opportunity);
        var fabrikamInvitation = await Invite(rep, id, Fabrikam);
        await Api.Post(fabrikam, $"/api/v1/invitations/{Api.Id(fabrikamInvitation)}/accept");
        await Api.Post(rep, $"/api/v1/opportunities/{id}/notes", new { visibility = "internal", body = "Margin floor is 18%." }, HttpStatusCode.Created);
        await Api.Post(rep, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Kick-off on Monday." }, HttpStatusCode.Created);
        await Api.Post(fabrikam, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "We bring the integration team." }, HttpStatusCode.Created);
        // A Fabrikam user CoSell has no row for, as every user is under an identity provider.
        var unknownUser = Guid.NewGuid();
        var unseeded = Tokens.ClientWith(_app, _app.TokenForUnseeded(unknownUser, "partner", Guid.Parse(Fabrikam)));
        await Api.Post(unseeded, $"/api/v1/opportunities/{id}/notes", new { visibility = "shared", body = "Our architect joins too." }, HttpStatusCode.Created);

        var partnerView = await Api.Get(northwind, $"/api/v1/opportunities/{id}/timeline");
        partnerView["items"]!.AsArray().Single(i => i!["summary"]!.GetValue<string>().Contains("architect", StringComparison.Ordinal))!["actor"]!.GetValue<string>()
            .Should().Be("another partner", "a user CoSell does not know is judged by the partner it acted for");
        partnerView.ToJsonString().Should().NotContain(unknownUser.ToString());
        (await Api.Get(fabrikam, $"/api/v1/opportunities/{id}/timeline"))["items"]!.AsArray()
            .Single(i => i!["summary"]!.GetValue<string>().Contains("architect", StringComparison.Ordinal))!["actor"]!.GetValue<string>().Should().Be(unknownUser.ToString(), "its own partner sees who wrote it");
        // Another partner's user is "another partner", never an id that would follow it from deal to deal; entries are
        // numbered by their place in this view, so no gap shows where a hidden entry was written.
        var fabrikamNote = partnerView["items"]!.AsArray().Single(i => i!["summary"]!.GetValue<string>().Contains("integration team", StringComparison.Ordinal))!;
        fabrikamNote["actor"]!.GetValue<string>().Should().Be("another partner");
        partnerView["items"]!.AsArray().Select(i => i!["sequence"]!.GetValue<long>()).Should().Equal(Enumerable.Range(1, partnerView["items"]!.AsArray().Count).Select(n => (long)n));
        (await Api.Get(rep, $"/api/v1/opportunities/{id}/timeline"))["items"]!.AsArray()
            .Single(i => i!["summary"]!.GetValue<string>().Contains("integration team", StringComparison.Ordinal))!["actor"]!.GetValue<string>().Should().NotBe("another partner", "the vendor sees who wrote it");
        Summaries(partnerView).Should().Contain("Kick-off on Monday.").And.NotContain("Margin floor is 18%.");
        Types(partnerView).Should().Contain("opportunity.invitation_accepted").And.NotContain("opportunity.internal_note_added");
        partnerView.ToJsonString().Should().NotContain("Fabrikam");
        partnerView["items"]!.AsArray().Count(i => i!["type"]!.GetValue<string>() == "opportunity.invitation_accepted").Should().Be(1, "only its own acceptance");

        var asPartner = await Api.Get(northwind, $"/api/v1/opportunities/{id}");
        asPartner["participants"]!.AsArray().Select(p => p!["partnerId"]!.GetValue<string>()).Should().Equal(Northwind);

        var vendorView = await Api.Get(rep, $"/api/v1/opportunities/{id}/timeline");
        Summaries(vendorView).Should().Contain("Margin floor is 18%.");
        (await Api.Get(rep, $"/api/v1/opportunities/{id}"))["participants"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task InvitedPartner_SeesTheContactOnlyAfterAccepting()
    {
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.northwind");
        var opportunity = await OpenDirect(rep, _app, "Hidden Contact AG", "hidden-contact.com");
        var invitation = await Invite(rep, Api.Id(opportunity), Northwind);
        invitation["status"]!.GetValue<string>().Should().Be("pending");
        DateTimeOffset.Parse(invitation["respondBy"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddHours(48), TimeSpan.FromSeconds(1));

        var before = await Api.Get(partner, $"/api/v1/opportunities/{Api.Id(opportunity)}");
        before["contact"].Should().BeNull();
        before.ToJsonString().Should().NotContain("dana.buyer");
        var listed = await Api.Get(partner, "/api/v1/opportunities?pageSize=100");
        listed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().Contain(Api.Id(opportunity));
        await Api.Problem(await Api.Patch(partner, $"/api/v1/opportunities/{Api.Id(opportunity)}", new { nextStep = "x" }, Api.Version(before)), HttpStatusCode.Forbidden);
        await Api.Problem(await partner.GetAsync($"/api/v1/opportunities/{Api.Id(opportunity)}/timeline"), HttpStatusCode.Forbidden);
        await Api.Problem(await partner.PostAsJsonAsync($"/api/v1/opportunities/{Api.Id(opportunity)}/notes", new { visibility = "shared", body = "Early bird" }), HttpStatusCode.Forbidden);

        var accepted = await Api.Post(partner, $"/api/v1/invitations/{Api.Id(invitation)}/accept");
        accepted["contact"]!["email"]!.GetValue<string>().Should().Be("dana.buyer@hidden-contact.com");
        accepted["participants"]![0]!["status"]!.GetValue<string>().Should().Be("accepted");

        await Api.Problem(await partner.PostAsync($"/api/v1/invitations/{Api.Id(invitation)}/accept", null), HttpStatusCode.Conflict, "invitation.not_pending");
    }

    [Fact]
    public async Task RejectingNeedsAReason_AndARejectedInvitationHidesTheOpportunity()
    {
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.northwind");
        var opportunity = await OpenDirect(rep, _app, "Rejected Ventures", "rejected-ventures.com");
        var invitation = await Invite(rep, Api.Id(opportunity), Northwind);
        var reject = $"/api/v1/invitations/{Api.Id(invitation)}/reject";

        await Api.Problem(await partner.PostAsJsonAsync(reject, new { reason = " " }), HttpStatusCode.BadRequest, "validation_failed");
        var rejected = await Api.Post(partner, reject, new { reason = "No capacity this quarter." });
        rejected["status"]!.GetValue<string>().Should().Be("rejected");

        await Api.Problem(await partner.GetAsync($"/api/v1/opportunities/{Api.Id(opportunity)}"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await partner.PostAsync($"/api/v1/invitations/{Api.Id(invitation)}/accept", null), HttpStatusCode.Conflict, "invitation.not_pending");
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}"))["participants"]![0]!["rejectionReason"]!.GetValue<string>().Should().Be("No capacity this quarter.");

        // Off the deal, the partner learns nothing of it through its old invitation: neither the version (a stale
        // If-Match would be a 412 naming it) nor the stage (a closed deal would be a 409 saying so).
        await Api.Post(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}/notes", new { visibility = "internal", body = "Vendor only." }, HttpStatusCode.Created);
        foreach (var answer in new[] { "accept", "reject" })
        {
            var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/{answer}") { Content = JsonContent.Create(new { reason = "Again." }) };
            stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            var refused = await Api.Problem(await partner.SendAsync(stale), HttpStatusCode.Conflict, "invitation.not_pending");
            refused["currentVersion"].Should().BeNull();
            refused.ToJsonString().Should().NotContainAny("Qualify", "ClosedWon", "ClosedLost", "qualify", "closedWon", "closedLost");
        }

        var reinvited = await Invite(rep, Api.Id(opportunity), Northwind);
        reinvited["id"]!.GetValue<string>().Should().NotBe(Api.Id(invitation));
    }

    [Fact]
    public async Task InvalidForeignAndExpiredInvitationIds_AreProblemsNever500()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var opportunity = await OpenDirect(rep, _app, "Expiring Invites", "expiring-invites.com");
        var invitation = await Invite(rep, Api.Id(opportunity), Northwind);
        var accept = $"/api/v1/invitations/{Api.Id(invitation)}/accept";

        await Api.Problem(await northwind.PostAsync($"/api/v1/invitations/{Guid.NewGuid()}/accept", null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await northwind.PostAsync("/api/v1/invitations/not-a-guid/accept", null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await northwind.PostAsync($"/api/v1/invitations/{Api.Id(opportunity)}/accept", null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsync(accept, null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Not ours" }), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await rep.PostAsync(accept, null), HttpStatusCode.Forbidden, "forbidden");

        await Api.Post(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}/notes", new { visibility = "internal", body = "Vendor only." }, HttpStatusCode.Created);
        _app.Time.Advance(TimeSpan.FromHours(47));
        var read = $"/api/v1/opportunities/{Api.Id(opportunity)}";
        (await Api.Get(northwind, read))["contact"].Should().BeNull("an invited partner reads the deal without its contact");
        Api.Ids(await Api.Get(northwind, "/api/v1/opportunities?pageSize=100")).Should().Contain(Api.Id(opportunity));

        // Past its deadline, the invitation shows the deal no more, though the expiry service has yet to write it as lapsed.
        _app.Time.Advance(TimeSpan.FromHours(2));
        await Api.Problem(await northwind.GetAsync(read), HttpStatusCode.NotFound, "not_found");
        var listed = await Api.Get(northwind, "/api/v1/opportunities?pageSize=100");
        Api.Ids(listed).Should().NotContain(Api.Id(opportunity));
        listed["total"]!.GetValue<int>().Should().Be(listed["items"]!.AsArray().Count);
        await Api.Problem(await northwind.PostAsync(accept, null), HttpStatusCode.Conflict, "invitation.expired");
        // Past its deadline, though not yet written as lapsed: an If-Match gone stale tells nothing of the deal's changes.
        var stale = await Api.Send(northwind, HttpMethod.Post, accept, null, "\"0\"");
        await Api.Problem(stale, HttpStatusCode.Conflict, "invitation.expired");
        stale.Headers.ETag.Should().BeNull();
        await Api.Problem(await Api.Send(northwind, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Late." }, "\"0\""), HttpStatusCode.Conflict, "invitation.expired");

        await _app.Services.GetRequiredService<InvitationExpiryService>().RunOnceAsync(CancellationToken.None);
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}"))["participants"]![0]!["status"]!.GetValue<string>().Should().Be("expired");
        await Api.Problem(await northwind.PostAsync(accept, null), HttpStatusCode.Conflict, "invitation.expired");
        await Api.Problem(await northwind.GetAsync($"/api/v1/opportunities/{Api.Id(opportunity)}"), HttpStatusCode.NotFound);
        Types(await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}/timeline")).Should().EndWith("opportunity.invitation_expired");
    }

    [Fact]
    public async Task OtherPartner_FindsNothingOnAnyOpportunityRoute()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var opportunity = await CoSold(_app, rep, northwind, Northwind, "Walled Garden Inc", "walled-garden.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";

        await Api.Problem(await adatum.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await Api.Patch(adatum, path, new { nextStep = "Steal it" }, Api.Version(opportunity)), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await Api.Patch(adatum, path, new { ownerId = Rep }, Api.Version(opportunity)), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await adatum.PostAsJsonAsync($"{path}/notes", new { visibility = "shared", body = "Hello?" }), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await adatum.GetAsync($"{path}/timeline"), HttpStatusCode.NotFound, "not_found");
        var list = await Api.Get(adatum, "/api/v1/opportunities?pageSize=100");
        list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().NotContain(Api.Id(opportunity));

        var arbiter = await _app.ClientFor("arbiter");
        (await Api.Get(arbiter, path))["contact"].Should().NotBeNull();
        await Api.Problem(await Api.Patch(arbiter, path, new { nextStep = "Decide" }, Api.Version(opportunity)), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task AnotherRep_FindsNothingOnTheOpportunitiesOfOthers()
    {
        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Rep Wall Inc", "rep-wall.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";
        var otherRep = _app.CreateClient();
        otherRep.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _app.TokenForUnseeded(Guid.NewGuid(), "rep"));

        await Api.Problem(await otherRep.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await Api.Patch(otherRep, path, new { stage = "develop" }, Api.Version(opportunity)), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await otherRep.PostAsJsonAsync($"{path}/invitations", new { partnerId = Northwind }), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(otherRep, "/api/v1/opportunities"))["total"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task ApprovedRegistration_BecomesAPartnerSourcedOpportunity_Once()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Sourced Systems", "sourced-systems.com"));
        var id = Api.Id(draft);
        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { }), HttpStatusCode.Conflict, "opportunity.registration_not_approved");
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        await Api.Problem(await manager.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { }), HttpStatusCode.BadRequest, "validation_failed");
        var created = await rep.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { contact = new { name = "Sam Sponsor", email = "sam@sourced-systems.com" } });
        await Api.Expect(created, HttpStatusCode.Created);
        var opportunity = await Api.Body(created);
        opportunity["source"]!["kind"]!.GetValue<string>().Should().Be("registration");
        opportunity["source"]!["referenceId"]!.GetValue<string>().Should().Be(id);
        opportunity["amount"]!["amount"]!.GetValue<decimal>().Should().Be(120_000m);

        var asPartner = await Api.Get(partner, $"/api/v1/opportunities/{Api.Id(opportunity)}");
        asPartner["participants"]![0]!["role"]!.GetValue<string>().Should().Be("sourced");
        asPartner["participants"]![0]!["status"]!.GetValue<string>().Should().Be("accepted");
        asPartner["contact"]!["name"]!.GetValue<string>().Should().Be("Sam Sponsor");
        asPartner["source"]!["referenceId"]!.GetValue<string>().Should().Be(id);

        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { }), HttpStatusCode.Conflict, "opportunity.registration_already_converted");
        await Api.Problem(await partner.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { }), HttpStatusCode.Forbidden);
        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/registrations/{Guid.NewGuid()}/opportunity", new { }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AConvertedRegistration_IsNotClosedAsWon_WhileItsOpportunityIsOpen_AndIsWonWithIt()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Worked As A Deal", "worked-as-a-deal.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");
        var deal = await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);
        var before = await Api.Get(partner, $"/api/v1/registrations/{id}");
        var timeline = await Api.Get(partner, $"/api/v1/registrations/{id}/timeline");

        // The partner and the vendor alike: the deal is worked as its opportunity and is won with it.
        foreach (var closer in new[] { partner, manager })
        {
            var refused = await Api.Problem(await closer.PostAsJsonAsync($"/api/v1/registrations/{id}/close", new { outcome = "won" }), HttpStatusCode.Conflict, "registration.opportunity_open");
            refused["detail"]!.GetValue<string>().Should().Contain(Api.Id(deal), "the opportunity is the partner's own deal, which it reads");
        }

        var after = await Api.Get(partner, $"/api/v1/registrations/{id}");
        (after["status"]!.GetValue<string>(), Api.Version(after)).Should().Be(("approved", Api.Version(before)), "a refused close stores nothing");
        (await Api.Get(partner, $"/api/v1/registrations/{id}/timeline"))["items"]!.AsArray().Count.Should().Be(timeline["items"]!.AsArray().Count);
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(deal)}"))["stage"]!.GetValue<string>().Should().Be("qualify");

        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(deal)}", new { stage = "closedWon" }, Api.Version(deal));
        (await Api.Get(partner, $"/api/v1/registrations/{id}"))["status"]!.GetValue<string>().Should().Be("won", "its opportunity was won");
    }

    [Fact]
    public async Task AConversion_MovesTheRegistrationsETagOn_SoAWinAsReadBeforeIt_Is412()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Moved On By Its Deal", "moved-on-by-its-deal.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);
        var converted = await Api.Get(partner, $"/api/v1/registrations/{id}");

        Api.Version(converted).Should().BeGreaterThan(Api.Version(approved), "being made an opportunity changes the registration");
        converted["status"]!.GetValue<string>().Should().Be("approved");
        var stale = await Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{id}/close", new { outcome = "won" }, Api.ETag(approved));
        (await Api.Problem(stale, HttpStatusCode.PreconditionFailed))["currentVersion"]!.GetValue<long>().Should().Be(Api.Version(converted));
        var current = await Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{id}/close", new { outcome = "won" }, Api.ETag(converted));
        await Api.Problem(current, HttpStatusCode.Conflict, "registration.opportunity_open");
    }

    [Fact]
    public async Task AConversion_IsOnTheRegistrationsTimeline_AsThePartnerReadsIt()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Timeline Of Its Deal", "timeline-of-its-deal.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        var opportunity = await Api.Post(rep, $"/api/v1/registrations/{id}/opportunity", new { }, HttpStatusCode.Created);

        var timeline = await Api.Get(partner, $"/api/v1/registrations/{id}/timeline");
        var entries = timeline["items"]!.AsArray();
        var entry = entries.Single(e => e!["type"]!.GetValue<string>() == "registration.opportunity_opened")!;
        entries[^1]!["type"]!.GetValue<string>().Should().Be("registration.opportunity_opened", "it is the registration's latest change");
        entry["summary"]!.GetValue<string>().Should().Contain(Api.Id(opportunity), "the entry names the deal the registration is worked as");
        var converted = await Api.Get(partner, $"/api/v1/registrations/{id}");
        converted["status"]!.GetValue<string>().Should().Be("approved");
    }

    [Fact]
    public async Task AConversionNamingAStaleRegistrationVersion_Is412_AndMakesNoOpportunity()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Stale Read Systems", "stale-read-systems.com")));
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        var stale = await Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{id}/opportunity", new { }, Api.ETag(submitted));
        var problem = await Api.Problem(stale, HttpStatusCode.PreconditionFailed);

        problem["currentVersion"]!.GetValue<long>().Should().Be(Api.Version(approved));
        (await Api.Get(rep, "/api/v1/opportunities"))["items"]!.AsArray().Should().NotContain(o => (string?)o!["source"]!["referenceId"] == id);
        var made = await Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{id}/opportunity", new { }, Api.ETag(approved));
        await Api.Expect(made, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ConcurrentConversions_OfOneRegistration_MakeOneOpportunity_TheOthersAre409()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Racing Conversions Ltd", "racing-conversions.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => rep.PostAsJsonAsync($"/api/v1/registrations/{id}/opportunity", new { })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(1);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            var problem = await Api.Problem(refused, HttpStatusCode.Conflict);
            problem["code"]!.GetValue<string>().Should().BeOneOf("opportunity.registration_already_converted", "conflict.already_exists", "conflict.concurrent_change");
        }

        var sourceId = Guid.Parse(id);
        (await _app.Db(db => db.Opportunities.CountAsync(o => o.Source.ReferenceId == sourceId))).Should().Be(1);
    }

    // Before, a conversion that read the registration before another's committed lost at the new opportunity's unique
    // index, which the store met before the registration's moved version, and was answered 409 conflict.already_exists
    // though its If-Match named a version that had moved on.
    [Fact]
    public async Task ConcurrentConversions_UnderOneIfMatch_MakeOneOpportunity_TheOthersAre412()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(_app, "Racing Preconditions Ltd", "racing-preconditions.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Api.Send(rep, HttpMethod.Post, $"/api/v1/registrations/{id}/opportunity", new { }, Api.ETag(approved))));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(1);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            // One that read the registration before the winner committed and its deals after finds the deal made: 409
            // naming it. None is the commit's conflict.already_exists any more.
            if (refused.StatusCode == HttpStatusCode.Conflict)
            {
                await Api.Problem(refused, HttpStatusCode.Conflict, "opportunity.registration_already_converted");
                continue;
            }

            var problem = await Api.Problem(refused, HttpStatusCode.PreconditionFailed, "precondition_failed");
            problem["currentVersion"]!.GetValue<long>().Should().Be(Api.Version(approved) + 1);
        }
    }

    [Fact]
    public async Task OpenDirectOpportunity_IsAClaim_ARegistrationOfTheSameCustomerCollidesWithIt()
    {
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        await OpenDirect(rep, _app, "Direct Claim GmbH", "direct-claim.de");

        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Direct Claim Germany", "https://www.direct-claim.de/kontakt", "DE", 10_000m));
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        submitted["status"]!.GetValue<string>().Should().Be("inConflict", "a colliding claim is never auto-approved: it goes to conflict handling");
        submitted["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("likely");
        submitted["duplicate"]!["reasons"]!.AsArray().Should().BeEmpty();
        var asManager = await Api.Get(manager, $"/api/v1/registrations/{Api.Id(draft)}");
        asManager["duplicate"]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).Should()
            .Contain(r => r.Contains("direct-claim.de", StringComparison.Ordinal));
        var arbiter = await _app.ClientFor("arbiter");
        var cases = await Api.Get(arbiter, "/api/v1/conflicts?all=true&pageSize=100");
        var conflict = cases["items"]!.AsArray().Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(draft)))!;
        conflict["ruleFired"]!.GetValue<string>().Should().Be("direct_engagement", "the vendor engaged the customer first, inside the look-back");
    }

    [Fact]
    public async Task ARivalJoiningACaseLater_LeavesTheDirectEngagementItsLookBackCountedAtTheOpening()
    {
        using var app = new CoSellApp();
        var rep = await app.ClientFor("rep");
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var arbiter = await app.ClientFor("arbiter");
        var direct = await OpenDirect(rep, app, "Lookback Labs", "lookback-labs.com");
        var lookback = (await Api.Get(arbiter, "/api/v1/rules"))["directLookbackDays"]!.GetValue<int>();
        app.Time.Advance(TimeSpan.FromDays(lookback - 10));
        var ours = await Api.Create(northwind, Api.NewRegistration(app, "Lookback Labs", "lookback-labs.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        var id = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
        (await Api.Get(arbiter, $"/api/v1/conflicts/{id}"))["ruleFired"]!.GetValue<string>().Should().Be("direct_engagement");

        // Past the look-back from now, inside it from the case's opening: the case weighs the claims as it opened.
        app.Time.Advance(TimeSpan.FromDays(15));
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(app, "Lookback Labs", "lookback-labs.com", "US", 200_000m));
        await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit");

        var joined = await Api.Get(arbiter, $"/api/v1/conflicts/{id}");
        joined["claims"]!.AsArray().Should().HaveCount(3);
        joined["ruleFired"]!.GetValue<string>().Should().Be("direct_engagement");
        joined["recommendedClaimId"]!.GetValue<string>().Should().Be(Api.Id(direct));
    }

    [Fact]
    public async Task ADirectOpportunityInAnOpenCase_PassedToAnotherRep_PassesTheCaseToThem()
    {
        var secondRep = await _app.AddRepAsync();
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.fabrikam");
        var direct = await OpenDirect(rep, _app, "Passed Claim GmbH", "passed-claim.de");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Passed Claim Germany", "passed-claim.de", "DE", 10_000m));
        await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");
        var arbiter = await _app.ClientFor("arbiter");
        var conflictId = (await Api.Get(arbiter, "/api/v1/conflicts?all=true&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(draft)))!["id"]!.GetValue<string>();
        var current = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(direct)}");

        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(direct)}", new { ownerId = secondRep }, Api.Version(current));

        var newOwner = Tokens.ClientWith(_app, _app.TokenForUnseeded(secondRep, "rep"));
        (await Api.Get(newOwner, $"/api/v1/conflicts/{conflictId}"))["id"]!.GetValue<string>().Should().Be(conflictId);
        await Api.Post(newOwner, $"/api/v1/conflicts/{conflictId}/statements", new { text = "We met the customer in March.", links = Array.Empty<string>() });
        await Api.Problem(await rep.GetAsync($"/api/v1/conflicts/{conflictId}"), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(arbiter, $"/api/v1/conflicts/{conflictId}"))["log"]!.AsArray().Should().Contain(l => l!["kind"]!.GetValue<string>() == "claimPassed");
    }

    [Fact]
    public async Task ClosedOrOldDirectOpportunity_IsNoLongerAClaim()
    {
        var rep = await _app.ClientFor("rep");
        var partner = await _app.ClientFor("partner.fabrikam");
        var closed = await OpenDirect(rep, _app, "Closed Claim GmbH", "closed-claim.de");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(closed)}", new { stage = "closedLost" }, Api.Version(closed));

        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Closed Claim", "closed-claim.de", "DE", 10_000m));
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        submitted["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("clear");
        submitted["status"]!.GetValue<string>().Should().Be("approved");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheOpportunityAndReferralRoutes()
    {
        var document = await _app.CreateClient().GetStringAsync("/openapi/v1.json");

        document.Should().Contain("/api/v1/opportunities/{id}/invitations").And.Contain("/api/v1/invitations/{id}/accept")
            .And.Contain("/api/v1/referrals/{id}/convert").And.Contain("/api/v1/registrations/{id}/opportunity");
    }

    // Before, a new opportunity's past close date was answered opportunity.close_date_invalid and a date too far out
    // validation_failed, and an edit's the same way round: one rule, two codes, by which bound it broke.
    [Fact]
    public async Task ACloseDateOutOfRange_IsValidationFailedOnACreate_AndTheOpportunitysOwnCodeOnAnEdit_AtEitherBound()
    {
        var rep = await _app.ClientFor("rep");
        var today = DateOnly.FromDateTime(_app.Time.GetUtcNow().UtcDateTime);
        var outOfRange = new[] { -1, today.AddYears(5).AddDays(1).DayNumber - today.DayNumber };
        foreach (var days in outOfRange)
        {
            var body = JsonSerializer.SerializeToNode(NewOpportunity(_app, "Far Off Deals Ltd", "far-off-deals.com"))!.AsObject();
            body["closeDate"] = Api.CloseDate(_app, days);
            var refused = await Api.Problem(await rep.PostAsJsonAsync("/api/v1/opportunities", body), HttpStatusCode.BadRequest, "validation_failed");
            refused["errors"]!.AsObject().Select(e => e.Key).Should().Equal("closeDate");
        }

        var opportunity = await OpenDirect(rep, _app, "Far Off Deals Ltd", "far-off-deals.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";
        foreach (var days in outOfRange)
        {
            var refused = await Api.Problem(await Api.Patch(rep, path, new { closeDate = Api.CloseDate(_app, days) }, Api.Version(opportunity)), HttpStatusCode.BadRequest, "opportunity.close_date_invalid");
            refused["errors"]!.AsObject().Select(e => e.Key).Should().Equal("closeDate");
        }

        (await Api.Get(rep, path))["version"]!.GetValue<long>().Should().Be(Api.Version(opportunity), "nothing was changed");
    }

    [Fact]
    public async Task CreateWithBadInput_IsAProblemWithFieldErrors()
    {
        var rep = await _app.ClientFor("rep");
        var manager = await _app.ClientFor("manager");
        var partner = await _app.ClientFor("partner.northwind");
        var bad = new
        {
            customer = new { name = "X", domain = "localhost", country = "ZZ" },
            contact = new { name = "Al", email = "not-an-email" },
            amount = new { amount = -5, currency = "XYZ" },
            closeDate = Api.CloseDate(_app, 365 * 6),
        };
        var problem = await Api.Problem(await rep.PostAsJsonAsync("/api/v1/opportunities", bad), HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(["customer.name", "customer.country", "amount.amount", "amount.currency", "closeDate"]);

        await Api.Problem(await manager.PostAsJsonAsync("/api/v1/opportunities", NewOpportunity(_app, "No Owner Ltd", "no-owner.com")), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await partner.PostAsJsonAsync("/api/v1/opportunities", NewOpportunity(_app, "Partner Direct", "partner-direct.com")), HttpStatusCode.Forbidden, "forbidden");
        var anonymous = _app.CreateClient();
        (await anonymous.GetAsync("/api/v1/opportunities")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
