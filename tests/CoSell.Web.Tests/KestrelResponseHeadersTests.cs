using System.Net;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>The headers every answer carries, as Kestrel on loopback sends them.</summary>
public sealed class KestrelResponseHeadersTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public KestrelResponseHeadersTests(KestrelCoSellApp app) => _app = app;

    [Theory]
    [InlineData("GET", "/api/v1/registrations", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/registrations?format=csv", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/registrations/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/registrations?page=0", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/hubs/cosell/negotiate?negotiateVersion=1", HttpStatusCode.OK)]
    [InlineData("GET", "/hubs/cosell", HttpStatusCode.BadRequest)]
    public async Task AnApiOrHubAnswer_IsKeptByNoCache_IsNotSniffed_AndNamesNoServer(string method, string path, HttpStatusCode status)
    {
        var partner = await _app.StreamingClientFor("partner.northwind");

        using var response = await partner.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.Should().Be(status);
        response.Headers.CacheControl!.NoStore.Should().BeTrue("one caller's view of its tenant's data, or its connection, is not kept");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.Contains("Server").Should().BeFalse();
        response.Headers.Contains("Pragma").Should().BeFalse();
    }

    [Fact]
    public async Task AHealthAnswer_IsNotSniffed_AndNamesNoServer()
    {
        using var response = await _app.CreateClient().GetAsync("/health/live");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.Contains("Server").Should().BeFalse();
    }

    [Fact]
    public async Task AnAnswerWithoutSignIn_CarriesTheSameHeaders()
    {
        using var response = await _app.CreateClient().GetAsync("/api/v1/registrations");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.Contains("Server").Should().BeFalse();
    }
}
