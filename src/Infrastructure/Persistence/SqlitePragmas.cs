using System.Data.Common;
using System.Runtime.CompilerServices;
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

    private static readonly object Applied = new();
    // journal_size_limit: a log grown while a long read held its snapshot is cut back to 64 MiB once it is checkpointed.
    private readonly string _sql = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;";
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        var newlyOpened = NeedsPragmas(connection, out var handle);
        DatabaseFileMoves.ThrowIfMoved(connection, newlyOpened);
        if (newlyOpened)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.ExecuteNonQuery();
            Remember(handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var newlyOpened = NeedsPragmas(connection, out var handle);
        DatabaseFileMoves.ThrowIfMoved(connection, newlyOpened);
        if (newlyOpened)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Remember(handle);
        }
    }

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
