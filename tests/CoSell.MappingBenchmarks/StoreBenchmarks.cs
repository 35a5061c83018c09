using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CoSell.Application.AccountMapping;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Infrastructure;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.MappingBenchmarks;

/// <summary>
/// The whole upload as the service runs it, on a SQLite file (WAL, synchronous=FULL): read, check, normalise
/// and tokenise the vendor's 1,000,000 rows, then replace the stored list — delete the old rows, insert the new
/// ones, update the list and write its audit row — in one transaction. And the first read of a list's tokens
/// for matching, before they are cached.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[Config(typeof(StoreConfig))]
public class StoreBenchmarks
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cosell-mapping-bench-").FullName;
    private byte[] _csv = [];
    private ServiceProvider _services = null!;
    private Guid _listId;

    [GlobalSetup]
    public void Setup()
    {
        _csv = MappingData.VendorCsv();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Path"] = Path.Combine(_directory, "cosell.db"),
            ["AccountMapping:Secret"] = "benchmark-account-mapping-secret-0000000001",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddCoSellApplication();
        services.AddCoSellInfrastructure(configuration);
        services.AddScoped<ICurrentUser, BenchmarkUser>();
        services.AddSingleton<IRealtimeNotifier>(NullRealtimeNotifier.Instance);
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: false, CancellationToken.None).GetAwaiter().GetResult();
        UploadAndStore().GetAwaiter().GetResult();
        _listId = scope.ServiceProvider.GetRequiredService<IRepository<AccountList>>()
            .FirstOrDefaultAsync(new AccountListsSpec(AccountList.VendorOwner, AccountPopulation.Customers), CancellationToken.None).GetAwaiter().GetResult()!.Id;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "upload 1M rows: parse … tokenise + replace in SQLite")]
    public async Task<int> UploadAndStore()
    {
        using var scope = _services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>()
            .Send(new UploadAccountList(AccountPopulation.Customers, AccountListFormat.Csv, new MemoryStream(_csv, writable: false)));
        return result.Accepted;
    }

    [Benchmark(Description = "first read of 1M rows' tokens from SQLite")]
    public async Task<int> LoadTokens()
    {
        using var scope = _services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<IAccountRowStore>().TokensAsync(_listId, AccountPopulation.Customers, CancellationToken.None)).Length;
    }

    private sealed class BenchmarkUser : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public string UserId => "00000000-0000-0000-0000-0000000000a1";

        public string Role => Domain.Users.Roles.Admin;

        public Guid? PartnerId => null;
    }

}

/// <summary>In-process; each upload takes tens of seconds, so three whole iterations.</summary>
public class StoreConfig : ManualConfig
{
    public StoreConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3));
}
