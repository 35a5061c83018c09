using Serilog;
using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Identity;
using Microsoft.AspNetCore.Http;
using CoSell.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoSell.Web.Tests;

/// <summary>Ready says whether duplicate checks can be answered: not before the claims index is loaded, never after it failed.</summary>
public sealed class ClaimsIndexHealthCheckTests
{
    [Fact]
    public async Task BeforeTheLoad_IsUnhealthy()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var startup = new ClaimsIndexStartup(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClaimsIndexStartup>.Instance);

        var result = await new ClaimsIndexHealthCheck(startup).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Be("The claims index is loading.");
    }

    // Before, each probe of a start logged an Error: "Health check claims-index with status Unhealthy … is loading."
    [Fact]
    public async Task AProbeWhileTheLoadRuns_LogsNoError_WhileAFailedLoadStillDoes()
    {
        var capture = new Infrastructure.LogCapture();
        using var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().Filter.ByExcluding(ClaimsIndexHealthCheck.IsLoadingReport).WriteTo.Sink(capture).CreateLogger();
        using var scopes = new ServiceCollection().BuildServiceProvider();
        var startup = new ClaimsIndexStartup(scopes.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClaimsIndexStartup>.Instance);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSerilog(logger));
        services.AddSingleton(startup);
        services.AddHealthChecks().AddCheck<ClaimsIndexHealthCheck>("claims-index");
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        (await health.CheckHealthAsync()).Status.Should().Be(HealthStatus.Unhealthy);
        capture.AtOrAbove(Serilog.Events.LogEventLevel.Error).Should().BeEmpty("a start is unready while the index loads, and nothing failed");

        await FluentActions.Awaiting(() => startup.Start()).Should().ThrowAsync<InvalidOperationException>();
        (await health.CheckHealthAsync()).Status.Should().Be(HealthStatus.Unhealthy);
        capture.AtOrAbove(Serilog.Events.LogEventLevel.Error).Should().ContainSingle().Which.Should().Contain("The claims index failed to load.");
    }

    [Fact]
    public async Task AfterAFailedLoad_IsUnhealthyWithTheReason()
    {
        // No loader can be made: the load fails the way a broken database would, on its own thread.
        using var services = new ServiceCollection().BuildServiceProvider();
        var startup = new ClaimsIndexStartup(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClaimsIndexStartup>.Instance);

        var load = startup.Start();
        await FluentActions.Awaiting(() => load).Should().ThrowAsync<InvalidOperationException>();
        var result = await new ClaimsIndexHealthCheck(startup).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Be("The claims index failed to load.");
        result.Exception.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task AfterAFailedLoad_ApiRequestsGet503AndHealthPassesThrough()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var startup = new ClaimsIndexStartup(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClaimsIndexStartup>.Instance);
        await FluentActions.Awaiting(() => startup.Start()).Should().ThrowAsync<InvalidOperationException>();
        var reached = new List<string>();
        var wait = new WaitForClaimsIndex(context => { reached.Add(context.Request.Path); return Task.CompletedTask; }, startup);

        var api = new DefaultHttpContext { Request = { Path = "/api/v1/registrations" } };
        var refused = await FluentActions.Awaiting(() => wait.InvokeAsync(api)).Should().ThrowAsync<ClaimsIndexUnavailableException>();
        await wait.InvokeAsync(new DefaultHttpContext { Request = { Path = "/health/live" } });

        reached.Should().Equal("/health/live");
        var problem = Http.ProblemExceptionHandler.Map(refused.Which);
        problem.Status.Should().Be(503);
        problem.Extensions["code"].Should().Be("claims_index_unavailable");
    }

    // Before, a load stopped as the service stopped left the requests waiting for it a TaskCanceledException: a 500.
    [Fact]
    public async Task ALoadStoppedAsTheServiceStops_AnswersTheRequestsWaitingForIt503()
    {
        using var app = new Infrastructure.CoSellApp();
        await Infrastructure.Api.Ready(app.CreateClient());
        var startup = new ClaimsIndexStartup(app.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<ClaimsIndexStartup>.Instance);
        startup.Stop();

        var load = startup.Start();
        await FluentActions.Awaiting(() => load).Should().ThrowAsync<OperationCanceledException>("a stopped load is no failure of it");
        var wait = new WaitForClaimsIndex(_ => Task.CompletedTask, startup);
        var refused = await FluentActions.Awaiting(() => wait.InvokeAsync(new DefaultHttpContext { Request = { Path = "/api/v1/partners" } }))
            .Should().ThrowAsync<ClaimsIndexUnavailableException>();

        Http.ProblemExceptionHandler.Map(refused.Which).Status.Should().Be(503);
    }

    [Fact]
    public async Task AfterTheLoad_IsHealthyAndCountsTheClaims()
    {
        using var app = new Infrastructure.CoSellApp();
        var client = app.CreateClient();
        await Infrastructure.Api.Ready(client);
        var startup = app.Services.GetRequiredService<ClaimsIndexStartup>();

        var result = await new ClaimsIndexHealthCheck(startup).CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Description.Should().Be($"{await startup.Loaded!} live claims");
        (await startup.Loaded!).Should().BePositive("the demo programme has live registrations");
    }

    [Fact]
    public async Task Restart_OnAStoredDatabase_JudgesNewSubmissionsAgainstTheStoredClaims()
    {
        var first = new Infrastructure.CoSellApp();
        try
        {
            var northwind = await first.ClientFor("partner.northwind");
            var stored = await Infrastructure.Api.Create(northwind, Infrastructure.Api.NewRegistration(first, "Restart Proof", "restart-proof.com"));
            await Infrastructure.Api.Post(northwind, $"/api/v1/registrations/{stored["id"]}/submit");
            first.Services.GetRequiredService<ClaimsIndexStartup>().StartedBeforeMigrations.Should().BeFalse("a new database is migrated first");
        }
        catch
        {
            first.Dispose();
            throw;
        }

        using var restarted = first.Restart();
        var fabrikam = await restarted.ClientFor("partner.fabrikam");
        var rival = await Infrastructure.Api.Create(fabrikam, Infrastructure.Api.NewRegistration(restarted, "Restart Proof", "restart-proof.com", "DE", 10_000m));
        await Infrastructure.Api.Post(fabrikam, $"/api/v1/registrations/{rival["id"]}/submit");

        restarted.Services.GetRequiredService<ClaimsIndexStartup>().StartedBeforeMigrations.Should().BeTrue("the schema is current, so the index starts loading before EF Core has its model");
        (await Infrastructure.Api.Get(fabrikam, $"/api/v1/registrations/{rival["id"]}"))["status"]!.GetValue<string>().Should().Be("inConflict");
        (await restarted.Services.GetRequiredService<ClaimsIndexStartup>().Loaded!).Should().BePositive();
    }
}
