using Microsoft.Data.Sqlite;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Holds <c>&lt;database file&gt;.lock</c> open and exclusively locked while the service runs: one writer, and the claims
/// index and the hub's groups in the process (ADR 0005), mean one service per file, and a second one started on the
/// same file is refused rather than left to judge duplicates against an index of its own. The lock is the operating
/// system's, so it goes with the process however it ends. Other readers of the database (the sqlite3 shell, a backup)
/// are not held back: they do not take it.
/// </summary>
public sealed class DatabaseFileLock : IDisposable
{
    private readonly FileStream? _held;

    private DatabaseFileLock(FileStream? held) => _held = held;

    /// <summary>Takes the lock of the file the options name (none for an in-memory database), or says why it cannot.</summary>
    public static DatabaseFileLock Take(DatabaseOptions options, out string? refused)
    {
        refused = null;
        var file = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (file.Mode == SqliteOpenMode.Memory || file.DataSource is not { Length: > 0 } source || source == ":memory:")
        {
            return new DatabaseFileLock(null);
        }

        var path = Path.GetFullPath(source) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new DatabaseFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            refused = $"Another CoSell service is running on {Path.GetFullPath(source)} (it holds {path}): one service per database file (ADR 0005).";
            return new DatabaseFileLock(null);
        }
    }

    public void Dispose() => _held?.Dispose();
}
