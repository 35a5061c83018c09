using System.Diagnostics;
using System.Globalization;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer, so this process has one too (ADR 0005). Units of work queue here; a single loop
/// takes every unit that is waiting, runs each inside its own savepoint of one shared transaction and commits
/// them together: concurrent requests share one commit and one fsync (group commit). A unit that fails is
/// rolled back to its savepoint and fails alone; if the commit itself fails, every unit of the group fails.
/// A unit's changes are accepted by its context only after its group committed.
/// </summary>
public sealed class SqliteWriter(IServiceScopeFactory scopes, ILogger<SqliteWriter> logger) : IAsyncDisposable, IDisposable
{
    /// <summary>Bounds the work one commit carries, so a burst cannot hold the write lock for long.</summary>
    public const int MaximumGroupSize = 64;

    private static readonly Meter Meter = new("CoSell.Persistence");
    private static readonly Counter<long> GroupsCommitted = Meter.CreateCounter<long>("cosell.writer.groups", description: "Transactions the SQLite writer committed");
    private static readonly Counter<long> UnitsCommitted = Meter.CreateCounter<long>("cosell.writer.units", description: "Units of work those transactions carried");

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly Lock _startLock = new();
    private Task? _loop;
    private long _groups;
    private long _units;

    /// <summary>Whether the last group failed because another process held the write lock (SQLite busy or locked).</summary>
    private bool _lockWasHeld;

    /// <summary>Groups committed since start.</summary>
    public long CommittedGroups => Interlocked.Read(ref _groups);

    /// <summary>Units of work committed since start.</summary>
    public long CommittedUnits => Interlocked.Read(ref _units);

    /// <summary>Units waiting for the next group.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>
    /// Saves the context's pending changes in the next group; returns once they are committed. Changes are detected
    /// here, on the caller's thread, so the one writer spends its time writing; a caller that has turned automatic
    /// detection off has detected them itself, as EF Core's own <c>SaveChanges</c> assumes.
    /// </summary>
    public Task<int> SaveChangesAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            db.ChangeTracker.DetectChanges();
        }

        return WriteAsync(db, async ct =>
        {
            using var detected = db.ChangeTracker.Pause();
            return await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="write"/> with <paramref name="db"/> enlisted in the next group's transaction and returns
    /// its result once the group committed. The write must save with <c>acceptAllChangesOnSuccess: false</c>:
    /// the writer accepts the changes after the commit. The caller must not use the context until this completes.
    /// </summary>
    public async Task<T> WriteAsync<T>(DbContext db, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(db, write, cancellationToken);
        EnsureStarted();
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), "The database writer has shut down.");
        }

        var result = await pending.Completion.Task;

        // Committed: the context may now treat its changes as saved.
        db.ChangeTracker.AcceptAllChanges();
        return result;
    }

    /// <summary>For containers disposed synchronously: lets the queued writes finish first.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var group = new List<PendingWrite>(MaximumGroupSize);
        WriterConnection? connection = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                group.Clear();
                while (group.Count < MaximumGroupSize && _queue.Reader.TryRead(out var next))
                {
                    if (next.CancellationToken.IsCancellationRequested)
                    {
                        next.Cancel();
                    }
                    else
                    {
                        group.Add(next);
                    }
                }

                if (group.Count == 0)
                {
                    continue;
                }

                try
                {
                    connection ??= await WriterConnection.OpenAsync(scopes);
                    await CommitAsync(connection.Connection, group);
                    _lockWasHeld = false;
                }
                catch (Exception e)
                {
                    // The transaction could not begin or commit: the whole group fails, and the next one starts afresh.
                    logger.LogError(e, "A group of {Count} writes failed to commit", group.Count);
                    _lockWasHeld = SqliteFailure.Of(e) is { SqliteErrorCode: 5 or 6 };
                    foreach (var unit in group)
                    {
                        unit.Fail(e);
                    }

                    if (connection is not null)
                    {
                        // A connection that fails to close as well is let go: the loop must go on to serve the next group.
                        try
                        {
                            await connection.DisposeAsync();
                        }
                        catch (Exception closing)
                        {
                            logger.LogWarning(closing, "The writer's connection failed to close after a failed group");
                        }

                        connection = null;
                    }
                }
            }
        }
        catch (Exception e)
        {
            // The loop itself failed: no write may wait for it for ever. Those queued fail now, and later ones at once.
            logger.LogCritical(e, "The database writer stopped; every write fails until the service restarts");
            _queue.Writer.TryComplete(e);
            foreach (var unit in group)
            {
                unit.Fail(e);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Fail(e);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task CommitAsync(SqliteConnection connection, List<PendingWrite> group)
    {
        // A file removed or replaced under the service would still take writes through this open connection, and lose
        // them: a look at the path first (one stat a group) fails them instead.
        DatabaseFileMoves.ThrowIfMoved(connection);

        // BEGIN IMMEDIATE: take the write lock up front rather than upgrading a read lock later.
        var transaction = _lockWasHeld ? BeginWithin(connection, Stopwatch.GetElapsedTime(group[0].QueuedAt)) : connection.BeginTransaction(deferred: false);
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                var unit = group[i];
                var savepoint = $"unit{i}";
                transaction.Save(savepoint);
                try
                {
                    await unit.RunAsync(connection, transaction);
                    transaction.Release(savepoint);
                }
                catch (Exception e)
                {
                    if (!IsInTransaction(connection))
                    {
                        // SQLite rolled the whole transaction back (I/O error, full disk): nothing of the group survives.
                        throw new InvalidOperationException("The database rolled the write transaction back.", e);
                    }

                    transaction.Rollback(savepoint);
                    transaction.Release(savepoint);
                    unit.FailAfterCommit(e);
                }
            }

            transaction.Commit();

            // A unit that lost (a stale version, say) hears of it only now, so what it reads next includes the winners of its group.
            foreach (var unit in group.Where(u => u.Failed))
            {
                unit.ReportDeferredFailure();
            }
        }
        finally
        {
            try
            {
                transaction.Dispose();
            }
            catch (SqliteException) when (!IsInTransaction(connection))
            {
                // Already rolled back by SQLite; nothing left to undo.
            }
        }

        var committed = group.Where(u => !u.Failed).ToList();
        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _units, committed.Count);
        GroupsCommitted.Add(1);
        UnitsCommitted.Add(committed.Count);
        foreach (var unit in committed)
        {
            unit.Succeed();
        }
    }

    /// <summary>
    /// Takes the write lock after the group before failed for want of it: another process holds it. A write waits for
    /// it at most the connection's timeout (<c>Default Timeout</c>, 30 s), counted from when the write was queued, so
    /// this group is given only what is left of its oldest write's time, and no write waits two timeouts before it
    /// hears <c>database_busy</c>; with nothing left it tries the lock for the least time the driver has.
    /// </summary>
    private static SqliteTransaction BeginWithin(SqliteConnection connection, TimeSpan waited)
    {
        var timeout = connection.DefaultTimeout;
        if (timeout == 0)
        {
            return connection.BeginTransaction(deferred: false);
        }

        // SQLite waits up to busy_timeout within a step; the driver steps again, 150 ms apart, until its timeout (whole
        // seconds, 0 for ever) is spent. One step of what is left, and the least timeout, wait what is left.
        var left = TimeSpan.FromSeconds(timeout) - waited;
        using var pragma = connection.CreateCommand();
        pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)Math.Max(left.TotalMilliseconds, 0)};");
        pragma.ExecuteNonQuery();
        connection.DefaultTimeout = 1;
        SqliteTransaction transaction;
        try
        {
            transaction = connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException)
        {
            PutBack(null);
            throw;
        }

        try
        {
            PutBack(transaction);
        }
        catch
        {
            transaction.Dispose();
            throw;
        }

        return transaction;

        // The connection goes back to the pool with the waits it came with; a command on a connection that has begun a
        // transaction must name it.
        void PutBack(SqliteTransaction? begun)
        {
            connection.DefaultTimeout = timeout;
            pragma.Transaction = begun;
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {SqlitePragmas.BusyTimeoutMilliseconds};");
            pragma.ExecuteNonQuery();
        }
    }

    private static bool IsInTransaction(SqliteConnection connection) =>
        connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

    /// <summary>The writer's own connection, opened through a context of its own so it gets the same pragmas and functions.</summary>
    private sealed class WriterConnection(IServiceScope scope, CoSellDbContext context) : IAsyncDisposable
    {
        public SqliteConnection Connection => (SqliteConnection)context.Database.GetDbConnection();

        public static async Task<WriterConnection> OpenAsync(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
            await context.Database.OpenConnectionAsync();
            return new WriterConnection(scope, context);
        }

        public async ValueTask DisposeAsync()
        {
            await context.Database.CloseConnectionAsync();
            if (scope is IAsyncDisposable asyncScope)
            {
                await asyncScope.DisposeAsync();
            }
            else
            {
                scope.Dispose();
            }
        }
    }

    private abstract class PendingWrite(DbContext db, CancellationToken cancellationToken)
    {
        public DbContext Db { get; } = db;

        /// <summary>When the write was queued, as a <see cref="Stopwatch"/> timestamp.</summary>
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Lends the writer's connection and transaction to the unit's context for the length of its write.</summary>
        public async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction)
        {
            var database = Db.Database;
            // Contexts here are configured with a connection string and own their connection: lending swaps it out
            // and the context makes itself a new one afterwards (still pooled underneath).
            var connectionString = database.GetConnectionString();
            var savepoints = database.AutoSavepointsEnabled;
            database.SetDbConnection(connection, contextOwnsConnection: false);
            try
            {
                // The writer already wraps the unit in a savepoint of its own.
                database.AutoSavepointsEnabled = false;
                await database.UseTransactionAsync(transaction);
                try
                {
                    await WriteAsync();
                }
                finally
                {
                    await database.UseTransactionAsync(null);
                    await database.CloseConnectionAsync();
                }
            }
            finally
            {
                // Back to a connection of the context's own for whatever it does after the commit.
                database.AutoSavepointsEnabled = savepoints;
                database.SetDbConnection(null, contextOwnsConnection: true);
                database.SetConnectionString(connectionString);
            }
        }

        public void Succeed() => Complete();

        public bool Failed { get; private set; }

        public void Fail(Exception exception)
        {
            Failed = true;
            SetException(exception);
        }

        private Exception? _deferred;

        public void FailAfterCommit(Exception exception)
        {
            Failed = true;
            _deferred = exception;
        }

        public void ReportDeferredFailure()
        {
            if (_deferred is { } exception)
            {
                SetException(exception);
            }
        }

        protected abstract void SetException(Exception exception);

        public abstract void Cancel();

        protected abstract Task WriteAsync();

        protected abstract void Complete();
    }

    private sealed class PendingWrite<T>(DbContext db, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        : PendingWrite(db, cancellationToken)
    {
        private T _result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void SetException(Exception exception) => Completion.TrySetException(exception);

        public override void Cancel() => Completion.TrySetCanceled(CancellationToken);

        protected override async Task WriteAsync() => _result = await write(CancellationToken);

        protected override void Complete() => Completion.TrySetResult(_result);
    }
}
