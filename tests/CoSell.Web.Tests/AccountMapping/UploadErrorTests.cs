using System.Net;
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
}
