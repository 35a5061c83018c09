using System.Net;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>An Idempotency-Key header as a client really sends it, through Kestrel on loopback.</summary>
public sealed class KestrelIdempotencyKeyTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public KestrelIdempotencyKeyTests(KestrelCoSellApp app) => _app = app;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AKeySentEmpty_Is400_RatherThanNoKey(string key)
    {
        var partner = await _app.StreamingClientFor("partner.northwind");
        var name = $"Empty Key {key.Length} Inc";
        var body = Api.RawRegistration(_app, name, $"empty-key-{key.Length}.com").ToJsonString();

        // Taken as no key, each retry would create another registration.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            var problem = await Api.Problem(await partner.SendAsync(request), HttpStatusCode.BadRequest, null);
            problem["detail"]!.GetValue<string>().Should().Contain("Idempotency-Key");
        }

        var list = await Api.Body(await partner.GetAsync("/api/v1/registrations?pageSize=100"));
        list["items"]!.AsArray().Should().NotContain(item => item!["customer"]!["name"]!.GetValue<string>() == name);
    }
}
