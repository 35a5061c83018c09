using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.AccountMapping.MappingApi;

namespace CoSell.Web.Tests.AccountMapping;

/// <summary>
/// A suspended partner is cut off from the vendor's accounts as from its deals: neither side reads the partnership's
/// overlaps, and the partner uploads and changes nothing, until it is reinstated. It still reads its own lists and the
/// partnership itself.
/// </summary>
public sealed class SuspensionTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public SuspensionTests(CoSellApp app) => _app = app;

    private static IEnumerable<Account> Shared(int count) =>
        Enumerable.Range(1, count).Select(i => new Account($"Suspension Shared {Words(i)} AG", $"suspension-shared-{i}.de", "DE"));

    private static readonly object Referral = new { yourAccount = "Suspension Shared one AG", contact = new { name = "Dana Buyer", email = "dana@suspension-shared-1.de" } };

    private async Task<JsonObject> SetStatus(string partnerId, string status)
    {
        var admin = await _app.ClientFor("admin");
        var partner = await Api.Get(admin, $"/api/v1/partners/{partnerId}");
        return await Api.PatchOk(admin, $"/api/v1/partners/{partnerId}", new { status }, Api.Version(partner));
    }

    /// <summary>Every read of the partnership's results: the matrix, a cell's accounts and its white space, as JSON and as CSV.</summary>
    private static IEnumerable<string> Results(string id) =>
    [
        $"/api/v1/partnerships/{id}/overlaps",
        $"/api/v1/partnerships/{id}/overlaps/customers/customers",
        $"/api/v1/partnerships/{id}/overlaps/customers/customers?format=csv",
        $"/api/v1/partnerships/{id}/overlaps/customers/customers/white-space",
        $"/api/v1/partnerships/{id}/overlaps/customers/customers/white-space?format=csv",
    ];

    [Fact]
    public async Task ASuspendedPartner_ReadsNoOverlapsAndChangesNothing_NorDoesTheVendorReadThem_UntilItIsReinstated()
    {
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var (partner, id) = await NewPartnerInPartnership(_app, "Suspended Mapping GmbH", "DE");
        var partnerId = (await Api.Get(manager, $"/api/v1/partnerships/{id}"))["partnerId"]!.GetValue<string>();
        await Share(manager, id, Levels("all", "all", "all"));
        await Share(partner, id, Levels("all", "all", "all"));
        await Upload(manager, "customers", Shared(5).Concat(Fillers("Suspensionvendor", 26, "DE")));
        var list = await Upload(partner, "customers", Shared(5).Concat(Fillers("Suspensionpartner", 26, "DE")));
        foreach (var path in Results(id))
        {
            await Api.Expect(await partner.GetAsync(path), HttpStatusCode.OK);
        }

        await SetStatus(partnerId, "suspended");
        var partnership = await Api.Get(partner, $"/api/v1/partnerships/{id}");
        var sharing = await partner.GetAsync($"/api/v1/partnerships/{id}/sharing");

        // The partner: no result, no upload, no change of the partnership.
        foreach (var path in Results(id))
        {
            (await Api.Problem(await partner.GetAsync(path), HttpStatusCode.Conflict, "partner.suspended"))["detail"]!.GetValue<string>().Should().Contain("suspended");
        }

        await Api.Problem(await partner.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/customers/customers/referrals", Referral), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await PutCsv(partner, "customers", Csv(Fillers("Suspensionupload", 30, "DE"))), HttpStatusCode.Conflict, "partner.suspended");
        await Api.Problem(await Api.Send(partner, HttpMethod.Put, $"/api/v1/partnerships/{id}/sharing", Levels("counts", "counts", "counts"), sharing.Headers.ETag!.Tag), HttpStatusCode.Conflict, "partner.suspended");
        foreach (var action in new[] { "pause", "resume", "opt-in" })
        {
            await Api.Problem(await partner.PostAsync($"/api/v1/partnerships/{id}/{action}", null), HttpStatusCode.Conflict, "partner.suspended");
        }

        await Api.Problem(await partner.PostAsJsonAsync("/api/v1/partnerships", new { }), HttpStatusCode.Conflict, "partner.suspended");

        // It still reads its own lists and the partnership, and nothing of them changed.
        (await Api.Get(partner, "/api/v1/partnerships"))["total"]!.GetValue<int>().Should().Be(1);
        (await Api.Get(partner, $"/api/v1/partnerships/{id}")).ToJsonString().Should().Be(partnership.ToJsonString());
        await Api.Expect(sharing, HttpStatusCode.OK);
        (await Api.Get(partner, $"/api/v1/partnerships/{id}/sharing"))["levels"]!["customers"]!.GetValue<string>().Should().Be("all");
        var lists = await Api.Get(partner, "/api/v1/account-lists");
        lists["items"]!.AsArray().Should().ContainSingle().Which!["version"]!.GetValue<long>().Should().Be(Api.Version(list));
        (await Api.Get(partner, "/api/v1/account-lists/customers"))["total"]!.GetValue<int>().Should().Be(31);
        await Api.Expect(await partner.GetAsync("/api/v1/account-lists/customers?format=csv"), HttpStatusCode.OK);

        // The vendor: the results are closed to it too; its own side it still sets.
        foreach (var vendor in new[] { manager, rep })
        {
            foreach (var path in Results(id))
            {
                await Api.Problem(await vendor.GetAsync(path), HttpStatusCode.Conflict, "partner.suspended");
            }
        }

        await Api.Problem(await manager.PostAsJsonAsync($"/api/v1/partnerships/{id}/overlaps/customers/customers/referrals", Referral), HttpStatusCode.Conflict, "partner.suspended");
        (await Api.Get(manager, $"/api/v1/partnerships/{id}"))["status"]!.GetValue<string>().Should().Be("active");
        await Share(manager, id, Levels("all", "all", "overlaps"));

        // Reinstated, both sides read the results again, as they stand.
        await SetStatus(partnerId, "active");
        foreach (var client in new[] { partner, manager })
        {
            (await Api.Get(client, $"/api/v1/partnerships/{id}/overlaps/customers/customers"))["total"]!.GetValue<int>().Should().Be(5);
        }

        await Api.Expect(await partner.GetAsync($"/api/v1/partnerships/{id}/overlaps/customers/customers/white-space"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheVendor_ProposesNoPartnershipToASuspendedPartner()
    {
        var admin = await _app.ClientFor("admin");
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Suspended Before Mapping GmbH", tier = "silver", territories = new[] { "DE" } }, HttpStatusCode.Created);
        await SetStatus(Api.Id(partner), "suspended");

        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partnerships", new { partnerId = Api.Id(partner) }), HttpStatusCode.Conflict, "partner.suspended");

        (await Api.Get(admin, "/api/v1/partnerships"))["items"]!.AsArray().Should().NotContain(p => p!["partnerId"]!.GetValue<string>() == Api.Id(partner));
        await SetStatus(Api.Id(partner), "active");
        await Api.Post(admin, "/api/v1/partnerships", new { partnerId = Api.Id(partner) }, HttpStatusCode.Created);
    }
}
