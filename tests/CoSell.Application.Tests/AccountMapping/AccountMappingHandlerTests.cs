using System.Text;
using CoSell.Application.AccountMapping;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Users;
using CoSell.Infrastructure;
using CoSell.Infrastructure.AccountMapping;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Application.Tests.AccountMapping;

public sealed class AccountMappingHandlerTests
{
    internal static string Csv(string prefix, int count, string country = "US") =>
        "name,domain,country\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"{prefix} Account {Words(i)},{prefix.ToLowerInvariant()}-{i}.com,{country}\n"));

    // Numbers in words: short letter pairs could be legal forms ("AB", "SA") and fold away.
    private static string Words(int n) => string.Join(' ', n.ToString().Select(c => new[] { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine" }[c - '0']));

    internal static ServiceProvider Services(string connectionString, string secret, TestUser user)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["AccountMapping:Secret"] = secret,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddCoSellApplication();
        services.AddCoSellInfrastructure(configuration);
        services.AddScoped<ICurrentUser>(_ => user);
        services.AddSingleton<IRealtimeNotifier>(new RecordingNotifier());
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task RotatingTheSecret_ReKeysEveryStoredToken_AtTheNextStart_AndOverlapsStillMatch()
    {
        var connectionString = $"Data Source=mapping-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        using var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        var user = new TestUser();
        Dictionary<long, RowTokens> before;
        using (var first = Services(connectionString, "first-secret-for-the-rekey-test-0000001", user))
        {
            using (var scope = first.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
            }

            user.Is(DemoProgramme.Manager, Roles.ChannelManager);
            await Send(first, new UploadAccountList(AccountPopulation.Customers, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(Csv("Shared", 30))), null));
            user.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
            await Send(first, new UploadAccountList(AccountPopulation.Prospects, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(Csv("Shared", 30))), null));
            before = await Tokens(first);
        }

        using var second = Services(connectionString, "second-secret-for-the-rekey-test-000002", user);
        using (var scope = second.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
        }

        var after = await Tokens(second);
        after.Should().HaveCount(60);
        after.Should().OnlyContain(t => t.Value.Domain != null && t.Value.Name != null, "every row keeps its domain's and its name's token");
        after.Should().OnlyContain(t => !Same(t.Value.Domain, before[t.Key].Domain) && !Same(t.Value.Name, before[t.Key].Name)
            && (t.Value.Duns == null) == (before[t.Key].Duns == null) && (t.Value.Duns == null || !Same(t.Value.Duns, before[t.Key].Duns)), "every token is re-made under the new secret");
        var keyer = second.GetRequiredService<IAccountKeyer>();
        (await Fingerprint(second)).Should().Be(AccountTokenRekeyer.KeyedUnder(keyer));

        user.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var partnership = await Send(second, new ProposePartnership(null));
        var optedIn = await Send(second, new OptInPartnership(partnership.Id));
        var shared = await Send(second, new ChangeSharing(partnership.Id, SharingLevel.Counts, SharingLevel.Counts, SharingLevel.Counts, optedIn.Version));
        user.Is(DemoProgramme.Manager, Roles.ChannelManager);
        var bothIn = await Send(second, new OptInPartnership(partnership.Id, shared.Version));
        await Send(second, new ChangeSharing(partnership.Id, SharingLevel.Counts, SharingLevel.Counts, SharingLevel.Counts, bothIn.Version));
        var matrix = await Send(second, new GetOverlapMatrix(partnership.Id));
        matrix.Cells.Single(c => c.Ours == AccountPopulation.Customers && c.Theirs == AccountPopulation.Prospects).Overlaps!.Count.Should().Be(30);
    }

    [Fact]
    public async Task TokensMadeUnderEarlierKeyRules_AreMadeAgainAtTheNextStart_UnderTheSameSecret()
    {
        var connectionString = $"Data Source=rules-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        using var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        var user = new TestUser();
        const string secret = "one-secret-for-the-key-rules-test-000001";
        Dictionary<long, RowTokens> made;
        using (var first = Services(connectionString, secret, user))
        {
            using (var scope = first.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
            }

            user.Is(DemoProgramme.Manager, Roles.ChannelManager);
            await Send(first, new UploadAccountList(AccountPopulation.Customers, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(Csv("Shared", 30))), null));
            made = await Tokens(first);
            var keyer = first.GetRequiredService<IAccountKeyer>();

            // As a database keyed before these rules holds it: tokens the rules of then made, and the secret's fingerprint alone.
            using var stale = keepAlive.CreateCommand();
            stale.CommandText = "UPDATE account_rows SET domain_token = randomblob(16), name_token = randomblob(16); " +
                """UPDATE "account_mapping_state" SET "KeyFingerprint" = $fingerprint""";
            stale.Parameters.AddWithValue("$fingerprint", keyer.Fingerprint);
            stale.ExecuteNonQuery();
        }

        using var second = Services(connectionString, secret, user);
        using (var scope = second.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
        }

        var after = await Tokens(second);
        after.Should().HaveCount(30);
        after.Should().OnlyContain(t => t.Value.Domain != null && t.Value.Name != null, "every row keeps its domain's and its name's token");
        after.Should().OnlyContain(t => Same(t.Value.Domain, made[t.Key].Domain) && Same(t.Value.Name, made[t.Key].Name) && Same(t.Value.Duns, made[t.Key].Duns),
            "every token is made again as an upload makes it now");
        (await Fingerprint(second)).Should().Be(AccountTokenRekeyer.KeyedUnder(second.GetRequiredService<IAccountKeyer>()));
    }

    [Fact]
    public async Task RestartingUnderTheSameSecret_ReKeysNothing_AndPublishesNoSecondRules()
    {
        var connectionString = $"Data Source=restart-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        using var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        var user = new TestUser();
        const string secret = "one-secret-for-the-restart-test-000000001";
        AccountMappingState keyed;
        int rulesVersions;
        using (var first = Services(connectionString, secret, user))
        {
            using (var scope = first.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: false, CancellationToken.None);
            }

            keyed = await State(first);
            rulesVersions = await RulesVersions(first);
            keyed.KeyFingerprint.Should().Be(AccountTokenRekeyer.KeyedUnder(first.GetRequiredService<IAccountKeyer>()));
            keyed.KeyedAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "the first start keys the (empty) table now");
        }

        using var second = Services(connectionString, secret, user);
        using (var scope = second.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: false, CancellationToken.None);
        }

        rulesVersions.Should().Be(1, "a first start publishes the default rules");
        (await RulesVersions(second)).Should().Be(1, "a restart finds them");
        (await State(second)).Should().BeEquivalentTo(keyed, "the stored tokens were made under this secret");
    }

    private static async Task<AccountMappingState> State(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CoSellDbContext>().Set<AccountMappingState>().AsNoTracking().SingleAsync();
    }

    private static async Task<int> RulesVersions(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CoSellDbContext>().Rules.CountAsync();
    }

    internal static async Task<T> Send<T>(ServiceProvider services, MediatR.IRequest<T> request)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(request);
    }

    private sealed record RowTokens(byte[]? Domain, byte[]? Duns, byte[]? Name);

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static async Task<Dictionary<long, RowTokens>> Tokens(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CoSellDbContext>().Set<AccountRowRecord>().AsNoTracking()
            .ToDictionaryAsync(r => r.Id, r => new RowTokens(r.DomainToken, r.DunsToken, r.NameToken));
    }

    private static async Task<string> Fingerprint(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<CoSellDbContext>().Set<AccountMappingState>().SingleAsync()).KeyFingerprint;
    }
}
