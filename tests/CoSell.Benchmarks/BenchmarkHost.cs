using CoSell.Application;
using CoSell.Application.Abstractions;
using CoSell.Infrastructure;
using CoSell.Infrastructure.Identity;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Benchmarks;

/// <summary>
/// The application and its persistence on a SQLite file of their own, with the demo programme, and requests sent through
/// the MediatR pipeline (validation, authorisation, unit of work) as a caller the benchmark names: no HTTP in between.
/// </summary>
internal sealed class BenchmarkHost : IDisposable
{
    private readonly string _directory;
    private readonly BenchmarkUser _user = new();

    public BenchmarkHost(string name)
    {
        _directory = Directory.CreateTempSubdirectory($"cosell-{name}-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Path"] = Path.Combine(_directory, "cosell.db"),
            ["AccountMapping:Secret"] = $"{name}-benchmark-account-mapping-secret-01",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddCoSellApplication();
        services.AddCoSellInfrastructure(configuration);
        services.AddScoped<ICurrentUser>(_ => _user);
        services.AddSingleton<IRealtimeNotifier>(NullRealtimeNotifier.Instance);
        Services = services.BuildServiceProvider();
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None).GetAwaiter().GetResult();
    }

    public ServiceProvider Services { get; }

    /// <summary>Loads the claims index from what is stored, as a start of the service does.</summary>
    public void LoadClaims()
    {
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ClaimsIndexLoader>().Load();
    }

    /// <summary>The caller of the requests that follow.</summary>
    public void ActAs(Guid id, string role, Guid? partner = null) => _user.Is(id, role, partner);

    public T Send<T>(IRequest<T> request)
    {
        using var scope = Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IMediator>().Send(request).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class BenchmarkUser : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public string UserId { get; private set; } = string.Empty;

        public string Role { get; private set; } = string.Empty;

        public Guid? PartnerId { get; private set; }

        public void Is(Guid id, string role, Guid? partner)
        {
            UserId = id.ToString();
            Role = role;
            PartnerId = partner;
        }
    }
}
