using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Work a command staged to run inside its commit's transaction, before the aggregates are saved: bulk row writes (an
/// account list's rows), and checks the commit rests on (<see cref="EfRepository{T}.RequireNoneAdded"/>).
/// </summary>
public sealed class InTransactionWork
{
    private readonly List<Func<DbConnection, DbTransaction, CancellationToken, Task>> _writes = [];

    public bool IsEmpty => _writes.Count == 0;

    public void Add(Func<DbConnection, DbTransaction, CancellationToken, Task> write) => _writes.Add(write);

    internal async Task RunAsync(CoSellDbContext db, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        foreach (var write in _writes)
        {
            await write(connection, dbTransaction, cancellationToken);
        }
    }

    internal void Clear() => _writes.Clear();
}
