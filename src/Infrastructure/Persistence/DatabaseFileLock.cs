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

        // A database reached through a link is the file it links to: the lock is that file's, whatever path names it.
        var database = Path.GetFullPath(source);
        var path = database + ".lock";
        try
        {
            var named = new FileInfo(database);
            database = named.LinkTarget is null ? named.FullName : named.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? named.FullName;
            path = database + ".lock";
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new DatabaseFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException e)
        {
            refused = $"CoSell cannot write beside its database {database}: {e.Message} Give the service's user write access to that folder (it keeps the file, its WAL and {Path.GetFileName(path)} there).";
            return new DatabaseFileLock(null);
        }
        catch (IOException e) when (HeldByAnother(e))
        {
            refused = $"Another CoSell service is running on {database} (it holds {path}): one service per database file (ADR 0005).";
            return new DatabaseFileLock(null);
        }
        catch (IOException e)
        {
            refused = $"CoSell cannot create {path} beside its database: {e.Message}";
            return new DatabaseFileLock(null);
        }
    }

    /// <summary>The lock is taken: EWOULDBLOCK from <c>flock</c> on Unix, a sharing or lock violation on Windows.</summary>
    private static bool HeldByAnother(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    public void Dispose() => _held?.Dispose();
}
