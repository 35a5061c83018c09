using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Sets the per-connection SQLite pragmas. They live as long as the underlying SQLite connection, which the
/// connection pool hands out again and again, so they are set once per underlying connection, not on every open.
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    /// <summary>How long, in milliseconds, SQLite itself waits for a lock within one step before it answers busy.</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    /// <summary><c>SQLITE_FCNTL_HAS_MOVED</c> of sqlite3.h.</summary>
    private const int HasMovedOperation = 20;

    /// <summary>"main", as the C string SQLite reads.</summary>
    private static readonly byte[] MainDatabase = "main\0"u8.ToArray();

    private static readonly object Applied = new();
    // journal_size_limit: a log grown while a long read held its snapshot is cut back to 64 MiB once it is checkpointed.
    private readonly string _sql = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;";
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ThrowIfFileMoved(connection);
        if (NeedsPragmas(connection, out var handle))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.ExecuteNonQuery();
            Remember(handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ThrowIfFileMoved(connection);
        if (NeedsPragmas(connection, out var handle))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(handle);
        }
    }

    /// <summary>
    /// A pooled connection keeps the file it opened, so a file removed under the service, or replaced by another moved
    /// into its place, would go on answering reads (of data that is gone) and taking writes (to be lost). SQLite's own
    /// look at the path at every open (one stat: is the file at the path still the one this connection has open?) refuses
    /// both, and no connection of the pool is handed out again: each one still open on the old file closes when it is
    /// returned, and a new one opens the file now at the path, if any.
    /// </summary>
    internal static void ThrowIfFileMoved(DbConnection connection)
    {
        if (connection.DataSource is not { Length: > 0 } file || file == ":memory:")
        {
            return;
        }

        var moved = connection is SqliteConnection { Handle: { } handle } ? HasMoved(handle) : null;
        if (!(moved ?? !File.Exists(file)))
        {
            return;
        }

        if (connection is SqliteConnection sqlite)
        {
            SqliteConnection.ClearPool(sqlite);
        }

        throw new DatabaseFileMovedException(file, gone: !File.Exists(file));
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

    /// <summary>The bundled SQLite (SQLitePCLRaw's <c>e_sqlite3</c>), whose wrapper does not expose file controls.</summary>
    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_file_control(IntPtr database, byte[] name, int operation, out int result);

    private bool NeedsPragmas(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !_configured.TryGetValue(handle, out _);
    }

    private void Remember(object? handle)
    {
        if (handle is not null)
        {
            _configured.AddOrUpdate(handle, Applied);
        }
    }
}
