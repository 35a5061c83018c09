using System.Net;
using System.Net.Http.Json;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.AccountMapping.MappingApi;

namespace CoSell.Web.Tests.AccountMapping;

public sealed class ReferOverlapTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public ReferOverlapTests(CoSellApp app) => _app = app;

    [Fact]
    public async Task AnOverlappingAccount_BecomesAReferralToTheOtherSide_InOneStep_OnlyWhereTheCellIsShared()
    {
        var manager = await _app.ClientFor("manager");
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var id = await ActivePartnership(manager, northwind);
        await Upload(manager, "customers", new[] { new Account("Referable Robotics Inc", "referable-robotics.com", "US") }.Concat(Fillers("Refervendor", 26)));
        await Upload(northwind, "prospects", new[] { new Account("Referable Robotics", "https://www.referable-robotics.com", "US") }.Concat(Fillers("Referpartner", 26)));
        var referral = new { yourAccount = "Referable Robotics Inc", contact = new { name = "Dana Buyer", email = "dana@referable-robotics.com" }, message = "They asked for a local integrator." };

        // Not shared yet: the action answers exactly like an unknown cell.
        var unshared = await Api.Problem(await manager.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/customers/prospects/referrals", referral), HttpStatusCode.NotFound, "not_found");

        await Share(manager, id, Levels("overlaps", "overlaps", "overlaps"));
        await Share(northwind, id, Levels("overlaps", "overlaps", "overlaps"));
        var cell = await Api.Get(manager, $"/api/v1/partnerships/{id}/overlaps/customers/prospects");
        cell["items"]!.AsArray().Select(a => a!["yourAccount"]!.GetValue<string>()).Should().Contain("Referable Robotics Inc");

        // A referral from a cell read before the sharing changed (the partnership's version named) is refused.
        await Api.Problem(await Api.Send(manager, HttpMethod.Post, $"/api/v1/partnerships/{id}/overlaps/customers/prospects/referrals", referral, "\"1\""), HttpStatusCode.PreconditionFailed, "precondition_failed");

        var created = await manager.SendAsync(Keyed($"/api/v1/partnerships/{id}/overlaps/customers/prospects/referrals", referral, "refer-robotics-1"));

        await Api.Expect(created, HttpStatusCode.Created);
        var sent = await Api.Body(created);
        created.Headers.ETag!.Tag.Should().Be($"\"{sent["version"]}\"", "the new referral's ETag, as POST /referrals answers it");
        var retried = await manager.SendAsync(Keyed($"/api/v1/partnerships/{id}/overlaps/customers/prospects/referrals", referral, "refer-robotics-1"));
        await Api.Expect(retried, HttpStatusCode.Created);
        retried.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await Api.Body(retried))["id"]!.GetValue<string>().Should().Be(sent["id"]!.GetValue<string>(), "a retry with the same key sends no second referral");
        var received = await Api.Get(northwind, $"/api/v1/referrals/{sent["id"]}");
        received["customer"]!["name"]!.GetValue<string>().Should().Be("Referable Robotics Inc");
        received.ToJsonString().Should().NotContain("dana@referable-robotics.com", "the contact stays hidden until the partner accepts");
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/referrals/{sent["id"]}"), HttpStatusCode.NotFound);
        var notInTheCell = await Api.Problem(await manager.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/customers/prospects/referrals", new { yourAccount = "A Company Not In The Cell", contact = new { name = "Xavier", email = "x@example.org" } }), HttpStatusCode.NotFound);
        notInTheCell["detail"]!.GetValue<string>().Should().Be(unshared["detail"]!.GetValue<string>(), "an account the cell does not hold reads as a cell not shared");
        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/prospects/customers/referrals", referral), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnOverlappingAccountWhoseListedNameAReferralWouldRefuse_Is400NamingYourAccount_AndSendsNothing()
    {
        var manager = await _app.ClientFor("manager");
        var (lister, id) = await NewPartnerInPartnership(_app, "Lookalike Lists Ltd", "US");
        // A list takes a name whose words mix Latin with Cyrillic look-alikes (А and с here); a referral does not.
        await Upload(lister, "customers", new[] { new Account("\u0410\u0441me Holdings", "acmeh-lookalike.com", "US") }.Concat(Fillers("Lookpartner", 26)));
        await Upload(manager, "customers", new[] { new Account("Acme Holdings", "acmeh-lookalike.com", "US") }.Concat(Fillers("Lookvendor", 26)));
        await Share(manager, id, Levels("overlaps", "overlaps", "overlaps"));
        await Share(lister, id, Levels("overlaps", "overlaps", "overlaps"));
        var before = (await Api.Get(lister, "/api/v1/referrals?pageSize=100"))["total"]!.GetValue<int>();

        var refused = await Api.Problem(
            await lister.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/customers/customers/referrals", new { yourAccount = "\u0410\u0441me Holdings", contact = new { name = "Ann Lee", email = "ann@acmeh-lookalike.com" } }),
            HttpStatusCode.BadRequest, "validation_failed");

        refused["errors"]!["yourAccount"]![0]!.GetValue<string>().Should().StartWith("This account, as your list holds it, cannot be referred");
        (await Api.Get(lister, "/api/v1/referrals?pageSize=100"))["total"]!.GetValue<int>().Should().Be(before);
    }

    [Fact]
    public async Task ANamePastedWithTabsAndLineBreaks_IsListedShownAndReferredOnOneLine()
    {
        var manager = await _app.ClientFor("manager");
        var (lister, id) = await NewPartnerInPartnership(_app, "Pasted Names Ltd", "US");
        await Upload(lister, "customers", new[] { new Account("Multi   Space\nLine\tCo\u2028Group", "pasted-multiline.com", "US") }.Concat(Fillers("Pastepartner", 26)));
        await Upload(manager, "customers", new[] { new Account("Multiline Holdings", "pasted-multiline.com", "US") }.Concat(Fillers("Pastevendor", 26)));
        await Share(manager, id, Levels("overlaps", "overlaps", "overlaps"));
        await Share(lister, id, Levels("overlaps", "overlaps", "overlaps"));

        (await Api.Get(lister, "/api/v1/account-lists/customers?pageSize=100"))["items"]!.AsArray().Select(a => a!["name"]!.GetValue<string>())
            .Should().Contain("Multi Space Line Co Group");
        (await Api.Get(manager, $"/api/v1/partnerships/{id}/overlaps/customers/customers"))["items"]!.AsArray().Select(a => a!["name"]!.GetValue<string>())
            .Should().Equal("Multi Space Line Co Group");
        var shown = (await Api.Get(lister, $"/api/v1/partnerships/{id}/overlaps/customers/customers"))["items"]![0]!["yourAccount"]!.GetValue<string>();
        shown.Should().Be("Multi Space Line Co Group");

        var sent = await Api.Post(lister, $"/api/v1/partnerships/{id}/overlaps/customers/customers/referrals", new { yourAccount = shown, contact = new { name = "Ann Lee", email = "ann@pasted-multiline.com" } }, HttpStatusCode.Created);
        sent["customer"]!["name"]!.GetValue<string>().Should().Be("Multi Space Line Co Group");
        await Api.Post(lister, $"/api/v1/partnerships/{id}/overlaps/customers/customers/referrals", new { yourAccount = "Multi   Space\nLine\tCo Group", contact = new { name = "Ann Lee", email = "ann@pasted-multiline.com" } }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task TwoOfYourAccountsOfOneNameInACell_AreToldApartByTheirCountry()
    {
        var manager = await _app.ClientFor("manager");
        var (lister, id) = await NewPartnerInPartnership(_app, "Twin Names GmbH", "DE", "US");
        await Upload(lister, "customers", new[] { new Account("Twinco", "twinco.de", "DE"), new Account("Twinco", "twinco.com", "US") }.Concat(Fillers("Twinpartner", 25)));
        await Upload(manager, "customers", new[] { new Account("Twinco Deutschland", "twinco.de", "DE"), new Account("Twinco America", "twinco.com", "US") }.Concat(Fillers("Twinvendor", 25)));
        await Share(manager, id, Levels("overlaps", "overlaps", "overlaps"));
        await Share(lister, id, Levels("overlaps", "overlaps", "overlaps"));
        var path = $"/api/v1/partnerships/{id}/overlaps/customers/customers";
        (await Api.Get(lister, path))["items"]!.AsArray().Select(a => (a!["yourAccount"]!.GetValue<string>(), a["yourCountry"]!.GetValue<string>()))
            .Should().BeEquivalentTo(new[] { ("Twinco", "DE"), ("Twinco", "US") });
        var contact = new { name = "Ann Lee", email = "ann@twinco.com" };

        var ambiguous = await Api.Problem(await lister.PostAsJsonAsync(path + "/referrals", new { yourAccount = "Twinco", contact }), HttpStatusCode.BadRequest, "validation_failed");
        ambiguous["errors"]!["yourCountry"]![0]!.GetValue<string>().Should().Be("Your accounts named 'Twinco' in this cell are in DE and US: give yourCountry too.");

        var sent = await Api.Post(lister, path + "/referrals", new { yourAccount = "Twinco", yourCountry = "us", contact }, HttpStatusCode.Created);
        sent["customer"]!["country"]!.GetValue<string>().Should().Be("US");
        (await Api.Get(manager, $"/api/v1/referrals/{Api.Id(sent)}"))["customer"]!["domain"]!.GetValue<string>().Should().Be("twinco.com");
        await Api.Problem(await lister.PostAsJsonAsync(path + "/referrals", new { yourAccount = "Twinco", yourCountry = "FR", contact }), HttpStatusCode.NotFound);
        await Api.Problem(await lister.PostAsJsonAsync(path + "/referrals", new { yourAccount = "Twinco", yourCountry = "XX", contact }), HttpStatusCode.BadRequest, "validation_failed");
    }

    private static HttpRequestMessage Keyed(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
