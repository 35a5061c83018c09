using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Infrastructure.Referrals;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

public sealed class ReferralTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public ReferralTests(CoSellApp app) => _app = app;


    private static async Task<JsonObject> Send(HttpClient sender, object lead)
    {
        var response = await sender.PostAsJsonAsync("/api/v1/referrals", lead);
        await Api.Expect(response, HttpStatusCode.Created);
        response.Headers.Location.Should().NotBeNull();
        return await Api.Body(response);
    }

    [Fact]
    public async Task VendorToPartner_ContactHiddenUntilAccepted_AcceptingTwiceIs409_ConvertsIntoARegistrationKeepingItsSource()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var sent = await Send(rep, Lead("Referred Robotics", "referred-robotics.com", Northwind));
        var id = Api.Id(sent);
        sent["direction"]!.GetValue<string>().Should().Be("vendorToPartner");
        sent["contact"]!["email"]!.GetValue<string>().Should().Be("lee@referred-robotics.com", "the sender knows its own lead");
        DateTimeOffset.Parse(sent["acceptBy"]!.GetValue<string>()).Should().BeCloseTo(_app.Time.GetUtcNow().AddHours(48), TimeSpan.FromSeconds(1));

        var received = await Api.Get(northwind, $"/api/v1/referrals/{id}");
        received["contact"].Should().BeNull();
        received.ToJsonString().Should().NotContain("lee@").And.NotContain("555 0199");
        (await Api.Get(northwind, "/api/v1/referrals?direction=VendorToPartner"))["items"]!.AsArray()
            .Single(i => i!["id"]!.GetValue<string>() == id)!["contact"].Should().BeNull();

        await Api.Problem(await rep.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        var accepted = await Api.Post(northwind, $"/api/v1/referrals/{id}/accept");
        accepted["status"]!.GetValue<string>().Should().Be("accepted");
        accepted["contact"]!["email"]!.GetValue<string>().Should().Be("lee@referred-robotics.com");
        await Api.Problem(await northwind.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Conflict, "referral.already_answered");

        // A registration has no owner and no next step: naming them is refused, not dropped, and converts nothing.
        var misnamed = await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app), ownerId = Rep, nextStep = "Call Lee" }),
            HttpStatusCode.BadRequest, "validation_failed");
        misnamed["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["ownerId", "nextStep"]);
        (await Api.Get(northwind, $"/api/v1/referrals/{id}"))["status"]!.GetValue<string>().Should().Be("accepted");

        var convert = await northwind.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app) });
        await Api.Expect(convert, HttpStatusCode.Created);
        var conversion = await Api.Body(convert);
        conversion["kind"]!.GetValue<string>().Should().Be("registration");
        conversion["referral"]!["status"]!.GetValue<string>().Should().Be("converted");
        var registrationId = conversion["id"]!.GetValue<string>();
        convert.Headers.Location!.ToString().Should().Be($"/api/v1/registrations/{registrationId}");

        var registration = await Api.Get(northwind, $"/api/v1/registrations/{registrationId}");
        registration["status"]!.GetValue<string>().Should().Be("draft");
        registration["sourceReferralId"]!.GetValue<string>().Should().Be(id);
        registration["productLines"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("Analytics");
        registration["estimatedValue"]!["amount"]!.GetValue<decimal>().Should().Be(90_000m);

        await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.Conflict, "referral.already_answered");
    }

    [Fact]
    public async Task AnsweringWithAStaleIfMatch_Is412_AndTheReferralStaysOpen_WhileTheCurrentTagGoesAhead()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var sent = await Send(rep, Lead("Stale Answers Ltd", "stale-answers.com", Northwind));
        var id = Api.Id(sent);
        var stale = $"\"{Api.Version(sent) + 7}\"";

        await Api.Problem(await Api.Send(northwind, HttpMethod.Post, $"/api/v1/referrals/{id}/accept", ifMatch: stale), HttpStatusCode.PreconditionFailed, "precondition_failed");
        await Api.Problem(await Api.Send(northwind, HttpMethod.Post, $"/api/v1/referrals/{id}/decline", new { reason = "noCapacity" }, stale), HttpStatusCode.PreconditionFailed, "precondition_failed");
        (await Api.Get(northwind, $"/api/v1/referrals/{id}"))["status"]!.GetValue<string>().Should().Be("pending");

        var accepted = await Api.Send(northwind, HttpMethod.Post, $"/api/v1/referrals/{id}/accept", ifMatch: $"\"{Api.Version(sent)}\"");
        await Api.Expect(accepted, HttpStatusCode.OK);
        var convert = await Api.Send(northwind, HttpMethod.Post, $"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app) }, ifMatch: $"\"{Api.Version(sent)}\"");
        await Api.Problem(convert, HttpStatusCode.PreconditionFailed, "precondition_failed");
        (await Api.Get(northwind, $"/api/v1/referrals/{id}"))["status"]!.GetValue<string>().Should().Be("accepted", "a refused precondition changes nothing");
    }

    [Fact]
    public async Task APartnerSuspendedAfterBeingReferredOrInvited_NeitherAcceptsNorTurnsDown_AndSeesNoContact()
    {
        using var app = new CoSellApp();
        var rep = await app.ClientFor("rep");
        var admin = await app.ClientFor("admin");
        var adatum = await app.ClientFor("partner.adatum");
        var referral = await Send(rep, Lead("Suspended Leads KK", "suspended-leads.jp", Adatum, country: "JP"));
        var opportunity = await OpenDirect(rep, app, "Suspended Invites KK", "suspended-invites.jp");
        var invitation = await Invite(rep, Api.Id(opportunity), Adatum);
        var partner = await Api.Get(admin, $"/api/v1/partners/{Adatum}");
        await Api.PatchOk(admin, $"/api/v1/partners/{Adatum}", new { status = "suspended" }, Api.Version(partner));

        await Api.Problem(await adatum.PostAsync($"/api/v1/referrals/{Api.Id(referral)}/accept", null), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await adatum.PostAsync($"/api/v1/invitations/{Api.Id(invitation)}/accept", null), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await adatum.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(referral)}/decline", new { reason = "noCapacity" }), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await adatum.PostAsJsonAsync($"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Not now." }), HttpStatusCode.Conflict, "partner.suspended");
        // Nor does it learn, through an If-Match gone stale, that the deal changed since (an internal note, here).
        await Api.Post(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}/notes", new { visibility = "internal", body = "Vendor only." }, HttpStatusCode.Created);
        var stale = await Api.Send(adatum, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/accept", null, "\"0\"");
        await Api.Problem(stale, HttpStatusCode.Conflict, "partner.suspended");
        stale.Headers.ETag.Should().BeNull();
        await Api.Problem(await Api.Send(adatum, HttpMethod.Post, $"/api/v1/invitations/{Api.Id(invitation)}/reject", new { reason = "Not now." }, "\"0\""), HttpStatusCode.Conflict, "partner.suspended");

        var read = await Api.Get(adatum, $"/api/v1/referrals/{Api.Id(referral)}");
        read["status"]!.GetValue<string>().Should().Be("pending");
        read["contact"].Should().BeNull();
        (await Api.Get(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}"))["participants"]!.AsArray()
            .Single(p => p!["invitationId"]!.GetValue<string>() == Api.Id(invitation))!["status"]!.GetValue<string>().Should().Be("pending");
    }

    [Fact]
    public async Task AReferralFromAPartnerSuspendedSince_IsNeitherTakenUpNorMadeAnOpportunity()
    {
        using var app = new CoSellApp();
        var rep = await app.ClientFor("rep");
        var admin = await app.ClientFor("admin");
        var adatum = await app.ClientFor("partner.adatum");
        var pending = await Send(adatum, Lead("Suspended Sender KK", "suspended-sender.jp", country: "JP"));
        var accepted = await Send(adatum, Lead("Accepted Before KK", "accepted-before.jp", country: "JP"));
        await Api.Post(rep, $"/api/v1/referrals/{Api.Id(accepted)}/accept");
        var partner = await Api.Get(admin, $"/api/v1/partners/{Adatum}");
        await Api.PatchOk(admin, $"/api/v1/partners/{Adatum}", new { status = "suspended" }, Api.Version(partner));

        await Api.Problem(await rep.PostAsync($"/api/v1/referrals/{Api.Id(pending)}/accept", null), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(accepted)}/convert", new { expectedCloseDate = Api.CloseDate(app) }), HttpStatusCode.Conflict, "partner.suspended");

        (await Api.Get(rep, $"/api/v1/referrals/{Api.Id(pending)}"))["status"]!.GetValue<string>().Should().Be("pending");
        (await Api.Get(rep, $"/api/v1/referrals/{Api.Id(accepted)}"))["status"]!.GetValue<string>().Should().Be("accepted", "nothing was converted");
        (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray()
            .Should().NotContain(o => o!["customer"]!["name"]!.GetValue<string>() == "Accepted Before KK");
        (await Api.Post(rep, $"/api/v1/referrals/{Api.Id(pending)}/decline", new { reason = "notAFit" }))["status"]!.GetValue<string>()
            .Should().Be("declined", "the vendor may turn down a suspended partner's lead");
    }

    [Fact]
    public async Task AVendorUserDeactivatedSinceItsTokenWasIssued_TakesUpNoPartnersReferral_AnActiveOneDoes()
    {
        var admin = await _app.ClientFor("admin");
        var adatum = await _app.ClientFor("partner.adatum");
        var leaving = new Dictionary<string, HttpClient>();
        foreach (var role in new[] { "rep", "channel_manager" })
        {
            var id = Guid.NewGuid();
            var created = await Api.Post(admin, "/api/v1/users", new { id, userName = $"leaving.{role.Replace("_", ".", StringComparison.Ordinal)}", displayName = "Leaving User", role }, HttpStatusCode.Created);
            leaving[role] = Tokens.ClientWith(_app, _app.TokenForUnseeded(id, role));
            await Api.PatchOk(admin, $"/api/v1/users/{id}", new { isActive = false }, Api.Version(created));
        }

        var sent = await Send(adatum, Lead("Left Behind KK", "left-behind.jp", country: "JP"));
        var path = $"/api/v1/referrals/{Api.Id(sent)}";
        foreach (var client in leaving.Values)
        {
            await Api.Problem(await client.PostAsync($"{path}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        }

        var unchanged = await Api.Get(admin, path);
        unchanged["status"]!.GetValue<string>().Should().Be("pending");
        unchanged["vendorUserId"]!.ToString().Should().Be(sent["vendorUserId"]!.ToString(), "the lead still waits for the user it went to");
        var accepted = await Api.Post(await _app.ClientFor("rep"), $"{path}/accept");
        accepted["vendorUserId"]!.GetValue<string>().Should().Be(Rep);

        // Nor does it send a partner a lead it would answer for.
        foreach (var client in leaving.Values)
        {
            await Api.Problem(await client.PostAsJsonAsync("/api/v1/referrals", Lead("Never Sent KK", "never-sent.jp", Adatum, country: "JP")), HttpStatusCode.Forbidden, "forbidden");
        }

        (await Api.Get(admin, "/api/v1/referrals?pageSize=100"))["items"]!.AsArray()
            .Should().NotContain(r => r!["customer"]!["name"]!.GetValue<string>() == "Never Sent KK");
    }

    [Fact]
    public async Task PartnerToVendor_VendorAcceptsAndConvertsIntoAnOpportunity_WithThePartnerAsItsSource()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var rep = await _app.ClientFor("rep");
        var sent = await Send(northwind, Lead("Upstream Mills", "upstream-mills.com"));
        var id = Api.Id(sent);
        sent["direction"]!.GetValue<string>().Should().Be("partnerToVendor");
        sent["partnerId"]!.GetValue<string>().Should().Be(Northwind);

        (await Api.Get(rep, $"/api/v1/referrals/{id}"))["contact"].Should().BeNull("the vendor receives it and has not accepted yet");
        await Api.Problem(await northwind.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.Conflict, "referral.not_accepted");

        var accepted = await Api.Post(rep, $"/api/v1/referrals/{id}/accept");
        accepted["contact"]!["name"]!.GetValue<string>().Should().Be("Lee Lead");
        accepted["vendorUserId"]!.GetValue<string>().Should().Be(Rep);

        // An opportunity has no product lines, and its notes are written on it: naming them is refused, not dropped.
        var misnamed = await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app), productLines = new[] { "Analytics" }, notes = "Warm lead." }),
            HttpStatusCode.BadRequest, "validation_failed");
        misnamed["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["productLines", "notes"]);

        var convert = await rep.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app), nextStep = "Intro call with Lee" });
        await Api.Expect(convert, HttpStatusCode.Created);
        var conversion = await Api.Body(convert);
        conversion["kind"]!.GetValue<string>().Should().Be("opportunity");
        var opportunityId = conversion["id"]!.GetValue<string>();

        var opportunity = await Api.Get(northwind, $"/api/v1/opportunities/{opportunityId}");
        opportunity["source"]!["kind"]!.GetValue<string>().Should().Be("referral");
        opportunity["source"]!["referenceId"]!.GetValue<string>().Should().Be(id);
        opportunity["participants"]![0]!["role"]!.GetValue<string>().Should().Be("sourced");
        opportunity["contact"]!["email"]!.GetValue<string>().Should().Be("lee@upstream-mills.com");
        opportunity["ownerId"]!.GetValue<string>().Should().Be(Rep);
        opportunity["amount"]!["amount"]!.GetValue<decimal>().Should().Be(90_000m);
    }

    [Fact]
    public async Task DeclineNeedsAReasonCode_AndADeclinedReferralCannotBeAccepted()
    {
        var rep = await _app.ClientFor("rep");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var sent = await Send(rep, Lead("Declined Dairy", "declined-dairy.de", Fabrikam, country: "DE"));
        var id = Api.Id(sent);

        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/referrals/{id}/decline", new { comment = "Nope" }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/referrals/{id}/decline", new { reason = "bored" }), HttpStatusCode.BadRequest, "malformed_json");
        var declined = await Api.Post(fabrikam, $"/api/v1/referrals/{id}/decline", new { reason = "noCapacity", comment = "Fully booked until March." });
        declined["status"]!.GetValue<string>().Should().Be("declined");
        declined["declineReason"]!.GetValue<string>().Should().Be("noCapacity");
        declined["contact"].Should().BeNull("a receiver that declined never reads the contact");

        await Api.Problem(await fabrikam.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Conflict, "referral.already_answered");
    }

    [Fact]
    public async Task UnansweredReferral_CannotBeAcceptedAfterItsDeadline_AndTheExpiryServiceExpiresIt()
    {
        var rep = await _app.ClientFor("rep");
        var adatum = await _app.ClientFor("partner.adatum");
        var sent = await Send(rep, Lead("Slow Answer KK", "slow-answer.co.jp", Adatum, country: "JP"));
        var id = Api.Id(sent);

        _app.Time.Advance(TimeSpan.FromHours(48));
        await Api.Problem(await adatum.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Conflict, "referral.expired");
        // Before the expiry service has written it, a conversion is refused as expired too, not as waiting for an answer.
        await Api.Problem(await adatum.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = DateOnly.FromDateTime(_app.Time.GetUtcNow().UtcDateTime).AddDays(60) }),
            HttpStatusCode.Conflict, "referral.expired");

        await _app.Services.GetRequiredService<ReferralExpiryService>().RunOnceAsync(CancellationToken.None);
        var expired = await Api.Get(rep, $"/api/v1/referrals/{id}");
        expired["status"]!.GetValue<string>().Should().Be("expired");
        await Api.Problem(await adatum.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.Conflict, "referral.expired");
    }

    [Fact]
    public async Task OtherPartner_FindsNothingOnAnyReferralRoute_AndAPartnerRefersOnlyToTheVendor()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var sent = await Send(rep, Lead("Walled Referral Inc", "walled-referral.com", Northwind));
        var id = Api.Id(sent);

        await Api.Problem(await fabrikam.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsync($"/api/v1/referrals/{id}/accept", null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/referrals/{id}/decline", new { reason = "other" }), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/referrals/{id}/convert", new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(fabrikam, "/api/v1/referrals?pageSize=100"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Should().NotContain(id);
        await Api.Problem(await arbiter.GetAsync($"/api/v1/referrals/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await northwind.GetAsync($"/api/v1/referrals/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");

        await Api.Problem(await fabrikam.PostAsJsonAsync("/api/v1/referrals", Lead("Cross Referral", "cross-referral.com", Northwind)), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await rep.PostAsJsonAsync("/api/v1/referrals", Lead("No Partner", "no-partner.com")), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await rep.PostAsJsonAsync("/api/v1/referrals", Lead("Ghost Partner", "ghost-partner.com", Guid.NewGuid().ToString())), HttpStatusCode.BadRequest, "validation_failed");
        var noContact = new { partnerId = Northwind, customer = new { name = "No Contact", domain = "no-contact.com", country = "US" } };
        await Api.Problem(await rep.PostAsJsonAsync("/api/v1/referrals", noContact), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ConvertingWithoutAValue_IsAProblemNamingTheEstimatedValue_EitherWay()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var sent = await Send(rep, Lead("Valueless Ventures", "valueless.com", Northwind, amount: null));
        await Api.Post(northwind, $"/api/v1/referrals/{Api.Id(sent)}/accept");
        var toVendor = await Send(northwind, Lead("Valueless Vendor Lead", "valueless-lead.com", amount: null));
        await Api.Post(rep, $"/api/v1/referrals/{Api.Id(toVendor)}/accept");

        var problem = await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(sent)}/convert", new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.BadRequest, "referral.value_required");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("estimatedValue");
        problem = await Api.Problem(await rep.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(toVendor)}/convert", new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.BadRequest, "referral.value_required");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("estimatedValue");
        (await Api.Get(rep, $"/api/v1/referrals/{Api.Id(toVendor)}"))["status"]!.GetValue<string>().Should().Be("accepted", "nothing was converted");
        await Api.Problem(await northwind.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(sent)}/convert", new { }), HttpStatusCode.BadRequest, "validation_failed");
        var convert = await northwind.PostAsJsonAsync($"/api/v1/referrals/{Api.Id(sent)}/convert", new { expectedCloseDate = Api.CloseDate(_app), estimatedValue = new { amount = 40_000, currency = "USD" } });
        await Api.Expect(convert, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ConvertingAReferralThatNamesNeitherValueNorProductLines_NamesBothFieldsAtOnce()
    {
        var rep = await _app.ClientFor("rep");
        var northwind = await _app.ClientFor("partner.northwind");
        var bare = new { partnerId = Northwind, customer = new { name = "Bare Lead", domain = "bare-lead.com", country = "US" }, contact = new { name = "Lee Lead", email = "lee@bare-lead.com" } };
        var sent = await Send(rep, bare);
        await Api.Post(northwind, $"/api/v1/referrals/{Api.Id(sent)}/accept");
        var url = $"/api/v1/referrals/{Api.Id(sent)}/convert";

        var problem = await Api.Problem(await northwind.PostAsJsonAsync(url, new { expectedCloseDate = Api.CloseDate(_app) }), HttpStatusCode.BadRequest, "referral.terms_required");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo("estimatedValue", "productLines");
        problem = await Api.Problem(await northwind.PostAsJsonAsync(url, new { expectedCloseDate = Api.CloseDate(_app), estimatedValue = new { amount = 40_000, currency = "USD" } }),
            HttpStatusCode.BadRequest, "referral.product_lines_required");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("productLines");
        problem = await Api.Problem(await northwind.PostAsJsonAsync(url, new { expectedCloseDate = Api.CloseDate(_app), productLines = new[] { "Security" } }),
            HttpStatusCode.BadRequest, "referral.value_required");
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("estimatedValue");
        (await Api.Get(northwind, $"/api/v1/referrals/{Api.Id(sent)}"))["status"]!.GetValue<string>().Should().Be("accepted", "nothing was converted");

        var converted = await Api.Post(northwind, url, new { expectedCloseDate = Api.CloseDate(_app), productLines = new[] { "Security" }, estimatedValue = new { amount = 40_000, currency = "USD" } }, HttpStatusCode.Created);
        var draft = await Api.Get(northwind, $"/api/v1/registrations/{converted["id"]}");
        draft["productLines"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("Security");
    }
}
