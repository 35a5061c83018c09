using CoSell.Infrastructure;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.Persistence;

/// <summary>The service's persistence on a migrated SQLite file (WAL) of its own, written through the one writer.</summary>
public abstract class SqliteStoreTest : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cosell-store-").FullName;

    protected ServiceProvider Services { get; private set; } = null!;

    protected SqliteWriter Writer => Services.GetRequiredService<SqliteWriter>();

    public async Task InitializeAsync()
    {
        // The service's connections open the file without creating it: its start makes the empty file, as here.
        File.Create(Path.Combine(_directory, "cosell.db")).Dispose();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Path"] = Path.Combine(_directory, "cosell.db") })
            .Build();
        Services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddCoSellInfrastructure(configuration)
            .BuildServiceProvider();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Applies <paramref name="change"/> in a context of its own and commits it.</summary>
    protected async Task SaveAsync(Func<CoSellDbContext, Task> change)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        await change(db);
        await Writer.SaveChangesAsync(db, CancellationToken.None);
    }

    protected Task SaveAsync(Action<CoSellDbContext> change) => SaveAsync(db =>
    {
        change(db);
        return Task.CompletedTask;
    });

    /// <summary>Reads with a fresh context, so what comes back is what the file holds.</summary>
    protected async Task<T> ReadAsync<T>(Func<CoSellDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CoSellDbContext>());
    }
}
