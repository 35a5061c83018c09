using System.Net;
using System.Net.Http.Json;
using CoSell.Infrastructure.Registrations;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests;

public sealed class RegistrationLifecycleTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public RegistrationLifecycleTests(CoSellApp app) => _app = app;

    [Fact]
    public async Task PartnerRegistersManagerApprovesExtendsAndPartnerClosesAsWon()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");

        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Lifecycle Widgets Inc", "lifecycle-widgets.com"));
        var id = draft["id"]!.GetValue<string>();
        draft["status"]!.GetValue<string>().Should().Be("draft");
        draft["duplicate"].Should().BeNull("no duplicate check has run on a draft");

        var submitted = await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        submitted["status"]!.GetValue<string>().Should().Be("submitted");
        submitted["rulesVersion"]!.GetValue<int>().Should().Be(1);
        submitted["tier"]!.GetValue<string>().Should().Be("gold");
        DateTimeOffset.Parse(submitted["reviewDueAt"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddHours(48), TimeSpan.FromSeconds(1));

        var queue = await Api.Get(manager, "/api/v1/reviews?pageSize=100");
        queue["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).Should().Contain(id);

        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve", new { comment = "Welcome aboard." });
        approved["status"]!.GetValue<string>().Should().Be("approved");
        var protectedUntil = DateTimeOffset.Parse(approved["protectionEndsAt"]!.GetValue<string>());
        protectedUntil.Should().BeCloseTo(_app.Time.GetUtcNow().AddDays(120), TimeSpan.FromSeconds(1));

        var extended = await Api.Post(manager, $"/api/v1/registrations/{id}/extend");
        DateTimeOffset.Parse(extended["protectionEndsAt"]!.GetValue<string>()).Should().Be(protectedUntil.AddDays(30));

        var won = await Api.Post(partner, $"/api/v1/registrations/{id}/close", new { outcome = "won" });
        won["status"]!.GetValue<string>().Should().Be("won");

        var timeline = await Api.Get(partner, $"/api/v1/registrations/{id}/timeline");
        timeline["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).Should().Equal(
            "registration.drafted", "registration.submitted", "registration.approved", "registration.extended", "registration.won");
        timeline["items"]!.AsArray().Select(i => i!["occurredAt"]!.GetValue<string>()).Should().OnlyContain(s => s.EndsWith('Z'));
        timeline["items"]!.AsArray().Select(i => i!["sequence"]!.GetValue<long>()).Should().Equal([1L, 2, 3, 4, 5],
            "a partner's entries are numbered in its own view, not by audit rows whose gaps show activity elsewhere");
        var vendorView = await Api.Get(manager, $"/api/v1/registrations/{id}/timeline");
        vendorView["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).Should().HaveCount(5);
    }

    [Fact]
    public async Task AReviewDueTime_ShowsOnlyWhileAReviewIsAwaited_AndTheTimelineKeepsIt()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");

        var small = await Api.Create(partner, Api.NewRegistration(_app, "Small Deal Review Co", "small-deal-review.com", amount: 10_000m));
        var automatic = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(small)}/submit");
        automatic["autoApproved"]!.GetValue<bool>().Should().BeTrue();
        automatic["reviewDueAt"].Should().BeNull("a registration approved on submission awaits no review");
        (await Api.Get(manager, $"/api/v1/registrations/{Api.Id(small)}"))["reviewDueAt"].Should().BeNull();

        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Large Deal Review Co", "large-deal-review.com"));
        var id = Api.Id(draft);
        var submitted = await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var firstDue = DateTimeOffset.Parse(submitted["reviewDueAt"]!.GetValue<string>());
        var queued = (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Single(i => i!["registration"]!["id"]!.GetValue<string>() == id)!;
        DateTimeOffset.Parse(queued["registration"]!["reviewDueAt"]!.GetValue<string>()).Should().Be(firstDue);
        queued["overdue"]!.GetValue<bool>().Should().BeFalse();

        (await Api.Post(manager, $"/api/v1/registrations/{id}/return", new { message = "Name the buying unit." }))["reviewDueAt"]
            .Should().BeNull("the partner has to act; no review is due until it resubmits");
        _app.Time.Advance(TimeSpan.FromMinutes(3));
        var resubmitted = await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        DateTimeOffset.Parse(resubmitted["reviewDueAt"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddHours(48), TimeSpan.FromSeconds(1));

        (await Api.Post(manager, $"/api/v1/registrations/{id}/approve", new { comment = "ok" }))["reviewDueAt"].Should().BeNull();
        (await Api.Get(partner, $"/api/v1/registrations/{id}"))["reviewDueAt"].Should().BeNull();
        (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).Should().NotContain([id, Api.Id(small)]);
        CoSelling.Summaries(await Api.Get(partner, $"/api/v1/registrations/{id}/timeline")).Count(s => s.Contains("review due by", StringComparison.Ordinal))
            .Should().Be(2, "the timeline keeps when each review was due");
    }

    // Before, a timeline cut a deadline to the second: it named an instant before the one the service holds to, and read
    // as passed while the queue still showed the review as not overdue.
    [Fact]
    public async Task ATimelinesDeadline_IsTheInstantTheServiceHoldsTo_AsTheAnswerWritesIt()
    {
        using var app = new CoSellApp();
        app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 9, 30, 15, TimeSpan.Zero).AddTicks(5_442_850));
        var partner = await app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(app, "Exact Deadline Co", "exact-deadline.com"));

        var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        var due = submitted["reviewDueAt"]!.GetValue<string>();
        due.Should().Be("2026-12-03T09:30:15.544285Z");
        CoSelling.Summaries(await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}/timeline")).Should().Contain(line => line.Contains($"review due by {due};", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovingARegistrationPastItsCloseDate_Is409_UntilThePartnerUpdatesTheDate()
    {
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var manager = await app.ClientFor("manager");
        var body = new
        {
            customer = new { name = "Late Review Corp", domain = "late-review.com", country = "US" },
            productLines = new[] { "Security" },
            estimatedValue = new { amount = 120_000m, currency = "USD" },
            expectedCloseDate = Api.CloseDate(app, 2),
        };
        var id = Api.Id(await Api.Create(partner, body));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");

        // The close day itself is still ahead; the day after it is not.
        app.Time.Advance(TimeSpan.FromDays(3));
        var refused = await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{id}/approve", new { comment = "ok" }), HttpStatusCode.Conflict, "registration.close_date_passed");
        refused["detail"]!.GetValue<string>().Should().Contain("return the registration for action");
        var unchanged = await Api.Get(partner, $"/api/v1/registrations/{id}");
        unchanged["protectionEndsAt"].Should().BeNull();
        CoSelling.Types(await Api.Get(partner, $"/api/v1/registrations/{id}/timeline")).Should().NotContain("registration.approved");

        var returned = await Api.Post(manager, $"/api/v1/registrations/{id}/return", new { message = "The close date has passed: give the new one." });
        var updated = await Api.Body(await Api.PatchRegistration(partner, id, new { expectedCloseDate = Api.CloseDate(app, 30) }, Api.ETag(returned)));
        updated["expectedCloseDate"]!.GetValue<string>().Should().Be(Api.CloseDate(app, 30));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var approved = await Api.Post(manager, $"/api/v1/registrations/{id}/approve", new { comment = "ok" });
        DateTimeOffset.Parse(approved["protectionEndsAt"]!.GetValue<string>()).Should().BeCloseTo(app.Time.GetUtcNow().AddDays(120), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ASuspendedPartnersRegistration_IsNeitherEditedApprovedNorExtended()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await _app.ClientFor("manager");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Paused Partner Ltd", tier = "gold", territories = new[] { "US" }, channelManagerId = DemoProgramme.Manager }, HttpStatusCode.Created);
        var client = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var waiting = await Api.Create(client, Api.NewRegistration(_app, "Waiting Customer Inc", "waiting-customer.com"));
        await Api.Post(client, $"/api/v1/registrations/{Api.Id(waiting)}/submit");
        var approved = await Api.Create(client, Api.NewRegistration(_app, "Protected Customer Inc", "protected-customer.com"));
        await Api.Post(client, $"/api/v1/registrations/{Api.Id(approved)}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{Api.Id(approved)}/approve", new { comment = "ok" });

        var draft = await Api.Create(client, Api.NewRegistration(_app, "Drafted Customer Inc", "drafted-customer.com"));

        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { status = "suspended" }, Api.Version(partner));

        await Api.Problem(await Api.PatchRegistration(client, Api.Id(draft), new { notes = "More to say." }, Api.ETag(draft)), HttpStatusCode.Conflict, "partner.suspended");
        (await Api.Get(client, $"/api/v1/registrations/{Api.Id(draft)}"))["version"]!.GetValue<long>().Should().Be(Api.Version(draft), "a suspended partner edits nothing");
        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(waiting)}/approve", "{}"), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{Api.Id(approved)}/extend", null), HttpStatusCode.Conflict, "partner.suspended");
        (await Api.Get(manager, $"/api/v1/registrations/{Api.Id(waiting)}"))["status"]!.GetValue<string>().Should().Be("submitted");
        (await Api.Get(manager, $"/api/v1/registrations/{Api.Id(approved)}"))["extensionsUsed"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task TheReviewQueue_ReadOnFromTheLastRegistrationSeen_SkipsNothingDecidedMeanwhile()
    {
        var manager = await _app.ClientFor("manager");
        var mine = await QueuedAsync("Queue Walker", 6);

        // The whole queue as it stands, then walked three at a time, approving one of this test's registrations on each page as a manager would.
        var all = (await Api.Get(manager, "/api/v1/reviews?pageSize=100"))["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).ToList();
        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Api.Get(manager, $"/api/v1/reviews?pageSize=3{(after is null ? string.Empty : $"&after={after}")}");
            var ids = page["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).ToList();
            if (ids.Count == 0)
            {
                break;
            }

            seen.AddRange(ids);
            if (ids.FirstOrDefault(mine.Contains) is { } decided)
            {
                await Api.Post(manager, $"/api/v1/registrations/{decided}/approve", new { comment = "ok" });
            }

            after = ids[^1];
        }

        seen.Should().Equal(all, "every registration queued is read once, in queue order, however many were decided on the way");
        mine.Should().BeSubsetOf(seen);
        await Api.Problem(await manager.GetAsync($"/api/v1/reviews?after={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task TheReviewQueue_ReadOnFromAnItemAnotherManagerTookUpSince_AsFromItsCursor()
    {
        using var app = new CoSellApp();
        var admin = await app.ClientFor("admin");
        var manager = await app.ClientFor("manager");
        var manager2 = await app.ClientFor("manager2");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Shared Queue Partner Ltd", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        var client = Tokens.ClientWith(app, app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Api.Id(await Api.Create(client, Api.NewRegistration(app, $"Shared Queue {i} Inc", $"shared-queue-{i}.com")));
            await Api.Post(client, $"/api/v1/registrations/{id}/submit");
            ids.Add(id);
            app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        static List<string> Ids(System.Text.Json.Nodes.JsonObject page) => page["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).ToList();
        var first = await Api.Get(manager2, "/api/v1/reviews?pageSize=2");
        Ids(first).Should().Equal(ids[0], ids[1]);

        // The last one read leaves manager2's queue: another manager takes it up from the shared queue.
        await Api.Post(manager, $"/api/v1/registrations/{ids[1]}/start-review");

        Ids(await Api.Get(manager2, $"/api/v1/reviews?pageSize=2&after={first["next"]!.GetValue<string>()}")).Should().Equal(ids[2]);
        Ids(await Api.Get(manager2, $"/api/v1/reviews?pageSize=2&after={ids[1]}")).Should().Equal([ids[2]], "the id of the last item read marks the same place as its cursor");
    }

    [Fact]
    public async Task TheReviewQueue_ReadOnWithItsNextCursor_SkipsNothingWhenTheLastOneReadMovedOn()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var mine = await QueuedAsync("Cursor Walker", 4);

        static List<string> Ids(System.Text.Json.Nodes.JsonObject page) => page["items"]!.AsArray().Select(i => i!["registration"]!["id"]!.GetValue<string>()).ToList();
        var all = Ids(await Api.Get(manager, "/api/v1/reviews?pageSize=100"));
        var seen = new List<string>();
        string? moved = null;
        string? next = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await Api.Get(manager, $"/api/v1/reviews?pageSize=2{(next is null ? string.Empty : $"&after={next}")}");
            var ids = Ids(page);
            if (ids.Count == 0)
            {
                page["next"].Should().BeNull();
                break;
            }

            seen.AddRange(ids);
            next = page["next"]!.GetValue<string>();
            if (moved is null && mine.Contains(ids[^1]))
            {
                // The last one read goes back to the partner and returns later in the queue, with a later due time.
                moved = ids[^1];
                await Api.Post(manager, $"/api/v1/registrations/{ids[^1]}/start-review");
                await Api.Post(manager, $"/api/v1/registrations/{ids[^1]}/return", new { message = "Add the DUNS number." });
                _app.Time.Advance(TimeSpan.FromMinutes(10));
                await Api.Post(partner, $"/api/v1/registrations/{ids[^1]}/submit");
            }
        }

        moved.Should().NotBeNull();
        seen.Should().Equal(all.Append(moved!), "reading on from where the page ended skips nothing, though its last registration moved on to the end, where it is read again");
    }

    /// <summary>Northwind submits <paramref name="count"/> registrations for review, a second apart, so they queue in that order.</summary>
    private async Task<List<string>> QueuedAsync(string name, int count)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var queued = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var draft = await Api.Create(partner, Api.NewRegistration(_app, $"{name} {Words(i)} Inc", $"{name.Replace(' ', '-').ToLowerInvariant()}-{i}.com"));
            await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");
            queued.Add(Api.Id(draft));
            _app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return queued;
    }

    private static string Words(int i) => new[] { "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot" }[i];

    [Fact]
    public async Task SmallDealWithNoCollision_IsApprovedAutomatically()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var draft = await Api.Create(fabrikam, Api.NewRegistration(_app, "Kleine Werkstatt GmbH", "kleine-werkstatt.de", "DE", 12_000m));

        var submitted = await Api.Post(fabrikam, $"/api/v1/registrations/{draft["id"]}/submit");

        submitted["status"]!.GetValue<string>().Should().Be("approved");
        submitted["autoApproved"]!.GetValue<bool>().Should().BeTrue();
        DateTimeOffset.Parse(submitted["protectionEndsAt"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddDays(90), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task SmallDealThatCollidesWithAnotherPartnersClaim_GoesToConflictNotAutoApproval_AndPartnerLearnsOnlyTheVerdict()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        var first = await Api.Create(northwind, Api.NewRegistration(_app, "Collide Corp", "collide-corp.com"));
        await Api.Post(northwind, $"/api/v1/registrations/{first["id"]}/submit");

        var second = await Api.Create(fabrikam, Api.NewRegistration(_app, "Collide Corporation", "https://shop.collide-corp.com/", "DE", 10_000m));
        var submitted = await Api.Post(fabrikam, $"/api/v1/registrations/{second["id"]}/submit");

        submitted["status"]!.GetValue<string>().Should().Be("inConflict");
        submitted["autoApproved"]!.GetValue<bool>().Should().BeFalse();
        submitted["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("likely");
        submitted["duplicate"]!["reasons"]!.AsArray().Should().BeEmpty("a partner learns the verdict alone");
        submitted.ToJsonString().Should().NotContain(first["id"]!.GetValue<string>());

        var asManager = await Api.Get(manager, $"/api/v1/registrations/{second["id"]}");
        asManager["duplicate"]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain("same registrable domain collide-corp.com");
    }

    // Before, a returned registration was a live claim no vendor user could end (409), and an edit of anything judged its
    // close date again, passed since, though the edit left it as it was.
    [Fact]
    public async Task AReturnedRegistrationPastItsCloseDate_TakesAFixOfAnotherField_AndIsRejectedByTheReviewerWhileThePartnerDoesNotAnswer()
    {
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var manager = await app.ClientFor("manager");
        var customer = new { name = "Silent Partner Works", domain = "silent-partner.com", country = "US" };
        var id = Api.Id(await Api.Create(partner, new { customer, productLines = new[] { "Security" }, estimatedValue = new { amount = 500_000m, currency = "USD" }, expectedCloseDate = Api.CloseDate(app, 2) }));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        var returned = await Api.Post(manager, $"/api/v1/registrations/{id}/return", new { message = "Add the DUNS number." });
        app.Time.Advance(TimeSpan.FromDays(3));

        // The form sent back whole, its close date as it was.
        var fixedDuns = await Api.Body(await Api.PatchRegistration(partner, id, new { customer = new { customer.name, customer.country, duns = "123456789" }, expectedCloseDate = returned["expectedCloseDate"]!.GetValue<string>() }, Api.ETag(returned)));
        fixedDuns["customer"]!["duns"]!.GetValue<string>().Should().Be("123456789");
        await Api.Problem(await Api.Send(partner, HttpMethod.Post, $"/api/v1/registrations/{id}/submit"), HttpStatusCode.BadRequest, "registration.close_date_invalid");
        var check = new { customer };
        (await Api.Post(manager, "/api/v1/duplicate-checks", check))["verdict"]!.GetValue<string>().Should().Be("likely", "a claim returned for action is live");

        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{id}/reject", new { reason = "insufficientInformation" }, "\"1\""), HttpStatusCode.PreconditionFailed, "precondition_failed");
        var rejected = await Api.Body(await Api.Send(manager, HttpMethod.Post, $"/api/v1/registrations/{id}/reject", new { reason = "insufficientInformation", comment = "No answer in three days." }, Api.ETag(fixedDuns)));
        rejected["status"]!.GetValue<string>().Should().Be("rejected");
        (await Api.Post(manager, "/api/v1/duplicate-checks", check))["verdict"]!.GetValue<string>().Should().NotBe("likely", "the rejected claim holds the customer no more");
        var timeline = await Api.Get(partner, $"/api/v1/registrations/{id}/timeline");
        timeline.ToJsonString().Should().Contain("No answer in three days.");
    }

    [Fact]
    public async Task ReturnedRegistration_IsEditedAndResubmittedIntoReview()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Returned Goods Ltd", "returned-goods.co.uk", "GB"));
        var id = draft["id"]!.GetValue<string>();
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/start-review");

        var returned = await Api.Post(manager, $"/api/v1/registrations/{id}/return", new { message = "Add the DUNS number." });
        returned["status"]!.GetValue<string>().Should().Be("actionRequired");
        returned["reviewerMessage"]!.GetValue<string>().Should().Be("Add the DUNS number.");

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/registrations/{id}") { Content = JsonContent.Create(new { customer = new { name = "Returned Goods Ltd", domain = "returned-goods.co.uk", country = "GB", duns = "12-345-6789" } }) };
        patch.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{returned["version"]}\""));
        var edited = await partner.SendAsync(patch);
        await Api.Expect(edited, HttpStatusCode.OK);
        (await Api.Body(edited))["customer"]!["duns"]!.GetValue<string>().Should().Be("123456789");

        var resubmitted = await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        resubmitted["status"]!.GetValue<string>().Should().Be("underReview");

        var rejected = await Api.Post(manager, $"/api/v1/registrations/{id}/reject", new { reason = "notQualified", comment = "No budget this year." });
        rejected["status"]!.GetValue<string>().Should().Be("rejected");
        rejected["rejectionReason"]!.GetValue<string>().Should().Be("notQualified");
    }

    [Fact]
    public async Task AnEditGivingTheCustomer_KeepsTheDomainAndDunsItLeavesOut_RemovesAnEmptyOne_AndItsTimelineSaysWhatChanged()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Patch Nested Inc", "patch-nested.com", duns: "123456789"));

        var response = await Api.PatchRegistration(partner, Api.Id(draft), new { customer = new { name = "Patch Nested Incorporated", country = "US" } }, Api.ETag(draft));
        await Api.Expect(response, HttpStatusCode.OK);
        var renamed = await Api.Body(response);
        renamed["customer"]!["name"]!.GetValue<string>().Should().Be("Patch Nested Incorporated");
        renamed["customer"]!["domain"]!.GetValue<string>().Should().Be("patch-nested.com", "a domain left out keeps its value, as every field left out does");
        renamed["customer"]!["duns"]!.GetValue<string>().Should().Be("123456789");

        response = await Api.PatchRegistration(partner, Api.Id(draft), new { customer = new { name = "Patch Nested Incorporated", country = "US", domain = "", duns = (string?)null } }, Api.ETag(renamed));
        await Api.Expect(response, HttpStatusCode.OK);
        var removed = await Api.Body(response);
        removed["customer"]!["domain"].Should().BeNull("an empty domain removes it");
        removed["customer"]!["duns"]!.GetValue<string>().Should().Be("123456789", "a null DUNS is one left out");

        var timeline = (await Api.Get(partner, $"/api/v1/registrations/{Api.Id(draft)}/timeline"))["items"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "registration.edited").Select(e => e!["summary"]!.GetValue<string>()).ToList();
        timeline.Should().Equal(
            "Edited: Patch Nested Incorporated (US), 120000.00 USD, closing " + draft["expectedCloseDate"]!.GetValue<string>() + "; changed: name.",
            "Edited: Patch Nested Incorporated (US), 120000.00 USD, closing " + draft["expectedCloseDate"]!.GetValue<string>() + "; changed: domain (removed).");
    }

    [Fact]
    public async Task ApprovedRegistration_ExpiresWhenItsProtectionEnds()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, "Expiring Holdings", "expiring-holdings.com"));
        var id = draft["id"]!.GetValue<string>();
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        _app.Time.Advance(TimeSpan.FromDays(119));
        await _app.Services.GetRequiredService<RegistrationExpiryService>().RunOnceAsync(CancellationToken.None);
        (await Api.Get(partner, $"/api/v1/registrations/{id}"))["status"]!.GetValue<string>().Should().Be("approved");

        _app.Time.Advance(TimeSpan.FromDays(2));
        await _app.Services.GetRequiredService<RegistrationExpiryService>().RunOnceAsync(CancellationToken.None);

        var expired = await Api.Get(partner, $"/api/v1/registrations/{id}");
        expired["status"]!.GetValue<string>().Should().Be("expired");
        var timeline = await Api.Get(partner, $"/api/v1/registrations/{id}/timeline");
        timeline["items"]!.AsArray().Last()!["actor"]!.GetValue<string>().Should().Be("system");
    }

    [Fact]
    public async Task ExpiryService_RunsOnItsTimer_WhenTimeMoves()
    {
        using var app = new CoSellApp();
        var partner = await app.ClientFor("partner.northwind");
        var manager = await app.ClientFor("manager");
        var id = Api.Id(await Api.Create(partner, Api.NewRegistration(app, "Timer Expiry Co", "timer-expiry.com")));
        await Api.Post(partner, $"/api/v1/registrations/{id}/submit");
        await Api.Post(manager, $"/api/v1/registrations/{id}/approve");

        // Nothing calls the service here: its own loop wakes on the injected TimeProvider.
        app.Time.Advance(TimeSpan.FromDays(121));

        var status = await Api.Eventually(async () => (await Api.Get(partner, $"/api/v1/registrations/{id}"))["status"]!.GetValue<string>(), s => s == "expired");

        status.Should().Be("expired");
    }

    [Fact]
    public async Task PartnerCanReadTheRulesInPlainWords()
    {
        var partner = await _app.ClientFor("partner.adatum");
        var rules = await Api.Get(partner, "/api/v1/rules");
        rules["version"]!.GetValue<int>().Should().Be(1);
        rules["explanation"]!.AsArray().Select(l => l!.GetValue<string>()).Should()
            .Contain(l => l.Contains("Gold partners: an approved registration is protected for 120 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditLog_RefusesUpdatesAndDeletes()
    {
        var act = () => _app.Db(db => db.Database.ExecuteSqlRawAsync("UPDATE audit_log SET Summary = 'rewritten'"));
        await act.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().WithMessage("*append-only*");
        var delete = () => _app.Db(db => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log"));
        await delete.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>().WithMessage("*append-only*");
    }

    [Theory]
    [InlineData("120000", "120000")]
    [InlineData("1234.50", "1234.5")]
    [InlineData("99.990", "99.99")]
    public async Task AnAmountReadsBackExactlyAsTheCreateAnsweredIt(string sent, string expected)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var draft = await Api.Create(partner, Api.NewRegistration(_app, $"Round Trip {sent} Ltd", null, amount: decimal.Parse(sent, System.Globalization.CultureInfo.InvariantCulture)));

        var read = await Api.Get(partner, $"/api/v1/registrations/{draft["id"]}");

        draft["estimatedValue"]!["amount"]!.ToJsonString().Should().Be(expected);
        read["estimatedValue"]!["amount"]!.ToJsonString().Should().Be(expected, "the stored amount is the amount the create answered");
    }
}
