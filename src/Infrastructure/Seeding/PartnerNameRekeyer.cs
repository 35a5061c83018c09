using CoSell.Domain.Partners;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Seeding;

/// <summary>
/// Run at start-up: brings every stored partner's name key to the rules of today (<see cref="Partner.KeyOf"/>), so that a
/// name stored before a change to them is compared as a name written now is, and a new partner whose name reads like it
/// is refused. Partners are few (hundreds at most), so every start reads them all and compares, in one transaction that
/// writes only when a key differs. It reads and writes with plain SQL in the mapping's stored formats, so a start
/// compiles no EF Core query (ADR 0015).
/// </summary>
/// <remarks>
/// Two stored partners whose names read alike only under today's rules cannot share a key: the unique index refuses it.
/// The start does not fail over them (ADR 0023). The partner that already holds the key keeps it, and otherwise the one
/// created first takes it; the other keeps the key it has, and a warning names both so that an admin renames one.
/// </remarks>
public sealed class PartnerNameRekeyer(DatabaseOptions database, ILogger<PartnerNameRekeyer> logger)
{
    /// <summary>Returns how many partners' keys were brought to today's rules.</summary>
    public async Task<int> RekeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Immediate: the keys are read under the write lock they are written under, so a tool that commits to the file
        // meanwhile (the sqlite3 shell, a backup; the file lock lets those in) waits rather than fail the start.
        await using var transaction = connection.BeginTransaction();
        var partners = await ReadAsync(connection, transaction, cancellationToken);
        var (moves, kept) = Plan(partners);
        foreach (var (partner, holder) in kept)
        {
            logger.LogWarning(
                "Partners {Partner} ('{Name}') and {Holder} ('{HolderName}') have names that read alike under today's rules, and partner names are unique: the first keeps its earlier name key, so a new name that reads like its own may still be taken. An admin should rename one of them",
                partner.Id, partner.Name, holder.Id, holder.Name);
        }

        if (moves.Count == 0)
        {
            return 0;
        }

        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """UPDATE "partners" SET "NameKey" = $key WHERE "Id" = $id""";
        var id = update.Parameters.Add("$id", SqliteType.Text);
        var key = update.Parameters.Add("$key", SqliteType.Text);
        // In the order planned: each key a partner takes is free by then.
        foreach (var (partner, current) in moves)
        {
            id.Value = partner.StoredId;
            key.Value = current;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("The rules that make partners' name keys changed: brought the keys of {Partners} partners to them", moves.Count);
        return moves.Count;
    }

    /// <summary>
    /// Which partners take today's key, in an order in which each takes a key no other holds at that moment, and which
    /// keep theirs because another partner holds it (with that partner). The first created are served first; a partner
    /// moving off a key frees it for the next.
    /// </summary>
    private static (List<(StoredPartner Partner, string Key)> Moves, List<(StoredPartner Partner, StoredPartner Holder)> Kept) Plan(List<StoredPartner> partners)
    {
        var holders = partners.ToDictionary(p => p.NameKey, StringComparer.Ordinal);
        var keys = partners.ToDictionary(p => p, p => p.NameKey);
        var waiting = partners.Where(p => p.CurrentKey != p.NameKey).ToList();
        var moves = new List<(StoredPartner, string)>();
        // Each time from the first created: the key a partner frees may be one an older partner waits for.
        while (waiting.FirstOrDefault(p => !holders.ContainsKey(p.CurrentKey)) is { } partner)
        {
            holders.Remove(keys[partner]);
            holders.Add(partner.CurrentKey, partner);
            keys[partner] = partner.CurrentKey;
            moves.Add((partner, partner.CurrentKey));
            waiting.Remove(partner);
        }

        return (moves, waiting.Select(p => (p, holders[p.CurrentKey])).ToList());
    }

    private static async Task<List<StoredPartner>> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        // Instants are stored as UTC ticks (ADR 0003); ids as text, compared as stored.
        select.CommandText = """SELECT "Id", "Name", "NameKey" FROM "partners" ORDER BY "CreatedAt", "Id" """;
        var partners = new List<StoredPartner>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(1);
            partners.Add(new StoredPartner(reader.GetString(0), name, reader.GetString(2), Partner.KeyOfStored(name)));
        }

        return partners;
    }

    private sealed record StoredPartner(string StoredId, string Name, string NameKey, string CurrentKey)
    {
        public Guid Id => Guid.Parse(StoredId);
    }
}
