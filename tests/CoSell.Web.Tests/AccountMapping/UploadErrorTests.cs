using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.AccountMapping.MappingApi;

namespace CoSell.Web.Tests.AccountMapping;

/// <summary>A refused upload says where the problem is: the row or line a user can go to in the file.</summary>
public sealed class UploadErrorTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public UploadErrorTests(CoSellApp app) => _app = app;

    private static string JsonRow(int i) => $"{{\"name\":\"Row {Words(i)} Inc\",\"domain\":\"row-{i}.com\",\"country\":\"US\",\"duns\":null,\"private\":false}}";

    /// <summary>A JSON array of <paramref name="count"/> good accounts with <paramref name="bad"/> in place of element <paramref name="at"/>.</summary>
    private static byte[] JsonList(int count, int at, string bad) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",\n", Enumerable.Range(0, count).Select(i => i == at ? bad : JsonRow(i))) + "]");

    private async Task<string> RefusedDetail(byte[] body, string contentType, string code)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var refused = await PutBytes(partner, "customers", body, contentType);
        return (await Api.Problem(refused, HttpStatusCode.BadRequest, code))["detail"]!.GetValue<string>();
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(200, 0)]
    [InlineData(201, 200)]
    [InlineData(3000, 2500)]
    [InlineData(3000, 2999)]
    public async Task JsonUpload_WithAMisspeltField_NamesItsPlaceInTheArray(int count, int at)
    {
        var detail = await RefusedDetail(JsonList(count, at, "{\"name\":\"Misspelt Inc\",\"country\":\"US\",\"domian\":\"misspelt.com\"}"), "application/json", "account_list.json_invalid");

        detail.Should().StartWith($"'$[{at}].domian' is not a field of an account (row {at + 1})");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3000, 2500)]
    public async Task JsonUpload_WithARepeatedField_NamesItsPlaceInTheArray(int count, int at)
    {
        var detail = await RefusedDetail(JsonList(count, at, "{\"name\":\"A Inc\",\"Name\":\"B Inc\",\"country\":\"US\"}"), "application/json", "account_list.json_invalid");

        detail.Should().StartWith($"'$[{at}].Name' is given more than once in one account (row {at + 1})");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3000, 2500)]
    [InlineData(3000, 2999)]
    public async Task JsonUpload_WithAValueOfTheWrongType_SaysAfterWhichRow(int count, int at)
    {
        var detail = await RefusedDetail(JsonList(count, at, "{\"name\":42,\"country\":\"US\"}"), "application/json", "account_list.json_invalid");

        detail.Should().Contain($"(after row {at}, at $[{at}].name)");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3000, 2500)]
    public async Task JsonUpload_WithANullRow_IsRefusedLikeAnyElementThatIsNotAnAccount(int count, int at)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var before = await (await partner.GetAsync("/api/v1/account-lists")).Content.ReadAsStringAsync();

        var detail = await RefusedDetail(JsonList(count, at, "null"), "application/json", "account_list.json_invalid");

        detail.Should().EndWith($"(row {at + 1} is null, at $[{at}]).");
        (await (await partner.GetAsync("/api/v1/account-lists")).Content.ReadAsStringAsync()).Should().Be(before, "a refused upload stores nothing");
    }

    [Fact]
    public async Task AJsonFieldOverTheLimit_IsRefusedAsInCsv_WithTheSameRowReport_AndTheListStaysAsItWas()
    {
        var partner = await _app.ClientFor("partner.adatum");
        var kept = await Upload(partner, "openOpportunities", Fillers("Fieldcap", 30));
        // The over-long field comes first: the line after the header in CSV, row 1 in JSON; thirty good accounts follow it.
        var longName = new string('x', 5 * 1024 * 1024);
        var good = Fillers("Fieldcapped", 30).ToList();
        var csv = await PutCsv(partner, "openOpportunities", "name,domain,country,duns,private\n" + longName + ",,US,,\n" + Csv(good)["name,domain,country,duns,private\n".Length..]);
        var json = await PutBytes(partner, "openOpportunities", Encoding.UTF8.GetBytes(
            $"[{{\"name\":\"{longName}\",\"country\":\"US\"}}," + string.Join(',', good.Select(a => $"{{\"name\":\"{a.Name}\",\"domain\":\"{a.Domain}\",\"country\":\"{a.Country}\"}}")) + "]"), "application/json");

        foreach (var (refused, line) in new[] { (csv, 2), (json, 1) })
        {
            var problem = await Api.Problem(refused, (HttpStatusCode)422, "account_list.too_many_bad_rows");
            problem["totalRows"]!.GetValue<int>().Should().Be(31);
            problem["badRows"]!.GetValue<int>().Should().Be(1);
            problem["rows"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).Should().Equal((line, "a field is longer than 2048 characters"));
        }

        (await Api.Get(partner, "/api/v1/account-lists"))["items"]!.AsArray().Single(l => l!["population"]!.GetValue<string>() == "openOpportunities")!["version"]!
            .GetValue<long>().Should().Be(Api.Version(kept), "a refused upload changes nothing");
    }

    [Theory]
    [InlineData(5000, 3001)]
    [InlineData(5000, 4)]
    [InlineData(5000, 5000)]
    [InlineData(30, 17)]
    public async Task CsvUpload_WithALatin1Byte_NamesTheLineItIsOn(int lines, int badLine)
    {
        // Lines 2 and 3 are one row with a quoted line break: lines are counted in the file, not by rows.
        var text = new StringBuilder("name,domain,country\n\"Two\nLines Inc\",two-lines.com,DE\n");
        for (var line = 4; line <= lines; line++)
        {
            text.Append(line == badLine ? "M\u00FCller GmbH" : $"Row {Words(line)} Inc").Append($",row-{line}.com,DE\n");
        }

        // ü as Latin-1 writes it: the one byte 0xFC, which UTF-8 never uses, in place of UTF-8's two.
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var at = Array.IndexOf(body, (byte)0xC3);
        body = [.. body[..at], 0xFC, .. body[(at + 2)..]];

        var detail = await RefusedDetail(body, "text/csv", "account_list.encoding_invalid");

        detail.Should().Contain($"(line {badLine})");
    }

    [Fact]
    public async Task JsonUpload_WithLatin1TextInAString_IsRefusedAsNotUtf8_NamingTheRow()
    {
        // Row 3's name as Latin-1 writes it: ü as the one byte 0xFC.
        var json = Encoding.UTF8.GetBytes("[" + JsonRow(1) + "," + JsonRow(2) + ",{\"name\":\"M\u00FCller GmbH\",\"country\":\"DE\"}]");
        var at = Array.IndexOf(json, (byte)0xC3);
        byte[] body = [.. json[..at], 0xFC, .. json[(at + 2)..]];

        var detail = await RefusedDetail(body, "application/json", "account_list.encoding_invalid");

        detail.Should().Contain("UTF-8").And.Contain("row 3");

        // The same byte in a field's name.
        var named = Encoding.UTF8.GetBytes("[" + JsonRow(1) + ",{\"n\u00FCme\":\"Mueller GmbH\",\"country\":\"DE\"}]");
        var inName = Array.IndexOf(named, (byte)0xC3);
        (await RefusedDetail([.. named[..inName], 0xFC, .. named[(inName + 2)..]], "application/json", "account_list.encoding_invalid")).Should().Contain("row 2");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    [InlineData("\uFEFF")]
    [InlineData("\uFEFF \n")]
    public async Task JsonUpload_OfAnEmptyOrBlankBody_IsRefusedAsEmpty(string body)
    {
        var detail = await RefusedDetail(Encoding.UTF8.GetBytes(body), "application/json", "account_list.empty");

        detail.Should().Contain("empty");
    }

    public static TheoryData<string, byte[], string> Utf16Bodies
    {
        get
        {
            const string csv = "name,domain,country\r\nM\u00FCller GmbH,mueller.de,DE\r\nAcme,acme.com,US\r\n";
            var json = "[" + JsonRow(1) + "," + JsonRow(2) + "]";
            return new()
            {
                { "CSV, UTF-16LE without a byte-order mark", Encoding.Unicode.GetBytes(csv), "text/csv" },
                { "CSV, UTF-16BE without a byte-order mark", Encoding.BigEndianUnicode.GetBytes(csv), "text/csv" },
                { "CSV, UTF-16LE with a blank first line", Encoding.Unicode.GetBytes("\r\n" + csv), "text/csv" },
                { "JSON, UTF-16LE without a byte-order mark", Encoding.Unicode.GetBytes(json), "application/json" },
                { "JSON, UTF-16BE without a byte-order mark", Encoding.BigEndianUnicode.GetBytes(json), "application/json" },
                { "JSON, UTF-16LE after white space", Encoding.Unicode.GetBytes(" \n" + json), "application/json" },
                { "JSON, UTF-16LE with a byte-order mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)], "application/json" },
                { "JSON, UTF-16BE with a byte-order mark", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(json)], "application/json" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Utf16Bodies))]
    public async Task Upload_InUtf16_IsRefusedAsNotUtf8(string why, byte[] body, string contentType)
    {
        var detail = await RefusedDetail(body, contentType, "account_list.encoding_invalid");

        detail.Should().Contain("UTF-16", why).And.Contain("UTF-8", why);
    }

    [Fact]
    public async Task AnUploadNamingAStaleVersion_Is412_AndTheListStaysAsItWas()
    {
        var partner = await _app.ClientFor("partner.fabrikam");
        Task<HttpResponseMessage> Put(int accounts, string ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/account-lists/prospects") { Content = new StringContent(Csv(Fillers("Guarded", accounts)), Encoding.UTF8, "text/csv") };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return partner.SendAsync(request);
        }

        async Task<System.Text.Json.Nodes.JsonNode?> Prospects() =>
            (await Api.Get(partner, "/api/v1/account-lists"))["items"]!.AsArray().SingleOrDefault(l => l!["population"]!.GetValue<string>() == "prospects");

        // No list yet: no If-Match matches it, not even *, and the refusal answers no version.
        foreach (var ifMatch in new[] { "\"1\"", "\"0\"", "*" })
        {
            var none = await Put(30, ifMatch);
            var problem = await Api.Problem(none, HttpStatusCode.PreconditionFailed);
            none.Headers.ETag.Should().BeNull();
            problem["currentVersion"].Should().BeNull();
        }

        (await Prospects()).Should().BeNull("a refused upload opens no list");

        var first = await Upload(partner, "prospects", Fillers("Guarded", 30));
        var read = Api.Version(first);
        var second = await Put(31, $"\"{read}\"");
        await Api.Expect(second, HttpStatusCode.OK);
        second.Headers.ETag!.Tag.Should().Be($"\"{read + 1}\"");

        await Api.Problem(await Put(32, $"\"{read}\""), HttpStatusCode.PreconditionFailed);

        var kept = (await Prospects())!;
        kept["rows"]!.GetValue<int>().Should().Be(31);
        kept["version"]!.GetValue<long>().Should().Be(read + 1);
    }

    // Before, If-None-Match was read nowhere: "only if there is no list yet" replaced the list another user had just made.
    [Fact]
    public async Task AFirstUploadWithIfNoneMatchAny_MakesTheListOnce_AndAnotherIsRefused412WithTheListsVersion()
    {
        var manager = await _app.ClientFor("manager");
        Task<HttpResponseMessage> Put(string prefix, string ifNoneMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/account-lists/openOpportunities") { Content = new StringContent(Csv(Fillers(prefix, 30)), Encoding.UTF8, "text/csv") };
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            return manager.SendAsync(request);
        }

        var made = await Put("Made First", "*");
        await Api.Expect(made, HttpStatusCode.OK);
        var version = Api.Version(await Api.Body(made));

        foreach (var ifNoneMatch in new[] { "*", $"\"{version}\"", $"W/\"{version}\"", "\"99\", not-a-list" })
        {
            var refused = await Put("Made Second", ifNoneMatch);
            var problem = await Api.Problem(refused, HttpStatusCode.PreconditionFailed, "precondition_failed");
            refused.Headers.ETag!.Tag.Should().Be($"\"{version}\"", ifNoneMatch);
            problem["currentVersion"]!.GetValue<long>().Should().Be(version);
            problem["title"]!.GetValue<string>().Should().Be("If-None-Match refuses the current version.", "a title true of a *, a tag and an unreadable header alike");

            // A header that is no list of ETags is read as "*", and the answer says so rather than that "*" was sent.
            problem["detail"]!.GetValue<string>().Should().StartWith(ifNoneMatch switch
            {
                "*" => "If-None-Match: * asks",
                "\"99\", not-a-list" => "If-None-Match is not a list of ETags, so it is read as *",
                _ => "If-None-Match names the current version",
            }, ifNoneMatch);
        }

        await Api.Expect(await Put("Made Third", "\"99\""), HttpStatusCode.OK);
        var list = await Api.Get(manager, "/api/v1/account-lists/openOpportunities?pageSize=100");
        list["items"]!.AsArray().Should().OnlyContain(a => a!["name"]!.GetValue<string>().StartsWith("Made Third", StringComparison.Ordinal));
    }
}
