using System.Collections.Concurrent;
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
/// On Linux the database file itself is held too, under an open-file-description lock (<c>F_OFD_SETLK</c>) of one byte
/// far past anything SQLite locks: a second service finds it whatever name it reaches the file by (a hard link) and
/// even if the <c>.lock</c> file was deleted. The lock is the open file's, so closing another descriptor of the file
/// (as SQLite does) cannot release it, and no one else takes it: the sqlite3 shell, a copy, or a program reading the
/// file are not held back.
/// </para>
/// </summary>
public sealed class DatabaseFileLock : IDisposable
{
    /// <summary><c>F_OFD_SETLK</c> of Linux's fcntl.h.</summary>
    private const int SetOpenFileLock = 37;
    private const short WriteLock = 1;

    /// <summary>The byte locked: SQLite's own locks lie at 1 GiB, and its files never come near 4 EiB.</summary>
    private const long LockedByte = 1L << 62;

    /// <summary>The lock each connection string's service holds on the database file itself (Linux).</summary>
    private static readonly ConcurrentDictionary<string, DatabaseFileLock> HeldFiles = new();

    private readonly FileStream? _held;
    private readonly SafeFileHandle? _database;
    private string? _connectionString;

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
        var database = DatabaseFileMoves.Absolute(source);
        var path = database + ".lock";
        try
        {
            database = Resolved(database);
            path = database + ".lock";
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            if (!OperatingSystem.IsLinux())
            {
                // Elsewhere the .lock file alone stands for the database.
                return new DatabaseFileLock(held) { _connectionString = options.EffectiveConnectionString };
            }

            if (HoldTheFile(database, path, out refused) is { } opened)
            {
                var taken = new DatabaseFileLock(held, opened) { _connectionString = options.EffectiveConnectionString };
                HeldFiles[options.EffectiveConnectionString] = taken;
                return taken;
            }

            held.Dispose();
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

    /// <summary>The lock a service holds on the database file the connection string names, where it holds the file itself.</summary>
    internal static DatabaseFileLock? Holding(string connectionString) => HeldFiles.GetValueOrDefault(connectionString);

    /// <summary>
    /// Whether <paramref name="opened"/>, the file a connection has just opened (the path SQLite resolved), is another
    /// file than the one held since the start: that one was removed or replaced since (its name now ends in
    /// "(deleted)"), or the configured path leads elsewhere. The kernel names the file held
    /// (<c>/proc/self/fd</c>); where it cannot, or once the lock is let go, no.
    /// </summary>
    public bool HoldsAnotherFileThan(string opened)
    {
        if (_database is not { } database)
        {
            return false;
        }

        var added = false;
        try
        {
            database.DangerousAddRef(ref added);
            // Ignoring case: on a folder that folds case the kernel may name the file as it is stored, SQLite as configured.
            return new FileInfo($"/proc/self/fd/{database.DangerousGetHandle()}").LinkTarget is { } held && !string.Equals(held, opened, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                database.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The file a database path leads to, as SQLite opens it: on Linux every link on the way followed by the kernel, a
    /// link's own <c>..</c> read from the folder the link is really in; a file not there yet is named in its folder's
    /// real place, and a link to nothing is followed to where the file will be. Elsewhere the last link is followed.
    /// </summary>
    private static string Resolved(string database)
    {
        if (!OperatingSystem.IsLinux())
        {
            var named = new FileInfo(database);
            return named.LinkTarget is null ? named.FullName : named.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? named.FullName;
        }

        // SQLite follows at most 100 links; a loop of them is refused by SQLite at its open.
        for (var hops = 0; hops < 100; hops++)
        {
            if (DatabaseFileMoves.RealPath(database) is { } real)
            {
                return real;
            }

            var folder = Path.GetDirectoryName(database)!;
            folder = DatabaseFileMoves.RealPath(folder) ?? folder;
            var named = new FileInfo(Path.Combine(folder, Path.GetFileName(database)));
            if (named.LinkTarget is not { } target)
            {
                return named.FullName;
            }

            database = Path.IsPathRooted(target) ? target : Path.Join(folder, target);
        }

        return database;
    }

    /// <summary>The lock is taken: EWOULDBLOCK from <c>flock</c> on Unix, a sharing or lock violation on Windows.</summary>
    private static bool HeldByAnother(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    /// <summary>The database file, open and holding <see cref="LockedByte"/>; or null, and why not.</summary>
    private static SafeFileHandle? HoldTheFile(string database, string path, out string? refused)
    {
        refused = null;
        SafeFileHandle? opened = null;
        try
        {
            opened = File.OpenHandle(database, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (LockOpenFile(opened))
            {
                return opened;
            }

            refused = $"Another CoSell service is running on {database}: it holds the file, though not {path} (deleted, or the file reached by another name, a hard link). One service per database file (ADR 0005).";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refused = $"CoSell cannot open its database {database}: {e.Message}";
        }

        opened?.Dispose();
        return null;
    }

    /// <summary>
    /// Takes the write lock of <see cref="LockedByte"/> for the handle's open file: false when another open file holds it.
    /// A kernel without such locks (before Linux 3.15) takes none, and the .lock file alone stands.
    /// </summary>
    private static bool LockOpenFile(SafeFileHandle file)
    {
        var taken = false;
        file.DangerousAddRef(ref taken);
        try
        {
            var request = new OpenFileLock { Type = WriteLock, Whence = 0, Start = LockedByte, Length = 1, Pid = 0 };
            if (fcntl((int)file.DangerousGetHandle(), SetOpenFileLock, ref request) == 0)
            {
                return true;
            }

            // EAGAIN or EACCES: held by another; EINVAL: no such locks here.
            return Marshal.GetLastPInvokeError() switch
            {
                11 or 13 => false,
                22 => true,
                var error => throw new IOException($"fcntl(F_OFD_SETLK) failed with error {error}.", error),
            };
        }
        finally
        {
            if (taken)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>Linux's <c>struct flock</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct OpenFileLock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, ref OpenFileLock request);

    /// <summary>
    /// The connections the pool keeps first: the last to close moves the write-ahead log into the database file, so a
    /// stopped service leaves the whole database in that one file (a copy of it alone is complete). SQLite's locks are
    /// the process's, and closing any descriptor of the file drops them all, so the file is let go only once its
    /// connections are closed. Then the database file, so that once the .lock file is free (what a restart waits for) so
    /// is the file.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _connectionString, null) is { } connectionString)
        {
            HeldFiles.TryRemove(KeyValuePair.Create(connectionString, this));
            try
            {
                using var pooled = new SqliteConnection(connectionString);
                SqliteConnection.ClearPool(pooled);
            }
            catch (SqliteException)
            {
                // A file that cannot be checkpointed (damaged, gone) keeps its log: the next start reads it.
            }
        }

        _database?.Dispose();
        _held?.Dispose();
    }
}
