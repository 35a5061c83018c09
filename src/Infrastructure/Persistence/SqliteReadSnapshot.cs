using CoSell.Application.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// A deferred SQLite read transaction on the command's own connection: in WAL mode it holds the snapshot its first
/// statement takes until it ends, while the writer goes on committing. It writes nothing, so it ends by rolling back.
/// Begun inside another, it adds nothing: the outer one already holds the snapshot.
/// </summary>
public sealed class SqliteReadSnapshot(CoSellDbContext db) : IReadSnapshot
{
    public async Task<IAsyncDisposable> BeginAsync(CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return Nothing.Instance;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        var used = await db.Database.UseTransactionAsync(transaction, cancellationToken);
        return new Snapshot(db, transaction, used!);
    }

    private sealed class Snapshot(CoSellDbContext db, SqliteTransaction transaction, IDbContextTransaction used) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // The context's hold first (it lets go of the transaction and of the opening it made), then the rollback, then ours.
            await used.DisposeAsync();
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
