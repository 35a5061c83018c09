using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using static CoSell.Web.Tests.AccountMapping.MappingApi;

namespace CoSell.Web.Tests.AccountMapping;

/// <summary>Partnerships, uploads and exports over HTTP, including the bad input the service must refuse cleanly.</summary>
public sealed class AccountMappingTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public AccountMappingTests(CoSellApp app) => _app = app;

    private static IEnumerable<Account> Shared(int count) =>
        Enumerable.Range(1, count).Select(i => new Account($"Common {Words(i)} Industries", $"common-{i}.com", "US"));

    // Before, a partner renamed answered its partnership under the new name with the ETag of the old one: a client keeping
    // a copy by its ETag went on showing the old name.
    [Fact]
    public async Task APartnerRenamed_MovesItsPartnershipsETag_WithTheNameItShows()
    {
        var (partner, id) = await NewPartnerInPartnership(_app, "Before Rename Trading", "US");
        var admin = await _app.ClientFor("admin");
        var before = await partner.GetAsync($"/api/v1/partnerships/{id}");
        var partnerId = (await Api.Body(before))["partnerId"]!.GetValue<string>();

        await Api.PatchOk(admin, $"/api/v1/partners/{partnerId}", new { name = "After Rename Trading" }, Api.Version(await Api.Get(admin, $"/api/v1/partners/{partnerId}")));
        var after = await partner.GetAsync($"/api/v1/partnerships/{id}");

        (await Api.Body(after))["partnerName"]!.GetValue<string>().Should().Be("After Rename Trading");
        after.Headers.ETag.Should().NotBe(before.Headers.ETag);
        await Api.Problem(await Api.Send(partner, HttpMethod.Put, $"/api/v1/partnerships/{id}/sharing", Levels("all", "all", "all"), before.Headers.ETag!.Tag),
            HttpStatusCode.PreconditionFailed, "precondition_failed");
    }

    // Before, setting the levels a side already had moved the partnership's version (a referral made from a cell read just
    // before was then refused 412) and logged a change that did not happen.
    [Fact]
    public async Task SettingTheSharingLevelsASideAlreadyHas_ChangesNothing()
    {
        var (partner, id) = await NewPartnerInPartnership(_app, "Same Levels Trading", "US");
        var set = await Share(partner, id, Levels("overlaps", "counts", "hidden"));

        var again = await Share(partner, id, Levels("overlaps", "counts", "hidden"));

        again["version"]!.GetValue<long>().Should().Be(set["version"]!.GetValue<long>());
        (await Api.Get(partner, $"/api/v1/partnerships/{id}"))["version"]!.GetValue<long>().Should().Be(set["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheSidesLists_ArePagedAsEveryList_ByPopulation_AndOtherSidesListsAreNotAmongThem()
    {
        var adatum = await _app.ClientFor("partner.adatum");
        await Upload(adatum, "prospects", Fillers("Pagedprospect", 26));
        await Upload(adatum, "customers", Fillers("Pagedcustomer", 26));

        var first = await Api.Get(adatum, "/api/v1/account-lists?pageSize=1");
        var second = await Api.Get(adatum, "/api/v1/account-lists?page=2&pageSize=1");

        first["total"]!.GetValue<int>().Should().Be(2, "Adatum uploaded two lists, whatever other sides uploaded");
        first["items"]!.AsArray().Select(l => l!["population"]!.GetValue<string>()).Should().Equal("customers");
        second["items"]!.AsArray().Select(l => l!["population"]!.GetValue<string>()).Should().Equal("prospects");
        second["items"]![0]!["rows"]!.GetValue<int>().Should().Be(26);
        await Api.Problem(await adatum.GetAsync("/api/v1/account-lists?page=0"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheSidesLists_NamingAnOwner_AreJudgedAsOneListIs_TheOtherSidesA403_AnotherPartnersA404_AnUnreadableOneA400()
    {
        var admin = await _app.ClientFor("admin");
        var partner = await _app.ClientFor("partner.northwind");

        await Api.Problem(await admin.GetAsync($"/api/v1/account-lists?owner={Northwind}"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await partner.GetAsync("/api/v1/account-lists?owner=vendor"), HttpStatusCode.Forbidden, "forbidden");
        // Another partner's lists are another tenant's, found by no partner (before, a 403 said they were somebody's).
        await Api.Problem(await partner.GetAsync("/api/v1/account-lists?owner=10000000-0000-0000-0000-000000000002"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await partner.GetAsync("/api/v1/account-lists/customers?owner=11111111-1111-1111-1111-111111111111"), HttpStatusCode.NotFound, "not_found");
        foreach (var client in new[] { admin, partner })
        {
            foreach (var owner in new[] { "garbage", "", "vendor&owner=vendor" })
            {
                var unreadable = await Api.Problem(await client.GetAsync($"/api/v1/account-lists?owner={owner}"), HttpStatusCode.BadRequest, "validation_failed");
                unreadable["errors"]!["owner"].Should().NotBeNull(owner);
            }
        }

        (await Api.Get(admin, "/api/v1/account-lists?owner=VENDOR"))["items"].Should().NotBeNull("the vendor names its own side in any case");
        (await Api.Get(partner, $"/api/v1/account-lists?owner={Northwind.Replace("-", "")}"))["items"].Should().NotBeNull("a partner names its own side in any form of its id");
    }

    [Fact]
    public async Task AccountMapping_Partnership_NeedsBothOptIns_AndEitherSidesPauseHidesEverything()
    {
        var manager = await _app.ClientFor("manager");
        var partner = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var arbiter = await _app.ClientFor("arbiter");
        var rep = await _app.ClientFor("rep");

        var created = await Api.Post(partner, "/api/v1/partnerships", new { }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        created["status"]!.GetValue<string>().Should().Be("awaitingOptIn");
        created["yourSide"]!.GetValue<string>().Should().Be("partner");
        await Api.Problem(await manager.PostAsJsonAsync("/api/v1/partnerships", new { partnerId = Northwind }), HttpStatusCode.Conflict, "partnership.exists");

        await Api.Post(manager, $"/api/v1/partnerships/{id}/opt-in");
        (await Api.Get(manager, $"/api/v1/partnerships/{id}"))["status"]!.GetValue<string>().Should().Be("awaitingOptIn");
        await Api.Problem(await manager.PostAsync($"/api/v1/partnerships/{id}/opt-in", null), HttpStatusCode.Conflict, "partnership.already_opted_in");
        (await Api.Post(partner, $"/api/v1/partnerships/{id}/opt-in"))["status"]!.GetValue<string>().Should().Be("active");

        // Setting the levels overwrites them: without the version read it is a 428, with an older one a 412.
        await Api.Problem(await manager.PutAsJsonAsync($"/api/v1/partnerships/{id}/sharing", Levels("all", "all", "all")), HttpStatusCode.PreconditionRequired, "precondition_required");
        await Api.Problem(await Api.Send(manager, HttpMethod.Put, $"/api/v1/partnerships/{id}/sharing", Levels("all", "all", "all"), "\"1\""), HttpStatusCode.PreconditionFailed, "precondition_failed");
        (await Api.Get(manager, $"/api/v1/partnerships/{id}/sharing"))["levels"]!["customers"]!.GetValue<string>().Should().Be("hidden", "a refused precondition changes nothing");
        await Share(manager, id, Levels("all", "all", "all"));
        await Share(partner, id, Levels("all", "all", "all"));
        await Upload(manager, "customers", Shared(4).Concat(Fillers("Pausevendor", 26)));
        await Upload(partner, "customers", Shared(4).Concat(Fillers("Pausepartner", 26)));
        var matrix = await Api.Get(partner, $"/api/v1/partnerships/{id}/overlaps");
        Cell(matrix, "customers", "customers")["overlaps"]!["count"]!.GetValue<int>().Should().Be(4);

        (await Api.Post(partner, $"/api/v1/partnerships/{id}/pause"))["status"]!.GetValue<string>().Should().Be("paused");
        foreach (var side in new[] { manager, partner })
        {
            var hidden = await Api.Get(side, $"/api/v1/partnerships/{id}/overlaps");
            hidden["cells"]!.AsArray().Should().HaveCount(9).And.OnlyContain(c => c!["visibility"]!.GetValue<string>() == "hidden" && c["overlaps"] == null && c["whiteSpace"] == null);
            await Api.Problem(await side.GetAsync($"/api/v1/partnerships/{id}/overlaps/customers/customers"), HttpStatusCode.NotFound, "not_found");
        }

        await Api.Problem(await manager.PostAsync($"/api/v1/partnerships/{id}/resume", null), HttpStatusCode.Conflict, "partnership.not_paused");
        await Api.Post(partner, $"/api/v1/partnerships/{id}/resume");
        Cell(await Api.Get(manager, $"/api/v1/partnerships/{id}/overlaps"), "customers", "customers")["overlaps"]!["count"]!.GetValue<int>().Should().Be(4);

        // Another partner is not in it: the partnership does not exist for them.
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/partnerships/{id}"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.GetAsync($"/api/v1/partnerships/{id}/overlaps"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PostAsync($"/api/v1/partnerships/{id}/opt-in", null), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await fabrikam.PutAsJsonAsync($"/api/v1/partnerships/{id}/sharing", Levels("all", "all", "all")), HttpStatusCode.NotFound, "not_found");
        (await Api.Get(fabrikam, "/api/v1/partnerships"))["total"]!.GetValue<int>().Should().Be(0);
        await Api.Problem(await fabrikam.PostAsJsonAsync("/api/v1/partnerships", new { partnerId = Northwind }), HttpStatusCode.Forbidden, "forbidden");

        await Api.Problem(await arbiter.GetAsync($"/api/v1/partnerships/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await rep.PostAsync($"/api/v1/partnerships/{id}/opt-in", null), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Get(rep, $"/api/v1/partnerships/{id}/overlaps"))["yourSide"]!.GetValue<string>().Should().Be("vendor");
    }

    [Fact]
    public async Task AccountMapping_CsvUpload_ReadsQuotedNewlines_ReportsBadRowsByLine_AndOnlyTheOwnerReadsTheRows()
    {
        var partner = await _app.ClientFor("partner.adatum");
        var manager = await _app.ClientFor("manager");
        var csv = new StringBuilder("name,domain,country,duns,private\r\n");
        csv.Append("\"Tokyo \"\"Quoted\"\"\nTrading\",tokyo-trading.co.jp,JP,,\r\n"); // line 2, a quoted newline: the row spans lines 2-3
        for (var i = 1; i <= 198; i++)
        {
            csv.Append($"Adatum Account {Words(i)},adatum-{i}.jp,JP,,\r\n"); // lines 4..201
        }

        csv.Append("Nowhere Ltd,nowhere.com,XX,,\r\n"); // line 202: unknown country
        csv.Append("Secret Co,secret-co.jp,JP,123456789,true\r\n");
        var response = await PutCsv(partner, "prospects", csv.ToString());
        await Api.Expect(response, HttpStatusCode.OK);
        var upload = await Api.Body(response);

        upload["totalRows"]!.GetValue<int>().Should().Be(201);
        upload["accepted"]!.GetValue<int>().Should().Be(200);
        upload["privateRows"]!.GetValue<int>().Should().Be(1);
        upload["rejected"]!.GetValue<int>().Should().Be(1);
        var problem = upload["problems"]!.AsArray().Should().ContainSingle().Subject!;
        problem["line"]!.GetValue<int>().Should().Be(202);
        problem["reason"]!.GetValue<string>().Should().Contain("country 'XX'");

        var rows = await Api.Get(partner, "/api/v1/account-lists/prospects?pageSize=2");
        rows["total"]!.GetValue<int>().Should().Be(200);
        rows["items"]![0]!["name"]!.GetValue<string>().Should().Be("Tokyo \"Quoted\" Trading", "the quoted line break is read, and folds into a space as in every company name");
        rows["items"]![0]!["line"]!.GetValue<int>().Should().Be(2);
        rows["items"]![1]!["line"]!.GetValue<int>().Should().Be(4);

        // The vendor reads only its own lists; naming the partner's list is refused, never served.
        (await Api.Get(manager, "/api/v1/account-lists/prospects"))["items"]!.AsArray().Should().NotContain(r => r!["name"]!.GetValue<string>().Contains("Adatum"));
        await Api.Problem(await manager.GetAsync("/api/v1/account-lists/prospects?owner=10000000-0000-0000-0000-000000000003"), HttpStatusCode.Forbidden, "forbidden");

        // An owner that names nobody is unreadable input, not somebody else's list.
        foreach (var client in new[] { manager, partner })
        {
            var unreadable = await Api.Problem(await client.GetAsync("/api/v1/account-lists/prospects?owner=notaguid"), HttpStatusCode.BadRequest, "validation_failed");
            unreadable["errors"]!["owner"].Should().NotBeNull();
        }

        (await Api.Get(manager, "/api/v1/account-lists/prospects?owner=VENDOR"))["items"].Should().NotBeNull("the vendor names its own side in any case");
        (await Api.Get(partner, "/api/v1/account-lists/prospects?owner=10000000000000000000000000000003"))["items"].Should().NotBeNull("a partner names its own side in any form of its id");
        (await Api.Get(partner, "/api/v1/account-lists/prospects?owner={10000000-0000-0000-0000-000000000003}"))["items"].Should().NotBeNull();
    }

    [Fact]
    public async Task AccountMapping_JsonUpload_IsReadLikeCsv()
    {
        var partner = await _app.ClientFor("partner.fabrikam");
        var accounts = Enumerable.Range(1, 30).Select(i => new { name = $"Fabrikam Kunde {Words(i)} GmbH", domain = $"kunde-{i}.de", country = "DE", duns = (string?)null, @private = i == 30 }).ToList();
        var response = await partner.PutAsJsonAsync("/api/v1/account-lists/openOpportunities", accounts);
        await Api.Expect(response, HttpStatusCode.OK);
        var upload = await Api.Body(response);
        upload["accepted"]!.GetValue<int>().Should().Be(30);
        upload["privateRows"]!.GetValue<int>().Should().Be(1);

        var notArray = await partner.PutAsync("/api/v1/account-lists/openOpportunities", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json"));
        await Api.Problem(notArray, HttpStatusCode.BadRequest, "account_list.json_invalid");
        await Api.Problem(await partner.PutAsync("/api/v1/account-lists/openOpportunities", new StringContent(" \n null", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "account_list.json_invalid");
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(accounts))).ToArray();
        await Api.Expect(await PutBytes(partner, "openOpportunities", withBom, "application/json"), HttpStatusCode.OK);
        await Api.Expect(await PutBytes(partner, "openOpportunities", withBom, "application/json; charset=\"UTF-8\""), HttpStatusCode.OK);
        await Api.Problem(await partner.PutAsync("/api/v1/account-lists/openOpportunities", new StringContent("x", Encoding.UTF8, "application/xml")),
            HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        var wide = new ByteArrayContent(Encoding.Unicode.GetBytes(System.Text.Json.JsonSerializer.Serialize(accounts)));
        wide.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");
        await Api.Problem(await partner.PutAsync("/api/v1/account-lists/openOpportunities", wide), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        (await Api.Get(partner, "/api/v1/account-lists/openOpportunities"))["total"]!.GetValue<int>().Should().Be(30, "the refused uploads left the list as it was");

        // A list read back is uploaded again as it is: each row's line is taken, and the rows are numbered anew.
        var readBack = (await Api.Get(partner, "/api/v1/account-lists/openOpportunities?pageSize=100"))["items"]!.AsArray();
        var reversed = new System.Text.Json.Nodes.JsonArray(readBack.Reverse().Select(r => r!.DeepClone()).ToArray());
        await Api.Expect(await partner.PutAsync("/api/v1/account-lists/openOpportunities", new StringContent(reversed.ToJsonString(), Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        var again = (await Api.Get(partner, "/api/v1/account-lists/openOpportunities?pageSize=100"))["items"]!.AsArray();
        again.Select(r => r!["name"]!.GetValue<string>()).Should().BeEquivalentTo(readBack.Select(r => r!["name"]!.GetValue<string>()));
        again[0]!["line"]!.GetValue<int>().Should().Be(1);
        again[0]!["name"]!.GetValue<string>().Should().Be(readBack[^1]!["name"]!.GetValue<string>(), "the line is the row's place in this upload");
    }

    [Fact]
    public async Task TwoLongNamesThatDifferOnlyFarIntoTheirLatinSpelling_AreTwoAccounts_OnEachSideAndAcross()
    {
        var manager = await _app.ClientFor("manager");
        var (lister, id) = await NewPartnerInPartnership(_app, "Long Names Trading", "CN", "RU");
        // Seventy Chinese characters spell out as some 350 Latin letters: the names differ only in their last two.
        var theirs = new[] { new Account(new string('中', 70) + "一号", null, "CN"), new Account(new string('中', 70) + "二号", null, "CN"), new Account(new string('Щ', 150) + "A", null, "RU"), new Account(new string('Щ', 150) + "B", null, "RU") };

        var upload = await Upload(lister, "prospects", theirs.Concat(Fillers("Longpartner", 26)));

        upload["accepted"]!.GetValue<int>().Should().Be(30);
        upload["repeated"]!.GetValue<int>().Should().Be(0, "no row repeats another");
        await Upload(manager, "prospects", "中国日".Select(c => new Account(new string(c, 70) + "乙集团", null, "CN")).Concat(Fillers("Longvendor", 26)));
        await Upload(lister, "customers", "中国日".Select(c => new Account(new string(c, 70) + "甲公司", null, "CN")).Concat(Fillers("Longpartner", 26)));
        await Share(manager, id, Levels("counts", "counts", "counts"));
        await Share(lister, id, Levels("counts", "counts", "counts"));

        var cell = Cell(await Api.Get(lister, $"/api/v1/partnerships/{id}/overlaps"), "customers", "prospects")["overlaps"]!;
        cell["count"].Should().BeNull("none of the partner's three long names is one of the vendor's three");
        cell["text"]!.GetValue<string>().Should().Be("fewer than 3");
    }

    [Fact]
    public async Task PagesOnSharedPlatforms_AreNoCompanysDomain_NeitherJoiningTwoAccounts_NorMatchingAProbe()
    {
        var manager = await _app.ClientFor("manager");
        var (prober, id) = await NewPartnerInPartnership(_app, "Platform Probe Partners", "DE", "US");
        Account[] pages =
        [
            new("Bäckerei Schmidt", "https://www.facebook.com/baeckerei.schmidt", "DE"),
            new("Metzgerei Müller", "https://facebook.com/metzgerei.mueller", "DE"),
            new("Gartenbau Weber", "https://sites.google.com/view/gartenbau-weber", "DE"),
        ];

        var upload = await Upload(manager, "customers", pages.Concat(Fillers("Platformvendor", 26)));
        await Upload(prober, "prospects", new Account[] { new("Probe One", "https://facebook.com/anything", "DE"), new("Probe Two", "https://sites.google.com/view/x", "US") }
            .Concat(Fillers("Platformprobe", 26)));
        await Share(manager, id, Levels("all", "all", "all"));
        await Share(prober, id, Levels("all", "all", "all"));

        upload["accepted"]!.GetValue<int>().Should().Be(29, "three businesses with pages on one platform are three accounts");
        upload["repeated"]!.GetValue<int>().Should().Be(0);
        var rows = (await Api.Get(manager, "/api/v1/account-lists/customers?pageSize=100"))["items"]!.AsArray();
        rows.Where(r => pages.Any(p => p.Name == r!["name"]!.GetValue<string>())).Should().HaveCount(3).And.OnlyContain(r => r!["domain"] == null);
        (await Api.Get(prober, $"/api/v1/partnerships/{id}/overlaps/prospects/customers"))["items"]!.AsArray()
            .Should().BeEmpty("a page on facebook.com or sites.google.com says nothing of which company the vendor has");
    }

    [Theory]
    [InlineData("[{\"name\":\"Misspelt GmbH\",\"country\":\"DE\",\"domian\":\"misspelt.de\"}]", "'$[0].domian' is not a field of an account")]
    [InlineData("[{\"name\":\"Fine GmbH\",\"country\":\"DE\"},{\"name\":\"A GmbH\",\"Name\":\"B GmbH\",\"country\":\"DE\"}]", "'$[1].Name' is given more than once")]
    public async Task AccountMapping_JsonUpload_WithAMisspeltOrRepeatedField_IsRefusedNamingIt(string body, string detail)
    {
        var partner = await _app.ClientFor("partner.adatum");
        var kept = Enumerable.Range(1, 25).Select(i => new { name = $"Kept {Words(i)} Ltd", domain = $"kept-{i}.co.uk", country = "GB" }).ToList();
        await Api.Expect(await partner.PutAsJsonAsync("/api/v1/account-lists/customers", kept), HttpStatusCode.OK);

        var refused = await partner.PutAsync("/api/v1/account-lists/customers", new StringContent(body, Encoding.UTF8, "application/json"));

        (await Api.Problem(refused, HttpStatusCode.BadRequest, "account_list.json_invalid"))["detail"]!.GetValue<string>().Should().StartWith(detail);
        var stored = await Api.Get(partner, "/api/v1/account-lists/customers?pageSize=100");
        stored["items"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Should().BeEquivalentTo(kept.Select(k => k.name), "the refused upload left the list as it was");
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "missing header", "Acme,acme.com,US,,\nBeta,beta.com,US,,\n", "account_list.header_invalid" },
        { "wrong header", "company,website,country\nAcme,acme.com,US\n", "account_list.header_invalid" },
        { "header without country", "name,domain\nAcme,acme.com\n", "account_list.header_invalid" },
        { "semicolons", "name;domain;country;duns;private\nAcme;acme.com;US;;\n", "account_list.delimiter_invalid" },
        { "tabs", "name\tdomain\tcountry\nAcme\tacme.com\tUS\n", "account_list.delimiter_invalid" },
        { "empty", "", "account_list.empty" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task AccountMapping_BadCsvForm_Is400_AndThePreviousListStays(string why, string csv, string code)
    {
        var manager = await _app.ClientFor("admin");
        await Upload(manager, "openOpportunities", Fillers("Keepme", 40));

        var body = await Api.Problem(await PutCsv(manager, "openOpportunities", csv), HttpStatusCode.BadRequest, code);

        body["detail"]!.GetValue<string>().Should().NotBeNullOrEmpty(why);
        (await Api.Get(manager, "/api/v1/account-lists/openOpportunities"))["total"]!.GetValue<int>().Should().Be(40);
    }

    [Fact]
    public async Task AccountMapping_InvalidUtf8_Is400()
    {
        var manager = await _app.ClientFor("admin");
        var bytes = Encoding.UTF8.GetBytes("name,domain,country\nCaf").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(" Ltd,cafe.com,FR\n")).ToArray();
        await Api.Problem(await PutBytes(manager, "prospects", bytes), HttpStatusCode.BadRequest, "account_list.encoding_invalid");
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("name,domain,country\nAcme,acme.com,US\n")).ToArray();
        await Api.Problem(await PutBytes(manager, "prospects", utf16), HttpStatusCode.BadRequest, "account_list.encoding_invalid");
    }

    [Fact]
    public async Task AccountMapping_TooManyBadRows_Or_TinyUpload_Is422WithTheRowReport_AndThePreviousListIsIntact()
    {
        var partner = await _app.ClientFor("partner.northwind");
        await Upload(partner, "openOpportunities", Fillers("Intact", 50));
        var before = await Api.Get(partner, "/api/v1/account-lists/openOpportunities?pageSize=100");

        var bad = Fillers("Replacement", 95).Append(new Account("No Country Inc", "nocountry.com", "")).Append(new Account("Bad Duns Inc", "badduns.com", "US", "12345"))
            .Append(new Account("Nul\u0000 Corp", "nul-corp.com", "US")).Append(new Account("Evil\u202E Corp", "evil-corp.com", "US"))
            .Append(new Account("Zero\u200BWidth Corp", "zero-width-corp.com", "US")).Append(new Account("Acme\u200C Corp", "acme-joined.com", "US"));
        var refused = await Api.Problem(await PutCsv(partner, "openOpportunities", Csv(bad)), (HttpStatusCode)422, "account_list.too_many_bad_rows");
        refused["totalRows"]!.GetValue<int>().Should().Be(101);
        refused["badRows"]!.GetValue<int>().Should().Be(6);
        refused["rows"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).Should().BeEquivalentTo(new[]
        {
            (97, "country is empty"),
            (98, "duns '12345' is not a nine-digit DUNS number"),
            (99, "name contains control characters"),
            (100, "name shows nothing, or carries direction controls or invisible format characters"),
            (101, "name shows nothing, or carries direction controls or invisible format characters"),
            (102, "name shows nothing, or carries direction controls or invisible format characters"),
        });

        await Api.Problem(await PutCsv(partner, "openOpportunities", Csv(Fillers("Tiny", 24))), (HttpStatusCode)422, "account_list.too_small");
        // Copies of one company (the same line, or the same domain under other names) count once: thirty of them would
        // otherwise pass the minimum, and a cell reading thirty overlaps would say whether the other side has that company.
        var copies = Enumerable.Repeat(new Account("Probe Co", "target-company.com", "US"), 15)
            .Concat(Enumerable.Range(1, 15).Select(i => new Account($"Probe Alias {Words(i)}", "https://www.target-company.com/x", "US")));
        var copiesRefused = await Api.Problem(await PutCsv(partner, "openOpportunities", Csv(copies)), (HttpStatusCode)422, "account_list.too_small");
        copiesRefused["repeatedRows"]!.GetValue<int>().Should().Be(29);
        // Private rows are never matched: one shared company among private ones would be as singled out.
        var onePublic = new[] { new Account("Probe Co", "target-company.com", "US") }.Concat(Fillers("Hidden", 24).Select(a => a with { Private = true }));
        await Api.Problem(await PutCsv(partner, "openOpportunities", Csv(onePublic)), (HttpStatusCode)422, "account_list.too_small");
        // Copies of a good row do not dilute a bad one: the share is of the accounts meant.
        var diluted = Fillers("Diluted", 25).Concat(Enumerable.Repeat(new Account("Copy Co", "copy-co.com", "US"), 100)).Append(new Account("", "bad.com", "US"));
        await Api.Problem(await PutCsv(partner, "openOpportunities", Csv(diluted)), (HttpStatusCode)422, "account_list.too_many_bad_rows");

        var after = await Api.Get(partner, "/api/v1/account-lists/openOpportunities?pageSize=100");
        after.ToJsonString().Should().Be(before.ToJsonString());
    }

    [Fact]
    public async Task AccountMapping_APartnerTokenNamingNoKnownPartner_ProposesAndUploadsNothing()
    {
        var stranger = Tokens.ClientWith(_app, Tokens.Mint(_app, claims:
        [
            new(CoSell.Web.Identity.CoSellClaims.Subject, Guid.NewGuid().ToString()),
            new(CoSell.Web.Identity.CoSellClaims.Role, "partner"),
            new(CoSell.Web.Identity.CoSellClaims.PartnerId, Guid.NewGuid().ToString()),
        ]));
        var admin = await _app.ClientFor("admin");
        var before = (await Api.Get(admin, "/api/v1/partnerships"))["total"]!.GetValue<int>();

        await Api.Problem(await stranger.PostAsJsonAsync("/api/v1/partnerships", new { }), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await PutCsv(stranger, "customers", Csv(Fillers("Stranger", 30))), HttpStatusCode.Forbidden, "forbidden");

        (await Api.Get(admin, "/api/v1/partnerships"))["total"]!.GetValue<int>().Should().Be(before);
    }

    [Fact]
    public async Task AccountMapping_UploadingForTheOtherSide_Is403()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var rep = await _app.ClientFor("rep");
        var csv = Csv(Fillers("Otherside", 30));

        await Api.Problem(await PutCsv(partner, "customers", csv, "?owner=vendor"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await PutCsv(partner, "customers", csv, "?owner=10000000-0000-0000-0000-000000000002"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await PutCsv(manager, "customers", csv, $"?owner={Northwind}"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await PutCsv(rep, "customers", csv), HttpStatusCode.Forbidden, "forbidden");
        (await Api.Body(await PutCsv(partner, "prospects", csv, $"?owner={Northwind}")))["accepted"]!.GetValue<int>().Should().Be(30, "naming one's own side is allowed");
    }

    [Fact]
    public async Task AccountMapping_HugeUpload_Is413_BeforeTheBodyIsRead()
    {
        var signedIn = await _app.ClientFor("admin");
        using var manager = new HttpClient(_app.Server.CreateHandler()) { BaseAddress = signedIn.BaseAddress };
        manager.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        var response = await manager.PutAsync("/api/v1/account-lists/customers", new ClaimedLengthContent(2L * 1024 * 1024 * 1024));
        var body = await Api.Problem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        body["detail"]!.GetValue<string>().Should().Contain("256 MiB");
    }

    [Fact]
    public async Task AccountMapping_UploadPastTheLimitWithoutALength_Is413()
    {
        // A service of its own, on a file of its own: one service per database file.
        var folder = Directory.CreateTempSubdirectory("cosell-small-uploads-").FullName;
        try
        {
            using var small = _app.WithWebHostBuilder(b => b.UseSetting("AccountMapping:MaximumUploadBytes", "65536").UseSetting("Database:Path", Path.Combine(folder, "cosell.db")));
            var client = small.CreateClient();
            var token = await (await client.PostAsJsonAsync("/api/v1/dev/token", new { user = "admin" })).Content.ReadFromJsonAsync<JsonObject>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!["accessToken"]!.GetValue<string>());
            var csv = Encoding.UTF8.GetBytes(Csv(Fillers("Chunked", 2000)));
            csv.Length.Should().BeGreaterThan(65536);

            var content = new StreamContent(new MemoryStream(csv));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/account-lists/customers") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            var body = await Api.Problem(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
            body["detail"]!.GetValue<string>().Should().Contain("64 KiB");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A CSV line's cells as a spreadsheet whose list separator is <paramref name="separator"/> reads them: quoted text stays whole.</summary>
    private static IEnumerable<string> CellsOf(string line, char separator)
    {
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == separator && !quoted)
            {
                yield return cell.ToString();
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        yield return cell.ToString();
    }

    [Fact]
    public async Task AccountMapping_FormulaCells_AreNeverExportedUnescaped()
    {
        var manager = await _app.ClientFor("manager");
        var partner = await _app.ClientFor("partner.adatum");
        var partnership = await Api.Post(manager, "/api/v1/partnerships", new { partnerId = "10000000-0000-0000-0000-000000000003" }, HttpStatusCode.Created);
        var id = partnership["id"]!.GetValue<string>();
        await Api.Post(manager, $"/api/v1/partnerships/{id}/opt-in");
        await Api.Post(partner, $"/api/v1/partnerships/{id}/opt-in");
        await Share(manager, id, Levels("all", "all", "all"));
        await Share(partner, id, Levels("all", "all", "all"));

        // The last starts a cell of its own where a spreadsheet's list separator is a semicolon (de-DE, fr-FR…).
        string[] formulas = ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3 Holdings", "@HYPERLINK(\"http://x\")", "\tTabbed Co", "Acme;=cmd|' /C calc'!A0;"];
        var evil = formulas.Select((f, i) => new Account(f, $"formula-{i}.com", "JP")).ToList();
        await Upload(partner, "customers", evil.Concat(Fillers("Adatum Export", 25, "JP")));
        await Upload(manager, "prospects", evil.Take(3).Select((e, i) => e with { Name = "Matching " + Words(i + 1) }).Concat(Fillers("Vendor Export", 25)));

        var exports = new[]
        {
            await Export(partner, "/api/v1/account-lists/customers"),
            await Export(manager, $"/api/v1/partnerships/{id}/overlaps/prospects/customers"),
            await Export(manager, $"/api/v1/partnerships/{id}/overlaps/prospects/customers/white-space"),
        };

        exports[0].Should().Contain("'=cmd|' /C calc'!A0").And.Contain("'+SUM(A1:A9)").And.Contain("\"'@HYPERLINK(\"\"http://x\"\")\"");
        exports[1].Should().Contain("'=cmd|' /C calc'!A0").And.Contain("'+SUM(A1:A9)").And.Contain("'-2+3 Holdings");
        exports[2].Should().Contain("\"'@HYPERLINK(\"\"http://x\"\")\"").And.NotContain("'=cmd", "a matched account is no white space")
            .And.Contain("\r\n\"Acme;=cmd|' /C calc'!A0;\",");
        foreach (var export in exports)
        {
            foreach (var separator in new[] { ',', ';' })
            {
                var cells = export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).SelectMany(line => CellsOf(line, separator));
                cells.Should().NotContain(c => c.Length > 0 && "=+-@\t".Contains(c[0]), "a formula cell is always prefixed with a quote, whichever separator a spreadsheet reads");
            }
        }

        // ?format= chooses over Accept, once, and only csv or json.
        foreach (var path in new[] { "/api/v1/account-lists/customers", $"/api/v1/partnerships/{id}/overlaps/prospects/customers/white-space" })
        {
            var client = path.Contains("partnerships", StringComparison.Ordinal) ? manager : partner;
            (await Export(client, path + "?format=CSV", accept: null)).Should().StartWith("name,domain,country");
            var json = new HttpRequestMessage(HttpMethod.Get, path + "?format=json");
            json.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            var answered = await client.SendAsync(json);
            await Api.Expect(answered, HttpStatusCode.OK);
            answered.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            (await Api.Problem(await client.GetAsync(path + "?format=csv&format=csv"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["format"]![0]!
                .GetValue<string>().Should().Be("Give format once.");
            (await Api.Problem(await client.GetAsync(path + "?format=pdf"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["format"].Should().NotBeNull();
            (await Api.Problem(await client.GetAsync(path + "?format=%20"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["format"].Should().NotBeNull();
            (await Api.Problem(await client.GetAsync(path + "?format="), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["format"].Should().NotBeNull("an empty format names neither");
            (await Export(client, path)).Should().StartWith("name,domain,country", "without a format, Accept chooses");

            // Accept's qualities count: q=0 refuses CSV, and JSON preferred over it is answered; a q that is no quality
            // leaves its range unread.
            foreach (var accept in new[] { "text/csv;q=0", "text/csv;q=0.5, application/json", "text/csv;q=0.2, */*;q=0.8", "text/csv;q=abc", "text/csv;q=-1", "text/csv;q=2, application/json" })
            {
                var negotiated = new HttpRequestMessage(HttpMethod.Get, path);
                negotiated.Headers.TryAddWithoutValidation("Accept", accept);
                var answer = await client.SendAsync(negotiated);
                await Api.Expect(answer, HttpStatusCode.OK);
                answer.Content.Headers.ContentType!.MediaType.Should().Be("application/json", accept);
            }

            // The most specific range says how JSON is valued: */* does not lift it over a CSV the client prefers.
            foreach (var accept in new[] { "application/json;q=0.5, text/csv", "text/csv;q=0.9, application/json;q=0.5, */*", "text/csv;q=0.5, application/json;q=0, */*" })
            {
                var preferred = new HttpRequestMessage(HttpMethod.Get, path);
                preferred.Headers.TryAddWithoutValidation("Accept", accept);
                (await client.SendAsync(preferred)).Content.Headers.ContentType!.MediaType.Should().Be("text/csv", accept);
            }
        }
    }

    [Fact]
    public async Task AccountMapping_RoutesAppearInTheOpenApiDocument()
    {
        var document = await _app.CreateClient().GetStringAsync("/openapi/v1.json");
        document.Should().Contain("/api/v1/partnerships/{id}/overlaps/{ours}/{theirs}/white-space").And.Contain("/api/v1/account-lists/{population}").And.Contain("/api/v1/partnerships/{id}/sharing");
    }

    [Fact]
    public void AccountMapping_OutsideDevelopment_TheServiceRefusesToStartWithoutASecret()
    {
        FluentActions.Invoking(() => CoSell.Web.Identity.AccountMappingSecret.Validate(null)).Should().Throw<InvalidOperationException>().WithMessage("*AccountMapping:Secret*");
        FluentActions.Invoking(() => CoSell.Web.Identity.AccountMappingSecret.Validate("short")).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => CoSell.Web.Identity.AccountMappingSecret.Validate(CoSell.Web.Identity.AccountMappingSecret.DevelopmentSecret)).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => CoSell.Web.Identity.AccountMappingSecret.Validate(new string('k', 40))).Should().NotThrow();
    }

    private static async Task<string> Export(HttpClient client, string path, string? accept = "text/csv")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        var response = await client.SendAsync(request);
        await Api.Expect(response, HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        return await response.Content.ReadAsStringAsync();
    }

    private static JsonNode Cell(JsonObject matrix, string ours, string theirs) =>
        matrix["cells"]!.AsArray().Single(c => c!["ours"]!.GetValue<string>() == ours && c["theirs"]!.GetValue<string>() == theirs)!;

    /// <summary>A body that claims a length it never sends: the limit must refuse it from the header alone.</summary>
    private sealed class ClaimedLengthContent : HttpContent
    {
        public ClaimedLengthContent(long length)
        {
            Headers.ContentLength = length;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes("name,domain,country\n")).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = Headers.ContentLength!.Value;
            return true;
        }
    }
}
