using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.AccountMapping;

/// <summary>
/// Run at start-up: when the secret's fingerprint, or the version of the rules that make a customer's keys
/// (<see cref="CustomerNormaliser.KeyRulesVersion"/>), differs from the one the stored tokens were made under,
/// recomputes every row's tokens from its stored identifiers, in one transaction. It reads and
/// writes with plain SQL in the mapping's stored formats, so a start compiles no EF Core query (ADR 0015); the
/// re-key tests hold it to the mapping.
/// </summary>
public sealed class AccountTokenRekeyer(DatabaseOptions database, IAccountKeyer keyer, CustomerNormaliser normaliser, TimeProvider time, ILogger<AccountTokenRekeyer> logger)
{
    private const int Batch = 5000;

    /// <summary>Returns how many rows were re-keyed.</summary>
    public async Task<int> RekeyIfNeededAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = """SELECT "KeyFingerprint" FROM "account_mapping_state" WHERE "Id" = $id""";
        read.Parameters.AddWithValue("$id", AccountMappingState.SingletonId);
        var stored = await read.ExecuteScalarAsync(cancellationToken) as string;
        var current = KeyedUnder(keyer);
        if (stored == current)
        {
            return 0;
        }

        // Runs at start-up, before the service takes any write, so it needs no turn at the writer.
        var rekeyed = await RekeyAsync(connection, current, cancellationToken);
        if (stored is null && rekeyed == 0)
        {
            return 0;
        }

        // A fingerprint stored before the rules had a version is the secret's alone.
        if (stored?.Split('/')[0] == keyer.Fingerprint)
        {
            logger.LogWarning("The rules that make customers' keys changed: re-keyed the tokens of {Rows} account rows", rekeyed);
        }
        else
        {
            logger.LogWarning("The account-mapping secret changed: re-keyed the tokens of {Rows} account rows", rekeyed);
        }

        return rekeyed;
    }

    /// <summary>What the stored tokens are made under: the secret's fingerprint and the version of the key rules.</summary>
    public static string KeyedUnder(IAccountKeyer keyer)
    {
        ArgumentNullException.ThrowIfNull(keyer);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{keyer.Fingerprint}/{CustomerNormaliser.KeyRulesVersion}");
    }

    /// <summary>Every row's tokens made again under the current secret and rules, and what they are made under stored, in one transaction.</summary>
    private async Task<int> RekeyAsync(SqliteConnection connection, string keyedUnder, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT id, name, domain, country, duns FROM {SqliteAccountRowStore.Table} WHERE id > $after ORDER BY id LIMIT {Batch}";
        var after = SqliteAccountRowStore.Add(select, "$after", 0L);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"UPDATE {SqliteAccountRowStore.Table} SET domain_token = $dt, duns_token = $ut, name_token = $nt WHERE id = $id";
        var id = SqliteAccountRowStore.Add(update, "$id", 0L);
        var dt = SqliteAccountRowStore.Add(update, "$dt", DBNull.Value);
        var ut = SqliteAccountRowStore.Add(update, "$ut", DBNull.Value);
        var nt = SqliteAccountRowStore.Add(update, "$nt", DBNull.Value);
        var count = 0;
        while (true)
        {
            var rows = new List<(long Id, string Name, string? Domain, string Country, string? Duns)>(Batch);
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), Text(reader, 2), reader.GetString(3), Text(reader, 4)));
                }
            }

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
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            count += rows.Count;
            after.Value = rows[^1].Id;
        }

        await using var keyed = connection.CreateCommand();
        keyed.Transaction = transaction;
        // The instant is stored as UTC ticks, as the mapping stores every instant (ADR 0003).
        keyed.CommandText =
            """
            INSERT INTO "account_mapping_state" ("Id", "KeyFingerprint", "KeyedAt") VALUES ($id, $fingerprint, $at)
            ON CONFLICT ("Id") DO UPDATE SET "KeyFingerprint" = excluded."KeyFingerprint", "KeyedAt" = excluded."KeyedAt"
            """;
        keyed.Parameters.AddWithValue("$id", AccountMappingState.SingletonId);
        keyed.Parameters.AddWithValue("$fingerprint", keyedUnder);
        keyed.Parameters.AddWithValue("$at", time.GetUtcNow().UtcTicks);
        await keyed.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
