using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// A pooled connection keeps the file it opened, so a file removed under the service, or replaced by another moved into
/// its place, would go on answering reads (of data that is gone) and taking writes (to be lost). Before a connection is
/// used, and before each group the writer commits, this asks whether the path still leads to the file the connection
/// has open, and refuses the connection when it does not (ADR 0018). No connection of the pool is then handed out
/// again: each one still open on the old file closes when it is returned. A new one opens the file now at the path, if
/// any, and on Linux is refused in turn, since the service holds the file it started on and uses no other.
/// </summary>
internal static class DatabaseFileMoves
{
    /// <summary><c>SQLITE_FCNTL_HAS_MOVED</c> of sqlite3.h.</summary>
    private const int HasMovedOperation = 20;

    /// <summary>"main", as the C string SQLite reads.</summary>
    private static readonly byte[] MainDatabase = "main\0"u8.ToArray();

    /// <summary>The database path each connection string names, in full (SQLite's own is the path it resolved).</summary>
    private static readonly ConcurrentDictionary<string, string> Configured = new();

    /// <param name="connection">An open connection.</param>
    /// <param name="newlyOpened">
    /// Whether the connection has just opened the file, rather than being handed out again by the pool. On Linux the
    /// service holds the file it started on (<see cref="DatabaseFileLock"/>), and a connection newly opened on any
    /// other is refused as well: a file replaced while no connection had the old one open (the pool lets idle ones go)
    /// is met at once, and nothing is read from or written to a file the claims index was not built from.
    /// </param>
    public static void ThrowIfMoved(DbConnection connection, bool newlyOpened = false)
    {
        // Once open, SQLite's name for the file is the path it resolved, links followed; none for an in-memory database.
        if (connection.DataSource is not { Length: > 0 } opened || opened == ":memory:")
        {
            return;
        }

        var configured = Configured.GetOrAdd(connection.ConnectionString, named => Absolute(new SqliteConnectionStringBuilder(named).DataSource));
        // SQLite looks again at the path it resolved: whether the file there is still the one it has open (one stat). A
        // link on the way that was pointed elsewhere since (a data folder switched with ln -sfn) moves no file, so the
        // configured path is resolved too.
        var moved = (connection is SqliteConnection { Handle: { } handle } ? HasMoved(handle) : null) ?? !File.Exists(opened);
        if (!moved && !LeadsElsewhere(configured, opened) && !(newlyOpened && DatabaseFileLock.Holding(connection.ConnectionString)?.HoldsAnotherFileThan(opened) == true))
        {
            return;
        }

        if (connection is SqliteConnection sqlite)
        {
            SqliteConnection.ClearPool(sqlite);
        }

        throw new DatabaseFileMovedException(configured, gone: !File.Exists(configured));
    }

    /// <summary>SQLite's <c>SQLITE_FCNTL_HAS_MOVED</c> for the connection's main database; null where it cannot say.</summary>
    private static bool? HasMoved(SafeHandle database)
    {
        var added = false;
        try
        {
            database.DangerousAddRef(ref added);
            return sqlite3_file_control(database.DangerousGetHandle(), MainDatabase, HasMovedOperation, out var moved) == 0 ? moved != 0 : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another build of SQLite than the bundled one: the look at the path alone (a file removed) stands.
            return null;
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
    /// Whether the configured path now resolves to another file than the one opened (Linux; elsewhere, no). A path SQLite
    /// opened as it was written has no link on the way, and SQLite's own look covers it: only a link is resolved again.
    /// </summary>
    private static bool LeadsElsewhere(string configured, string opened)
    {
        if (!OperatingSystem.IsLinux() || configured == opened)
        {
            return false;
        }

        // Nothing there (removed, which SQLite's own look says), or a path that cannot be resolved: null.
        return RealPath(configured) is { } resolved && resolved != opened;
    }

    /// <summary>
    /// Sets aside the write-ahead log and shared memory beside the database path when they are the ones this process has
    /// open, those of the file removed or replaced under it (Linux; elsewhere nothing is done). SQLite does not move a
    /// moved file's log into it as its connections close, and the next to open the path (the service restarted, the
    /// sqlite3 shell) would read that log into whatever file is there: the replaced file's last writes into a restored
    /// backup, or another database's pages into this one. Each is renamed <c>&lt;name&gt;.replaced-&lt;UTC time&gt;</c>,
    /// which keeps the replaced file's last writes for whoever needs them. Says what was done, or null when nothing was.
    /// </summary>
    internal static string? SetAsideLog(string configured, DateTimeOffset now)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var folder = Path.GetDirectoryName(configured)!;
        var database = RealPath(configured) ?? Path.Combine(RealPath(folder) ?? folder, Path.GetFileName(configured));
        var open = OpenFiles();
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var done = new List<string>();
        foreach (var path in new[] { database + "-wal", database + "-shm" }.Where(open.Contains))
        {
            var aside = $"{path}.replaced-{stamp}";
            try
            {
                File.Move(path, aside);
                done.Add($"{Path.GetFileName(path)} was set aside as {Path.GetFileName(aside)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                done.Add($"{Path.GetFileName(path)} could not be set aside ({e.Message}): remove it before the restart");
            }
        }

        return done.Count == 0
            ? null
            : $"The log of the file it had open, which SQLite would read into any file at the path: {string.Join("; ", done)}.";
    }

    /// <summary>The files this process has open, as the kernel names them.</summary>
    private static HashSet<string> OpenFiles()
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var descriptor in Directory.EnumerateFiles("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(descriptor).LinkTarget is { } target)
                    {
                        open.Add(target);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A descriptor closed meanwhile.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: nothing is known to be open.
        }

        return open;
    }

    /// <summary>
    /// The path from the root, its <c>..</c> left for the kernel to read: on Linux <c>current/..</c> is the folder above
    /// the one <c>current</c> links to, not the folder <c>current</c> is in, as folding it as text would say. Elsewhere
    /// the full path.
    /// </summary>
    internal static string Absolute(string path) =>
        !OperatingSystem.IsLinux() ? Path.GetFullPath(path) : Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);

    /// <summary>
    /// The path with every link on it followed and every <c>.</c> and <c>..</c> taken away, as the kernel reads it
    /// (Linux's <c>realpath</c>); null where nothing is there, the path cannot be resolved, or off Linux.
    /// </summary>
    internal static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var resolved = realpath(Encoding.UTF8.GetBytes(path + "\0"), IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>The bundled SQLite (SQLitePCLRaw's <c>e_sqlite3</c>), whose wrapper does not expose file controls.</summary>
    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_file_control(IntPtr database, byte[] name, int operation, out int result);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath(byte[] path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
}
