using System.Data.Common;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.Persistence;

public sealed class ActiveRulesCacheTests
{
    [Fact]
    public async Task ARead_ThatARulesChangeOvertook_IsNotKept()
    {
        using var harness = new Harness();
        await harness.InitializeAsync();
        var pause = new PauseAfterRead();
        var connectionString = await harness.InScope(services => Task.FromResult(services.GetRequiredService<CoSellDbContext>().Database.GetConnectionString()!));
        var services = new ServiceCollection();
        services.AddDbContext<CoSellDbContext>(options => options.UseSqlite(connectionString).AddInterceptors(pause));
        await using var provider = services.BuildServiceProvider();
        var cache = new CachedActiveRules(provider.GetRequiredService<IServiceScopeFactory>());

        // A submission reads version 1 and is held between its read and keeping what it read...
        var reading = cache.GetAsync(CancellationToken.None);
        await pause.Entered.Task;

        // ...while an admin publishes version 2, whose commit forgets the cached rules.
        harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var tiers = Enum.GetValues<PartnerTier>().Select(t => new TierPolicyInput(t, 200, 30, 1, 1_000, 100_000, 24)).ToList();
        (await harness.Send(new PublishRulesVersion("USD", tiers, 0.9m, 0.6m, 30, 48, 24))).Version.Should().Be(2);
        cache.Invalidate();
        pause.Release.SetResult();

        (await reading).Number.Should().Be(1, "the read began before the change committed");
        (await cache.GetAsync(CancellationToken.None)).Number.Should().Be(2, "every read after the change sees it");
    }

    [Fact]
    public async Task ARead_WithNoChangeMeanwhile_IsKept()
    {
        using var harness = new Harness();
        await harness.InitializeAsync();
        var cache = harness.Services.GetRequiredService<CachedActiveRules>();
        var first = await cache.GetAsync(CancellationToken.None);

        (await cache.GetAsync(CancellationToken.None)).Should().BeSameAs(first);
        (await harness.InScope(services => services.GetRequiredService<IActiveRules>().GetAsync(CancellationToken.None))).Should().BeSameAs(first, "each request reads the one the service keeps");
    }

    /// <summary>Holds the first read once its connection closes, until released.</summary>
    private sealed class PauseAfterRead : DbConnectionInterceptor
    {
        private int _armed = 1;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Entered.SetResult();
                await Release.Task;
            }
        }
    }
}
