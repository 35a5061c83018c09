using System.Buffers.Binary;
using System.Data.Common;
using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CoSell.Infrastructure.AccountMapping;

/// <summary>Account rows in SQLite, written with one prepared statement inside the unit of work's transaction.</summary>
public sealed class SqliteAccountRowStore(CoSellDbContext db, InTransactionWork pending) : IAccountRowStore
{
    internal const string Table = "account_rows";

    public void StageReplace(Guid listId, IReadOnlyList<AccountRow> rows) =>
        pending.Add(async (connection, transaction, cancellationToken) =>
        {
            await using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = $"DELETE FROM {Table} WHERE list_id = $list";
                Add(delete, "$list", Key(listId));
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO {Table} (list_id, line, name, domain, country, duns, private, domain_token, duns_token, name_token) " +
                "VALUES ($list, $line, $name, $domain, $country, $duns, $private, $dt, $ut, $nt)";
            var list = Add(insert, "$list", Key(listId));
            var line = Add(insert, "$line", 0);
            var name = Add(insert, "$name", string.Empty);
            var domain = Add(insert, "$domain", DBNull.Value);
            var country = Add(insert, "$country", string.Empty);
            var duns = Add(insert, "$duns", DBNull.Value);
            var isPrivate = Add(insert, "$private", 0);
            var dt = Add(insert, "$dt", DBNull.Value);
            var ut = Add(insert, "$ut", DBNull.Value);
            var nt = Add(insert, "$nt", DBNull.Value);
            await insert.PrepareAsync(cancellationToken);
            foreach (var row in rows)
            {
                line.Value = row.Line;
                name.Value = row.Name;
                domain.Value = (object?)row.Domain ?? DBNull.Value;
                country.Value = row.Country;
                duns.Value = (object?)row.Duns ?? DBNull.Value;
                isPrivate.Value = row.Private ? 1 : 0;
                dt.Value = Bytes(row.Tokens.Domain);
                ut.Value = Bytes(row.Tokens.Duns);
                nt.Value = Bytes(row.Tokens.NameCountry);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        });

    public async Task<IReadOnlyList<StoredAccount>> PageAsync(Guid listId, int skip, int take, CancellationToken cancellationToken) =>
        await db.Set<AccountRowRecord>().AsNoTracking().Where(r => r.ListId == listId).OrderBy(r => r.Id).Skip(skip).Take(take)
            .Select(r => new StoredAccount(r.Id, r.Line, r.Name, r.Domain, r.Country, r.Duns, r.Private)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<StoredAccount>> AfterAsync(Guid listId, long afterId, int take, CancellationToken cancellationToken) =>
        await db.Set<AccountRowRecord>().AsNoTracking().Where(r => r.ListId == listId && r.Id > afterId).OrderBy(r => r.Id).Take(take)
            .Select(r => new StoredAccount(r.Id, r.Line, r.Name, r.Domain, r.Country, r.Duns, r.Private)).ToListAsync(cancellationToken);

    public async Task<TokenRow[]> TokensAsync(Guid listId, AccountPopulation population, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = $"SELECT id, domain_token, duns_token, name_token FROM {Table} WHERE list_id = $list AND private = 0 ORDER BY id";
            Add(command, "$list", Key(listId));
            var rows = new List<TokenRow>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new TokenRow(reader.GetInt64(0), population, new AccountTokens(Token(reader, 1), Token(reader, 2), Token(reader, 3))));
            }

            return [.. rows];
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public async Task<IReadOnlyDictionary<long, StoredAccount>> FindAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, StoredAccount>();
        }

        var found = new Dictionary<long, StoredAccount>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.Set<AccountRowRecord>().AsNoTracking().Where(r => chunk.Contains(r.Id))
                .Select(r => new StoredAccount(r.Id, r.Line, r.Name, r.Domain, r.Country, r.Duns, r.Private)).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.Id] = row;
            }
        }

        return found;
    }

    /// <summary>The list id as the model stores it (see the row configuration).</summary>
    internal static string Key(Guid listId) => listId.ToString("D");

    internal static object Bytes(UInt128 token)
    {
        if (token == UInt128.Zero)
        {
            return DBNull.Value;
        }

        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, token);
        return bytes;
    }

    internal static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    // GetFieldValue<byte[]> reads a 16-byte blob several times faster (and with a tenth of the garbage) than
    // GetBytes into a reused buffer, which opens a blob stream per call in Microsoft.Data.Sqlite.
    private static UInt128 Token(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) || reader.GetFieldValue<byte[]>(ordinal) is not { Length: 16 } bytes ? UInt128.Zero : BinaryPrimitives.ReadUInt128LittleEndian(bytes);
}
