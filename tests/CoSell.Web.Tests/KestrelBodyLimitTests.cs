using System.Net;
using System.Net.Http.Headers;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>
/// The body limit on the real server: Kestrel on loopback, where a body sent without its length meets Kestrel's own
/// limit as well as the service's count, and a route's own reading of it fails before any handler runs.
/// </summary>
public sealed class KestrelBodyLimitTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public KestrelBodyLimitTests(KestrelCoSellApp app) => _app = app;

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task ARegistrationOverTheLimit_Is413SayingTheLimit_WithOrWithoutItsLength(bool lengthKnown, bool idempotencyKey)
    {
        var partner = await _app.StreamingClientFor("partner.northwind");
        partner.BaseAddress!.Host.Should().Be("127.0.0.1", "the request goes through Kestrel on loopback");
        var body = Api.RawRegistration(_app, "Huge Kestrel Corp", "huge-kestrel.com");
        body["notes"] = new string('x', 300 * 1024);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations")
        {
            Content = lengthKnown ? new ByteArrayContent(bytes) : new StreamContent(new UnannouncedLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (idempotencyKey)
        {
            request.Headers.Add("Idempotency-Key", $"huge-kestrel-{lengthKnown}");
        }

        var problem = await Api.Problem(await partner.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        problem["title"]!.GetValue<string>().Should().Be("The request body is too large.");
        problem["detail"]!.GetValue<string>().Should().Be("Request bodies on this route are limited to 256 KiB.");
        var list = await Api.Body(await partner.GetAsync("/api/v1/registrations?pageSize=100"));
        list["items"]!.AsArray().Should().NotContain(item => item!["customer"]!["name"]!.GetValue<string>() == "Huge Kestrel Corp");
    }
}
