using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Holds <c>&lt;database file&gt;.lock</c> open and exclusively locked while the service runs: one writer, and the claims
/// index and the hub's groups in the process (ADR 0005), mean one service per file, and a second one started on the
/// same file is refused rather than left to judge duplicates against an index of its own. The lock is the operating
/// system's, so it goes with the process however it ends. Other readers of the database (the sqlite3 shell, a backup)
/// are not held back: they do not take it.
/// <para>
/// On Unix the database file itself is held too, under a shared <c>flock</c> taken after an exclusive one succeeded: a
/// second service finds it whatever name it reaches the file by (a hard link) and even if the <c>.lock</c> file was
/// deleted. <c>flock</c> is the open file's, apart from SQLite's own POSIX locks, which closing another descriptor of the
/// file would release; others that read the file (the sqlite3 shell, a copy) take no exclusive <c>flock</c> and are not
/// held back.
/// </para>
/// </summary>
public sealed class DatabaseFileLock : IDisposable
{
    private const int SharedLock = 1;
    private const int ExclusiveLock = 2;
    private const int NonBlocking = 4;

    private readonly FileStream? _held;
    private readonly SafeFileHandle? _database;

    private DatabaseFileLock(FileStream? held, SafeFileHandle? database = null)
    {
        _held = held;
        _database = database;
    }

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
            var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            if (OperatingSystem.IsWindows())
            {
                // Windows' sharing modes bind SQLite too: the .lock file alone stands for the database there.
                return new DatabaseFileLock(held);
            }

            SafeFileHandle? opened = null;
            try
            {
                opened = File.OpenHandle(database, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
                if (Flock(opened, ExclusiveLock | NonBlocking) && Flock(opened, SharedLock | NonBlocking))
                {
                    return new DatabaseFileLock(held, opened);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                opened?.Dispose();
                held.Dispose();
                refused = $"CoSell cannot open its database {database}: {e.Message}";
                return new DatabaseFileLock(null);
            }

            opened.Dispose();
            held.Dispose();
            refused = $"Another CoSell service is running on {database}: it holds the file, though not {path} (deleted, or the file reached by another name, a hard link). One service per database file (ADR 0005).";
            return new DatabaseFileLock(null);
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

    /// <summary><c>flock</c> on the handle's open file: false when another open file holds a lock that excludes it.</summary>
    private static bool Flock(SafeFileHandle file, int operation)
    {
        var taken = false;
        file.DangerousAddRef(ref taken);
        try
        {
            if (flock((int)file.DangerousGetHandle(), operation) == 0)
            {
                return true;
            }

            var error = Marshal.GetLastPInvokeError();
            // EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs.
            return error is 11 or 35 ? false : throw new IOException($"flock failed with error {error}.", error);
        }
        finally
        {
            if (taken)
            {
                file.DangerousRelease();
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    /// <summary>The database file first, so that once the .lock file is free (what a restart waits for) so is the file.</summary>
    public void Dispose()
    {
        _database?.Dispose();
        _held?.Dispose();
    }
}
