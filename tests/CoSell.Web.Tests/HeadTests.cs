using System.Net;
using CoSell.Web.Tests.Infrastructure;

namespace CoSell.Web.Tests;

/// <summary>HEAD is GET without the body (RFC 9110 9.3.2): same status, same headers, same walls; served by Kestrel, which leaves the body out.</summary>
public sealed class HeadTests : IClassFixture<KestrelCoSellApp>
{
    private readonly KestrelCoSellApp _app;

    public HeadTests(KestrelCoSellApp app) => _app = app;

    [Fact]
    public async Task HeadOnARegistration_AnswersItsStatusAndETag_WithoutTheBody()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        northwind.BaseAddress!.Host.Should().Be("127.0.0.1");
        var created = await Api.Create(northwind, Api.NewRegistration(_app, "Head Request Corp", "head-request.com"));
        var path = $"/api/v1/registrations/{Api.Id(created)}";
        var get = await northwind.GetAsync(path);

        var head = await northwind.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Headers.ETag.Should().Be(get.Headers.ETag);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await northwind.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/registrations?pageSize=5"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await northwind.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{path}/timeline"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HeadKeepsTheWalls_AndTheRoutesThatAreNotReads()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var created = await Api.Create(northwind, Api.NewRegistration(_app, "Head Wall Corp", "head-wall.com"));
        var path = $"/api/v1/registrations/{Api.Id(created)}";

        (await fabrikam.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode.Should().Be(HttpStatusCode.NotFound, "another partner's registration is not there for it");
        (await _app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await (await _app.ClientFor("rep")).SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/reviews"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await northwind.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{path}/submit"))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "an action is not a read");
    }

    // Before, If-None-Match was read nowhere: a client keeping a copy by its ETag read the whole resource each time.
    [Fact]
    public async Task AReadWhoseIfNoneMatchNamesTheCurrentVersion_Is304WithTheETagAndNoBody_AndInFullOnceItMoved()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var created = await Api.Create(northwind, Api.NewRegistration(_app, "Not Modified Corp", "not-modified.com"));
        var path = $"/api/v1/registrations/{Api.Id(created)}";
        var etag = (await northwind.GetAsync(path)).Headers.ETag!.Tag;
        async Task<HttpResponseMessage> Read(HttpClient client, HttpMethod method, string url, string ifNoneMatch)
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            return await client.SendAsync(request);
        }

        foreach (var (method, named) in new[] { (HttpMethod.Get, etag), (HttpMethod.Get, $"W/{etag}"), (HttpMethod.Get, $"\"99\", {etag}"), (HttpMethod.Get, "*"), (HttpMethod.Head, etag) })
        {
            var notModified = await Read(northwind, method, path, named);
            notModified.StatusCode.Should().Be(HttpStatusCode.NotModified, named);
            notModified.Headers.ETag!.Tag.Should().Be(etag);
            (await notModified.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        }

        foreach (var named in new[] { "\"99\"", "not-a-list" })
        {
            (await Read(northwind, HttpMethod.Get, path, named)).StatusCode.Should().Be(HttpStatusCode.OK, named);
        }

        (await Read(fabrikam, HttpMethod.Get, path, etag)).StatusCode.Should().Be(HttpStatusCode.NotFound, "another partner learns nothing of it, its version least of all");
        (await Read(northwind, HttpMethod.Get, "/api/v1/registrations?pageSize=5", "*")).StatusCode.Should().Be(HttpStatusCode.OK, "a list has no version");
        await Api.PatchOk(northwind, path, new { notes = "Moved on." }, Api.Version(created));
        var moved = await Read(northwind, HttpMethod.Get, path, etag);
        moved.StatusCode.Should().Be(HttpStatusCode.OK);
        moved.Headers.ETag!.Tag.Should().NotBe(etag);
    }

    // Before, a read's If-Match was not read: a client asking for the version it knew was handed another, 200.
    [Fact]
    public async Task AReadWhoseIfMatchNamesAnotherVersion_Is412WithTheCurrentETag_AndInFullWhenItMatches()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var created = await Api.Create(northwind, Api.NewRegistration(_app, "Precondition Read Corp", "precondition-read.com"));
        var path = $"/api/v1/registrations/{Api.Id(created)}";
        var etag = (await northwind.GetAsync(path)).Headers.ETag!.Tag;
        async Task<HttpResponseMessage> Read(HttpClient client, HttpMethod method, string ifMatch)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await client.SendAsync(request);
        }

        foreach (var (method, named) in new[] { (HttpMethod.Get, "\"99\""), (HttpMethod.Get, $"W/{etag}"), (HttpMethod.Head, "\"99\"") })
        {
            var stale = await Read(northwind, method, named);
            stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, named);
            stale.Headers.ETag!.Tag.Should().Be(etag, "the answer says the version the resource is at");
        }

        (await Api.Problem(await Read(northwind, HttpMethod.Get, "\"99\""), HttpStatusCode.PreconditionFailed, "precondition_failed"))["currentVersion"]!.GetValue<long>()
            .Should().Be(Api.Version(created));
        foreach (var named in new[] { etag, $"\"99\", {etag}", "*" })
        {
            (await Read(northwind, HttpMethod.Get, named)).StatusCode.Should().Be(HttpStatusCode.OK, named);
        }

        (await Read(fabrikam, HttpMethod.Get, "\"99\"")).StatusCode.Should().Be(HttpStatusCode.NotFound, "another partner learns nothing of it, its version least of all");
    }

    // Before, the API description and its reader answered HEAD 405, as the probes and every API read do not.
    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    [InlineData("/health/live")]
    public async Task HeadOnTheAnonymousReads_IsAnswered(string path)
    {
        var head = await _app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }
}
