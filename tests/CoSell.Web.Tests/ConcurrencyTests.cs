using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests;

/// <summary>Two people acting on the same version at the same moment: one wins, the other is told to re-read, nothing is lost or mixed.</summary>
public sealed class ConcurrencyTests : IClassFixture<CoSellApp>
{
    private const int Rounds = 8;

    private readonly CoSellApp _app;

    public ConcurrencyTests(CoSellApp app) => _app = app;

    [Theory]
    [InlineData("withdrawn registration")]
    [InlineData("direct deal closed as won")]
    public async Task ASubmission_JudgedWhileARivalsExitIsCommittedButNotYetFiled_IsJudgedWithoutTheRival(string exit)
    {
        var rep = await _app.ClientFor("rep");
        var manager = await _app.ClientFor("manager");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var customer = exit == "direct deal closed as won" ? "Quillfeather Orchards" : "Brassmoor Tanneries";
        var domain = $"{customer.Split(' ')[0].ToLowerInvariant()}-{Guid.NewGuid():N}"[..24] + ".com";
        string rival;
        if (exit == "direct deal closed as won")
        {
            rival = Api.Id(await CoSelling.OpenDirect(rep, _app, customer, domain));
        }
        else
        {
            var registration = await Api.Create(fabrikam, Api.NewRegistration(_app, customer, domain, amount: 10_000m));
            rival = Api.Id(registration);
            await Api.Post(fabrikam, $"/api/v1/registrations/{rival}/submit");
            await Api.Post(manager, $"/api/v1/registrations/{rival}/approve");
        }

        // The exit as the store holds it once its command has committed, before its events have reached the claims index.
        await _app.ExecuteSqlAsync(exit == "direct deal closed as won"
            ? $"UPDATE opportunities SET Stage = 'ClosedWon' WHERE upper(Id) = upper('{rival}')"
            : $"UPDATE registrations SET Status = 'Withdrawn' WHERE upper(Id) = upper('{rival}')");

        var draft = await Api.Create(northwind, Api.NewRegistration(_app, customer, domain, amount: 10_000m));
        var submitted = await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(draft)}/submit");

        submitted["status"]!.GetValue<string>().Should().Be("approved", "no live claim collides: the rules approve it at once");
        submitted["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("clear");
    }

    [Fact]
    public async Task TwoEditsCarryingTheSameETag_OneWinsAndTheOtherIs412_AndTheStoredRowIsTheWinnersOnly()
    {
        var alice = await _app.ClientFor("partner.northwind");
        var bob = await _app.ClientFor("partner.northwind");

        for (var round = 0; round < Rounds; round++)
        {
            var draft = await Api.Create(alice, Api.NewRegistration(_app, $"Race Condition {round} Ltd", $"race-{round}.com"));
            var id = Api.Id(draft);
            var edits = new[]
            {
                new { notes = $"Alice's notes, round {round}.", estimatedValue = new { amount = 111_000m, currency = "USD" }, productLines = new[] { "Alice Line" } },
                new { notes = $"Bob's notes, round {round}.", estimatedValue = new { amount = 222_000m, currency = "EUR" }, productLines = new[] { "Bob Line" } },
            };

            var responses = await Task.WhenAll(
                Api.PatchRegistration(alice, id, edits[0], Api.ETag(draft)),
                Api.PatchRegistration(bob, id, edits[1], Api.ETag(draft)));

            responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], $"round {round}");
            var winner = Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = 1 - winner;
            var won = await Api.Body(responses[winner]);
            await Api.Problem(responses[loser], HttpStatusCode.PreconditionFailed, "precondition_failed");
            responses[loser].Headers.ETag!.Tag.Should().Be(Api.ETag(won), "the loser learns the version to re-read");

            var stored = await Api.Get(alice, $"/api/v1/registrations/{id}");
            stored["version"]!.GetValue<long>().Should().Be(draft["version"]!.GetValue<long>() + 1);
            stored["notes"]!.GetValue<string>().Should().Be(edits[winner].notes);
            stored["estimatedValue"]!["amount"]!.GetValue<decimal>().Should().Be(edits[winner].estimatedValue.amount);
            stored["estimatedValue"]!["currency"]!.GetValue<string>().Should().Be(edits[winner].estimatedValue.currency);
            stored["productLines"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal(edits[winner].productLines);
            JsonNode.DeepEquals(stored, won).Should().BeTrue("what the winner was told is what is stored");

            var timeline = await Api.Get(alice, $"/api/v1/registrations/{id}/timeline");
            timeline["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).Should().Equal("registration.drafted", "registration.edited");
            timeline["items"]!.AsArray()[1]!["summary"]!.GetValue<string>().Should().Contain(edits[winner].estimatedValue.currency);
        }
    }

    [Fact]
    public async Task ApproveAndRejectCarryingTheSameETag_OneDecisionStands()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var first = await _app.ClientFor("manager");
        var second = await _app.ClientFor("manager");

        for (var round = 0; round < Rounds; round++)
        {
            var draft = await Api.Create(partner, Api.NewRegistration(_app, $"Split Decision {round} Inc", $"split-decision-{round}.com"));
            var submitted = await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit");
            var path = $"/api/v1/registrations/{Api.Id(submitted)}";

            var responses = await Task.WhenAll(
                Api.Send(first, HttpMethod.Post, $"{path}/approve", new { comment = "Go." }, Api.ETag(submitted)),
                Api.Send(second, HttpMethod.Post, $"{path}/reject", new { reason = "notQualified", comment = "Stop." }, Api.ETag(submitted)));

            responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], $"round {round}");
            var approved = responses[0].StatusCode == HttpStatusCode.OK;
            var stored = await Api.Get(partner, path);
            stored["status"]!.GetValue<string>().Should().Be(approved ? "approved" : "rejected");
            (stored["protectionEndsAt"] is not null).Should().Be(approved);
            (stored["rejectionReason"] is not null).Should().Be(!approved);
            var decisions = await _app.Db(db => db.AuditEntries.CountAsync(a => a.AggregateId == Guid.Parse(Api.Id(submitted)) && (a.Type == "registration.approved" || a.Type == "registration.rejected")));
            decisions.Should().Be(1);
        }
    }

    [Fact]
    public async Task TwoCreatesCarryingTheSameIdempotencyKey_CreateOneRegistration()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = System.Text.Json.JsonSerializer.Serialize(Api.NewRegistration(_app, "Double Click Corp", "double-click.com"), Api.Json);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return partner.SendAsync(request);
        }));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => Api.Id(await Api.Body(r))));
        ids.Distinct().Should().ContainSingle();
        (await _app.Db(db => db.Registrations.CountAsync(r => r.Customer.Domain!.Registrable == "double-click.com"))).Should().Be(1);
    }

    [Fact]
    public async Task ACreateWhoseIdempotentAnswerCannotBeStored_IsNotStoredEither_SoItsRetryCreatesOnce()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var body = System.Text.Json.JsonSerializer.Serialize(Api.NewRegistration(_app, "Answer Kept Corp", "answer-kept.com"), Api.Json);
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return partner.SendAsync(request);
        }

        Task<int> Stored() => _app.Db(db => db.Registrations.CountAsync(r => r.Customer.Domain!.Registrable == "answer-kept.com"));

        // The store refuses the answer's row, as a full disk would refuse the commit's last write.
        await _app.Db(db => db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_answers BEFORE INSERT ON idempotency_keys BEGIN SELECT RAISE(ABORT, 'refused'); END;"));
        HttpResponseMessage failed;
        try
        {
            failed = await Create();
        }
        finally
        {
            await _app.Db(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_answers;"));
        }

        ((int)failed.StatusCode).Should().BeGreaterThanOrEqualTo(500);
        failed.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await Stored()).Should().Be(0, "the create and its answer are one commit");

        var created = await Create();
        await Api.Expect(created, HttpStatusCode.Created);
        var replayed = await Create();
        await Api.Expect(replayed, HttpStatusCode.Created);
        replayed.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        Api.Id(await Api.Body(replayed)).Should().Be(Api.Id(await Api.Body(created)));
        replayed.Headers.Location.Should().Be(created.Headers.Location);
        replayed.Headers.ETag.Should().Be(created.Headers.ETag);
        (await Stored()).Should().Be(1);
    }

    [Fact]
    public async Task NotesAndPartnersAddedAtOnceWithoutIfMatch_AreAllKept_ForEachLoserIsDecidedAgain()
    {
        var rep = await _app.ClientFor("rep");
        var admin = await _app.ClientFor("admin");
        var opportunity = await CoSelling.OpenDirect(rep, _app, "Busy Notes Ltd", "busy-notes.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}/notes";

        // Before, each note and partner that lost its commit to another was a 409 the caller had to retry itself.
        var notes = await Task.WhenAll(Enumerable.Range(0, Rounds).Select(i => rep.PostAsJsonAsync(path, new { visibility = "shared", body = $"Note {i}" })));
        var partners = await Task.WhenAll(Enumerable.Range(0, Rounds).Select(i => admin.PostAsJsonAsync("/api/v1/partners",
            new { name = $"Busy Manager Partner {i}", tier = "silver", territories = new[] { "FR" }, channelManagerId = "00000000-0000-0000-0000-0000000000c2" })));

        notes.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        partners.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var read = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}");
        Api.Version(read).Should().Be(Api.Version(opportunity) + Rounds, "each note moved the version on once");
        var timeline = await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}/timeline?pageSize=100");
        timeline["items"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "opportunity.note_added").Should().Be(Rounds, "no note was written twice");
    }

    [Fact]
    public async Task TwoPartnersSubmittingTheSameCustomerAtOnce_DoNotBothGetAClearVerdict()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        for (var round = 0; round < Rounds; round++)
        {
            // Small enough for both tiers to approve automatically when nothing collides.
            var word = MadeUpWord();
            var name = $"{word} Industries";
            var domain = $"{word}.com";
            var first = Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, name, domain, "US", 10_000m)));
            var second = Api.Id(await Api.Create(fabrikam, Api.NewRegistration(_app, name, domain, "US", 10_000m)));

            var submitted = await Task.WhenAll(
                Api.Post(northwind, $"/api/v1/registrations/{first}/submit"),
                Api.Post(fabrikam, $"/api/v1/registrations/{second}/submit"));

            var seen = string.Join(" / ", submitted.Select(r => $"{r["status"]} {r["duplicate"]!["verdict"]}"));
            submitted.Count(r => r["duplicate"]!["verdict"]!.GetValue<string>() == "clear").Should().Be(1, $"round {round}: one of two simultaneous claims on one customer came first ({seen})");
            submitted.Count(r => r["status"]!.GetValue<string>() == "inConflict").Should().Be(1, $"round {round}: the other collides with it ({seen})");
        }

        _app.Services.GetRequiredService<CoSell.Application.DuplicateChecks.ClaimGate>().HeldKeys.Should().Be(0, "every submission let its keys go");
        await Api.Problem(await northwind.PostAsync($"/api/v1/registrations/{Guid.NewGuid()}/submit", null), HttpStatusCode.NotFound);
        _app.Services.GetRequiredService<CoSell.Application.DuplicateChecks.ClaimGate>().HeldKeys.Should().Be(0);
    }

    [Fact]
    public async Task ApproveAndRejectWithoutIfMatch_OneDecisionStands_AndTheOtherIs409NotAFailedPrecondition()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var first = await _app.ClientFor("manager");
        var second = await _app.ClientFor("manager");

        for (var round = 0; round < Rounds; round++)
        {
            var draft = await Api.Create(partner, Api.NewRegistration(_app, $"No Precondition {round} Inc", $"no-precondition-{round}.com"));
            var path = $"/api/v1/registrations/{Api.Id(await Api.Post(partner, $"/api/v1/registrations/{Api.Id(draft)}/submit"))}";

            var responses = await Task.WhenAll(
                Api.Send(first, HttpMethod.Post, $"{path}/approve", new { comment = "Go." }),
                Api.Send(second, HttpMethod.Post, $"{path}/reject", new { reason = "notQualified", comment = "Stop." }));

            responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict], $"round {round}: neither sent a precondition");
            var lost = await Api.Body(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict));
            lost["code"]!.GetValue<string>().Should().BeOneOf(["registration.illegal_transition", "registration.not_open", "conflict.concurrent_change"], "it lost before loading (the other had decided) or at commit");
        }
    }

    [Fact]
    public async Task TwoSubmissionsThatEachCollideWithAThirdClaim_ButNotWithEachOther_JoinOneCase()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var adatum = await _app.ClientFor("partner.adatum");
        var arbiter = await _app.ClientFor("arbiter");

        for (var round = 0; round < Rounds; round++)
        {
            var word = MadeUpWord();
            var duns = Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var first = Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, $"{word} Holdings", $"{word}.com", duns: duns)));
            await Api.Post(northwind, $"/api/v1/registrations/{first}/submit");

            // One shares the first's DUNS, the other its domain; their names and the rest share nothing.
            var byDuns = Api.Id(await Api.Create(fabrikam, Api.NewRegistration(_app, $"Zenith {round} Apparel", null, duns: duns)));
            var byDomain = Api.Id(await Api.Create(adatum, Api.NewRegistration(_app, $"Orion {round} Freight", $"https://shop.{word}.com/", "JP")));
            await Task.WhenAll(
                Api.Post(fabrikam, $"/api/v1/registrations/{byDuns}/submit"),
                Api.Post(adatum, $"/api/v1/registrations/{byDomain}/submit"));

            var open = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
                .Where(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == first)).ToList();
            open.Should().ContainSingle($"round {round}: one open case per claim");
            open[0]!["claims"]!.AsArray().Select(cl => cl!["claimId"]!.GetValue<string>()).Should().BeEquivalentTo([first, byDuns, byDomain]);
        }

        _app.Services.GetRequiredService<CoSell.Application.DuplicateChecks.ClaimGate>().HeldKeys.Should().Be(0, "every submission let its keys go");
    }

    [Fact]
    public async Task ASubmission_WaitsWhileItsCustomersKeysAreHeld()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var draft = Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, "Held Keys Robotics", "held-keys-robotics.com")));
        Task<System.Text.Json.Nodes.JsonObject> submit;
        using (await HoldKeysOf("Held Keys Robotics", "held-keys-robotics.com", "US"))
        {
            submit = Api.Post(northwind, $"/api/v1/registrations/{draft}/submit");
            await Task.Delay(300);
            submit.IsCompleted.Should().BeFalse("a submission for this customer is being judged");
        }

        (await submit)["status"]!.GetValue<string>().Should().NotBe("draft");
    }

    // Before, a submission read the rules before it waited at the gate and the duplicate check read them again after:
    // with a version published meanwhile it was judged clear under the new thresholds, approved at once, and recorded
    // under the old version, whose thresholds made it a likely duplicate.
    [Fact]
    public async Task ASubmissionWaitingWhileANewRulesVersionIsPublished_IsJudgedUnderTheVersionItRecords()
    {
        using var app = new CoSellApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var admin = await app.ClientFor("admin");
        var manager = await app.ClientFor("manager");
        var first = Api.Id(await Api.Create(northwind, Api.NewRegistration(app, "Gate Rules Coffee", "gate-rules-coffee.com", amount: 30_000m)));
        await Api.Post(northwind, $"/api/v1/registrations/{first}/submit");
        var draft = Api.Id(await Api.Create(fabrikam, Api.NewRegistration(app, "Gate Rules Amber Coffee", "gate-rules-coffee.com", amount: 30_000m)));
        var before = await Api.Get(admin, "/api/v1/rules");
        (await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "Gate Rules Amber Coffee", domain = "gate-rules-coffee.com", country = "US" } }))["verdict"]!
            .GetValue<string>().Should().Be("likely", "under the rules active now");

        Task<System.Text.Json.Nodes.JsonObject> submit;
        var keys = app.Services.GetRequiredService<CoSell.Domain.Customers.Identity.ClaimsIndex>()
            .KeysOf(app.Services.GetRequiredService<CoSell.Domain.Customers.Identity.CustomerNormaliser>().Normalise("Gate Rules Amber Coffee", "gate-rules-coffee.com", "US", null));
        var gate = app.Services.GetRequiredService<CoSell.Application.DuplicateChecks.ClaimGate>();
        using (await gate.EnterAsync(keys, CancellationToken.None))
        {
            submit = Api.Post(fabrikam, $"/api/v1/registrations/{draft}/submit");
            for (var waited = 0; gate.Waiting == 0 && waited < 200; waited++)
            {
                await Task.Delay(25);
            }

            gate.Waiting.Should().BeGreaterThan(0, "the submission waits for the customer's keys");
            var stricter = before.DeepClone().AsObject();
            foreach (var field in stricter.Select(f => f.Key).Except(["currency", "tiers", "likelyDuplicateThreshold", "possibleDuplicateThreshold", "directLookbackDays", "conflictSlaHours", "referralAcceptSlaHours"]).ToList())
            {
                stricter.Remove(field);
            }

            stricter["likelyDuplicateThreshold"] = 1;
            stricter["possibleDuplicateThreshold"] = 0.9999;
            await Api.Post(admin, "/api/v1/rules/versions", stricter, HttpStatusCode.Created);
        }

        var submitted = await submit;
        var judged = await Api.Get(manager, $"/api/v1/registrations/{draft}");
        judged["rulesVersion"]!.GetValue<int>().Should().Be(before["version"]!.GetValue<int>());
        judged["duplicate"]!["verdict"]!.GetValue<string>().Should().Be("likely", "judged under the thresholds of the version it records");
        submitted["status"]!.GetValue<string>().Should().Be("inConflict");
    }

    [Fact]
    public async Task EditingTheCustomerOfAReturnedRegistration_WaitsWhileTheNewCustomersKeysAreHeld()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var draft = Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, "Before Edit Logistics", "before-edit-logistics.com")));
        await Api.Post(northwind, $"/api/v1/registrations/{draft}/submit");
        var returned = await Api.Post(manager, $"/api/v1/registrations/{draft}/return", new { message = "Check the company name." });
        returned["status"]!.GetValue<string>().Should().Be("actionRequired");

        Task<HttpResponseMessage> edit;
        using (await HoldKeysOf("After Edit Logistics", "after-edit-logistics.com", "US"))
        {
            edit = Api.PatchRegistration(northwind, draft, new { customer = new { name = "After Edit Logistics", domain = "after-edit-logistics.com", country = "US" } }, Api.ETag(returned));
            await Task.Delay(300);
            edit.IsCompleted.Should().BeFalse("the returned registration is a live claim moving onto a customer a submission is being judged for");
        }

        await Api.Expect(await edit, HttpStatusCode.OK);
    }

    /// <summary>A word made up per call, so that no round's customer resembles another's.</summary>
    // Ten letters of the whole alphabet: hex digits' six letters made words alike enough for the matcher to call two
    // rounds' customers possible duplicates of each other.
    private static string MadeUpWord() => string.Create(10, 0, static (span, _) =>
    {
        span[0] = 'q';
        for (var i = 1; i < span.Length; i++)
        {
            span[i] = (char)('a' + Random.Shared.Next(26));
        }
    });

    /// <summary>Holds the claims-index keys of a customer, as a submission being judged for it would.</summary>
    private Task<IDisposable> HoldKeysOf(string name, string domain, string country)
    {
        var keys = _app.Services.GetRequiredService<CoSell.Domain.Customers.Identity.ClaimsIndex>()
            .KeysOf(_app.Services.GetRequiredService<CoSell.Domain.Customers.Identity.CustomerNormaliser>().Normalise(name, domain, country, null));
        return _app.Services.GetRequiredService<CoSell.Application.DuplicateChecks.ClaimGate>().EnterAsync(keys, CancellationToken.None);
    }
}
