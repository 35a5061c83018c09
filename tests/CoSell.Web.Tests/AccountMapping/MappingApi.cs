using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests.AccountMapping;

/// <summary>One account as a test writes it into an upload.</summary>
public sealed record Account(string Name, string? Domain, string Country, string? Duns = null, bool Private = false);

/// <summary>Requests the account-mapping tests share.</summary>
public static class MappingApi
{
    public const string Northwind = "10000000-0000-0000-0000-000000000001";

    public static string Csv(IEnumerable<Account> accounts) =>
        "name,domain,country,duns,private\n" + string.Concat(accounts.Select(a => $"{Field(a.Name)},{Field(a.Domain)},{a.Country},{a.Duns},{(a.Private ? "yes" : "")}\n"));

    public static string Field(string? value) =>
        value is null ? string.Empty : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public static IEnumerable<Account> Fillers(string prefix, int count, string country = "US") =>
        Enumerable.Range(1, count).Select(i => new Account($"{prefix} Filler {Words(i)}", $"{prefix.ToLowerInvariant().Replace(' ', '-')}-filler-{i}.com", country));

    /// <summary>Spells a number in words, so that names stay distinct after normalisation.</summary>
    public static string Words(int n)
    {
        string[] ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        return string.Join(' ', n.ToString().Select(c => ones[c - '0']));
    }

    public static Task<HttpResponseMessage> PutCsv(HttpClient client, string population, string csv, string? query = null) =>
        client.PutAsync($"/api/v1/account-lists/{population}{query}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static Task<HttpResponseMessage> PutBytes(HttpClient client, string population, byte[] body, string contentType = "text/csv") =>
        client.PutAsync($"/api/v1/account-lists/{population}", new ByteArrayContent(body) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) } });

    public static async Task<JsonObject> Upload(HttpClient client, string population, IEnumerable<Account> accounts)
    {
        var response = await PutCsv(client, population, Csv(accounts));
        await Api.Expect(response, HttpStatusCode.OK);
        return await Api.Body(response);
    }

    /// <summary>Sets the caller's side's sharing levels, naming the version it read (If-Match is required).</summary>
    public static async Task<JsonObject> Share(HttpClient client, string partnershipId, object levels, System.Text.Json.JsonSerializerOptions? json = null)
    {
        var path = $"/api/v1/partnerships/{partnershipId}/sharing";
        var read = await client.GetAsync(path);
        await Api.Expect(read, HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(levels, options: json) };
        request.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        var response = await client.SendAsync(request);
        await Api.Expect(response, HttpStatusCode.OK);
        return await Api.Body(response);
    }

    /// <summary>Proposes the vendor's partnership with <paramref name="partnerId"/> (Northwind by default) and has both sides opt in.</summary>
    public static async Task<string> ActivePartnership(HttpClient vendor, HttpClient partner, string? partnerId = null)
    {
        var created = await Api.Post(vendor, "/api/v1/partnerships", new { partnerId = partnerId ?? Northwind }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await Api.Post(vendor, $"/api/v1/partnerships/{id}/opt-in");
        (await Api.Post(partner, $"/api/v1/partnerships/{id}/opt-in"))["status"]!.GetValue<string>().Should().Be("active");
        return id;
    }

    /// <summary>A new gold partner selling in <paramref name="territories"/>, a client of one of its users, and its partnership with the vendor, both sides opted in.</summary>
    public static async Task<(HttpClient Partner, string PartnershipId)> NewPartnerInPartnership(CoSellApp app, string name, params string[] territories)
    {
        var partner = await Api.Post(await app.ClientFor("admin"), "/api/v1/partners", new { name, tier = "gold", territories }, HttpStatusCode.Created);
        var client = Tokens.ClientWith(app, app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        return (client, await ActivePartnership(await app.ClientFor("manager"), client, Api.Id(partner)));
    }

    public static object Levels(string customers, string prospects, string openOpportunities) => new { customers, prospects, openOpportunities };
}
