using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Application.Tests.Persistence;

/// <summary>A SQLite file of the test's own, which each test migrates to the point it needs through <see cref="Context"/>.</summary>
public abstract class MigratedFileTest : IDisposable
{
    /// <summary>The instant the stored rows are written at.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("cosell-upgrade-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A GUID as the store writes it.</summary>
    protected static string Key(Guid id) => id.ToString().ToUpperInvariant();

    protected CoSellDbContext Context() =>
        new(new DbContextOptionsBuilder<CoSellDbContext>().UseSqlite($"Data Source={Path.Combine(_directory, "cosell.db")}").Options);
}
