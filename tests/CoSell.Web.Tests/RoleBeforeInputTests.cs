using System.Net;
using System.Reflection;
using System.Text;
using CoSell.Web.Http;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RequestAuthorize = CoSell.Application.Abstractions.AuthorizeAttribute;

namespace CoSell.Web.Tests;

/// <summary>A role that may not act is refused (403) before what it sent is read: bad input from it is no 400.</summary>
public sealed class RoleBeforeInputTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public RoleBeforeInputTests(CoSellApp app) => _app = app;

    [Theory]
    [InlineData("partner.northwind", "POST", "/api/v1/partners", "{not json")]
    [InlineData("partner.northwind", "POST", "/api/v1/rules/versions", "{\"tiers\": 42}")]
    [InlineData("rep", "POST", "/api/v1/partners", "{\"name\": \"Rep Partner\", \"unknownField\": true}")]
    [InlineData("arbiter", "POST", "/api/v1/opportunities", "[1, 2, 3]")]
    [InlineData("partner.northwind", "GET", "/api/v1/reviews?page=abc", null)]
    [InlineData("rep", "GET", "/api/v1/registrations?partnerId=nope", null)]
    [InlineData("partner.fabrikam", "GET", "/api/v1/conflicts/measures?from=yesterday", null)]
    public async Task BadInputFromARoleThatMayNotAct_Is403_SayingWhichRolesMay(string user, string method, string path, string? body)
    {
        var client = await _app.ClientFor(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var problem = await Api.Problem(await client.SendAsync(request), HttpStatusCode.Forbidden, "forbidden");

        problem["detail"]!.GetValue<string>().Should().Contain("role may not do this");
        problem["title"]!.GetValue<string>().Should().Be("Forbidden.", "a 403 reads the same whether the route or a handler refused");
    }

    [Theory]
    [InlineData("application/xml", 10, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-7", 10, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", 300_000, HttpStatusCode.RequestEntityTooLarge)]
    public async Task ABodyOfTheWrongTypeCharsetOrSize_Is403ForARoleThatMayNotAct_401WithoutAToken_AndItsOwnErrorOtherwise(string contentType, int size, HttpStatusCode own)
    {
        async Task<HttpResponseMessage> Post(HttpClient client)
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(new string(' ', size)));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return await client.PostAsync("/api/v1/partners", content);
        }

        await Api.Problem(await Post(await _app.ClientFor("partner.northwind")), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await Post(_app.CreateClient()), HttpStatusCode.Unauthorized);
        await Api.Problem(await Post(await _app.ClientFor("admin")), own);
    }

    [Theory]
    [InlineData("application/json", 300_000)]
    [InlineData("application/json; charset=utf-7", 2)]
    public async Task ABodySentToAnActionThatReadsNone_IsNotJudged_SoTheActionsOwnAnswerComesFirst(string contentType, int size)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var draft = await Api.Create(northwind, Api.NewRegistration(_app, $"Bodiless Action {size} Ltd", $"bodiless-action-{size}.com"));
        HttpContent Body()
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(size == 2 ? "{}" : new string(' ', size)));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return content;
        }

        var refused = await manager.PostAsync($"/api/v1/registrations/{Api.Id(draft)}/submit", Body());
        var unknown = await northwind.PostAsync($"/api/v1/registrations/{Guid.NewGuid()}/submit", Body());
        var submitted = await northwind.PostAsync($"/api/v1/registrations/{Api.Id(draft)}/submit", Body());

        (await Api.Problem(refused, HttpStatusCode.Forbidden, "forbidden"))["detail"]!.GetValue<string>().Should().Contain("role may not do this");
        await Api.Problem(unknown, HttpStatusCode.NotFound);
        await Api.Expect(submitted, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ABodyOfNoStatedLength_IsCountedAsItIsRead_AndOverTheLimitIs413()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/registrations")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"notes\":\"" + new string('a', 300 * 1024) + "\"}"))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        var before = await _app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Registrations));

        await Api.Problem(await northwind.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        (await _app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Registrations))).Should().Be(before);
    }

    [Fact]
    public async Task AnArbiter_WorksNoOpportunity_WhateverItSends()
    {
        var rep = await _app.ClientFor("rep");
        var arbiter = await _app.ClientFor("arbiter");
        var opportunity = await CoSelling.OpenDirect(rep, _app, "Arbiter Reads Only Inc", "arbiter-reads-only.com");
        var path = $"/api/v1/opportunities/{Api.Id(opportunity)}";
        (await Api.Get(arbiter, path))["id"]!.GetValue<string>().Should().Be(Api.Id(opportunity), "an arbiter reads opportunities");

        foreach (var (method, route, body) in new[] { ("PATCH", path, "{\"nextStep\":"), ("PATCH", path, "{\"nextStep\":\"x\"}"), ("POST", $"{path}/notes", "{\"visibility\":\"internal\",\"body\":\"x\"}") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{Api.Version(opportunity)}\"");

            await Api.Problem(await arbiter.SendAsync(request), HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task AQueryParameterTheRouteDoesNotRead_IsIgnored_SoTheRoutesOwnAnswerComesFirst()
    {
        var rep = await _app.ClientFor("rep");
        var admin = await _app.ClientFor("admin");

        await Api.Problem(await rep.GetAsync($"/api/v1/registrations/{Guid.NewGuid()}?page=0&after=x"), HttpStatusCode.Forbidden, "forbidden");
        await Api.Problem(await admin.GetAsync($"/api/v1/registrations/{Guid.NewGuid()}?page=0"), HttpStatusCode.NotFound);
        await Api.Problem(await admin.GetAsync("/api/v1/registrations?page=0"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task TheSameBadInputFromARoleThatMayAct_IsStillA400()
    {
        var admin = await _app.ClientFor("admin");
        using var content = new StringContent("{not json", Encoding.UTF8, "application/json");

        await Api.Problem(await admin.PostAsync("/api/v1/partners", content), HttpStatusCode.BadRequest);
        await Api.Problem(await admin.GetAsync("/api/v1/reviews?page=abc"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public void EveryEndpointThatReadsABodyOrAQuery_KnowsTheRequestItSends_AndItsRoles()
    {
        // A body or query parameter is what a role could be refused before; the request's roles must reach the endpoint.
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.Contains("/dev/", StringComparison.Ordinal))
            .ToList();
        var reading = endpoints.Where(e => e.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters()
            .Any(p => !IsService(p.ParameterType) && !e.RoutePattern.Parameters.Any(r => string.Equals(r.Name, p.Name, StringComparison.OrdinalIgnoreCase))) == true).ToList();

        reading.Should().HaveCountGreaterThan(20);
        using var all = new FluentAssertions.Execution.AssertionScope();
        foreach (var endpoint in reading)
        {
            var request = RequestRoles.RequestOf(endpoint.Metadata);
            request.Should().NotBeNull($"{endpoint.DisplayName} reads input and must name the request it sends (Sends<T>() or its body's type)");
            if (request is null)
            {
                continue;
            }

            // A request without roles is for every signed-in user (its authoriser judges the resource).
            var roles = request.GetCustomAttribute<RequestAuthorize>()?.Roles ?? [];
            var required = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Roles).OfType<string>();
            if (roles.Count > 0)
            {
                required.Should().Contain(string.Join(',', roles), $"{endpoint.DisplayName} is for {string.Join(", ", roles)}");
            }
        }
    }

    [Theory]
    [InlineData(typeof(CoSell.Application.AccountMapping.ExportOverlapAccounts), typeof(CoSell.Application.AccountMapping.GetOverlapAccounts))]
    [InlineData(typeof(CoSell.Application.AccountMapping.ExportWhiteSpace), typeof(CoSell.Application.AccountMapping.GetWhiteSpace))]
    [InlineData(typeof(CoSell.Application.AccountMapping.ExportAccountList), typeof(CoSell.Application.AccountMapping.GetAccountListRows))]
    public void AnEndpointThatSendsACsvVariant_NamesARequestForTheSameRoles(Type csv, Type named)
    {
        // The endpoint's roles come from the request it names; the CSV export it sends instead must not allow fewer or more.
        csv.GetCustomAttribute<RequestAuthorize>()!.Roles.Should().BeEquivalentTo(named.GetCustomAttribute<RequestAuthorize>()!.Roles);
    }

    private static bool IsService(Type type) =>
        type == typeof(CancellationToken) || type.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true ||
        type.Namespace == "MediatR" || type.IsInterface && type.Namespace?.StartsWith("CoSell", StringComparison.Ordinal) == true;
}
