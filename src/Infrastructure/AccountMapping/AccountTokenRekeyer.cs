using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.AccountMapping;

/// <summary>
/// Run at start-up: when the secret's fingerprint differs from the one the stored tokens were made under,
/// recomputes every row's tokens from its stored identifiers under the new secret, in one transaction.
/// </summary>
public sealed class AccountTokenRekeyer(CoSellDbContext db, IAccountKeyer keyer, CustomerNormaliser normaliser, TimeProvider time, ILogger<AccountTokenRekeyer> logger)
{
    private const int Batch = 5000;

    /// <summary>Returns how many rows were re-keyed.</summary>
    public async Task<int> RekeyIfNeededAsync(CancellationToken cancellationToken)
    {
        // Read plainly: a restart under the same secret compiles no EF Core query (StartupReads).
        var stored = await StartupReads.ScalarAsync(
            db.Database.GetConnectionString(), """SELECT "KeyFingerprint" FROM "account_mapping_state" WHERE "Id" = $id""", cancellationToken, ("$id", AccountMappingState.SingletonId));
        if (stored is string fingerprint && fingerprint == keyer.Fingerprint)
        {
            return 0;
        }

        var state = await db.Set<AccountMappingState>().FindAsync([AccountMappingState.SingletonId], cancellationToken);

        // Runs at start-up, before the service takes any write, so it needs no turn at the writer.
        var rekeyed = await RekeyAsync(cancellationToken);
        if (state is not null || rekeyed > 0)
        {
            logger.LogWarning("The account-mapping secret changed: re-keyed the tokens of {Rows} account rows", rekeyed);
        }

        return rekeyed;

        async Task<int> RekeyAsync(CancellationToken ct)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var connection = db.Database.GetDbConnection();
            await using var update = connection.CreateCommand();
            update.Transaction = transaction.GetDbTransaction();
            update.CommandText = $"UPDATE {SqliteAccountRowStore.Table} SET domain_token = $dt, duns_token = $ut, name_token = $nt WHERE id = $id";
            var id = SqliteAccountRowStore.Add(update, "$id", 0L);
            var dt = SqliteAccountRowStore.Add(update, "$dt", DBNull.Value);
            var ut = SqliteAccountRowStore.Add(update, "$ut", DBNull.Value);
            var nt = SqliteAccountRowStore.Add(update, "$nt", DBNull.Value);
            var count = 0;
            long after = 0;
            while (true)
            {
                var rows = await db.Set<AccountRowRecord>().AsNoTracking().Where(r => r.Id > after).OrderBy(r => r.Id).Take(Batch)
                    .Select(r => new { r.Id, r.Name, r.Domain, r.Country, r.Duns }).ToListAsync(ct);
                if (rows.Count == 0)
                {
                    break;
                }

                foreach (var row in rows)
                {
                    var tokens = AccountRowImporter.TokensFor(normaliser, keyer, row.Name, row.Domain, row.Country, row.Duns);
                    id.Value = row.Id;
                    dt.Value = SqliteAccountRowStore.Bytes(tokens.Domain);
                    ut.Value = SqliteAccountRowStore.Bytes(tokens.Duns);
                    nt.Value = SqliteAccountRowStore.Bytes(tokens.NameCountry);
                    await update.ExecuteNonQueryAsync(ct);
                }

                count += rows.Count;
                after = rows[^1].Id;
            }

            if (state is null)
            {
                db.Add(new AccountMappingState { KeyFingerprint = keyer.Fingerprint, KeyedAt = time.GetUtcNow() });
            }
            else
            {
                state.KeyFingerprint = keyer.Fingerprint;
                state.KeyedAt = time.GetUtcNow();
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return count;
        }
    }
}
