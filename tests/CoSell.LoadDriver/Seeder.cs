using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CoSell.LoadDriver;

/// <summary>Fills a migrated, stopped service database with a partner programme and its registrations.</summary>
internal static class Seeder
{
    public const int PartnersPerTier = 10;
    public const int ChannelManagers = 4;
    private const int BatchSize = 10_000;

    private static readonly string[] Tiers = ["Registered", "Silver", "Gold", "Platinum"];
    private static readonly string[] Countries = ["US", "DE", "JP", "GB", "FR", "CA", "AU", "BR"];

    public static IReadOnlyList<LoadPartner> Partners()
    {
        var managers = Enumerable.Range(1, ChannelManagers).Select(i => Guid.Parse($"00000000-0000-0000-0000-0000000c{i:0000}")).ToList();
        return Enumerable.Range(0, Tiers.Length * PartnersPerTier).Select(i => new LoadPartner(
            Guid.Parse($"10000000-0000-0000-0000-{i + 1:000000000000}"),
            $"Load Partner {i + 1:000} {Tiers[i % Tiers.Length]}",
            Tiers[i % Tiers.Length],
            Countries[i % Countries.Length],
            Guid.Parse($"20000000-0000-0000-0000-{i + 1:000000000000}"),
            $"partner.load{i + 1:000}",
            managers[i % managers.Count])).ToList();
    }

    public static IEnumerable<Guid> ChannelManagerIds() => Partners().Select(p => p.ChannelManagerId).Distinct();

    /// <summary>Inserts partners, users and <paramref name="registrations"/> registrations with their audit trail; returns the audit row count.</summary>
    public static long Seed(string databasePath, int registrations, DateTimeOffset now)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");

        var partners = Partners();
        using (var tx = connection.BeginTransaction())
        {
            foreach (var (manager, i) in ChannelManagerIds().Select((m, i) => (m, i + 1)))
            {
                InsertUser(connection, tx, manager, $"manager.load{i}", $"Load Manager {i}", "channel_manager", null);
            }

            foreach (var p in partners)
            {
                InsertPartner(connection, tx, p, now.AddDays(-400));
                InsertUser(connection, tx, p.UserId, p.UserName, $"{p.Name} User", "partner", p.Id);
            }

            tx.Commit();
        }

        var factory = new RegistrationFactory(now);
        var random = new Random(20_261_125);
        long auditRows = 0;
        using var writer = new RowWriter(connection);
        for (var start = 0; start < registrations; start += BatchSize)
        {
            using var tx = connection.BeginTransaction();
            writer.Transaction = tx;
            for (var n = start; n < Math.Min(registrations, start + BatchSize); n++)
            {
                var (row, audit) = factory.Stored(n, partners[n % partners.Count], random);
                writer.Insert(row);
                foreach (var entry in audit)
                {
                    writer.Insert(entry);
                    auditRows++;
                }
            }

            tx.Commit();
        }

        writer.Transaction = null;
        Execute(connection, "PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);");
        return auditRows;
    }

    /// <summary>Checkpoints the WAL so the main file alone is the whole database, then copies it.</summary>
    public static void Copy(string from, string to)
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = from, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        File.Copy(from, to, overwrite: true);
    }

    public static long Count(string databasePath, string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void InsertPartner(SqliteConnection connection, SqliteTransaction tx, LoadPartner p, DateTimeOffset at)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO partners (Id, Name, NameKey, Tier, Status, ChannelManagerId, CreatedAt, territories, Version) VALUES ($id, $name, $key, $tier, 'Active', $manager, $at, $territories, 1)";
        command.Parameters.AddWithValue("$id", RowWriter.Text(p.Id));
        command.Parameters.AddWithValue("$name", p.Name);
        command.Parameters.AddWithValue("$key", p.Name.ToUpperInvariant());
        command.Parameters.AddWithValue("$tier", p.Tier);
        command.Parameters.AddWithValue("$manager", RowWriter.Text(p.ChannelManagerId));
        command.Parameters.AddWithValue("$at", at.UtcTicks);
        command.Parameters.AddWithValue("$territories", JsonSerializer.Serialize(new[] { p.Country }));
        command.ExecuteNonQuery();

        using var audit = connection.CreateCommand();
        audit.Transaction = tx;
        audit.CommandText = "INSERT INTO audit_log (AggregateType, AggregateId, Type, Actor, OccurredAt, Summary, Data) VALUES ('partner', $id, 'partner.created', 'system', $at, $summary, $data)";
        var summary = $"Partner '{p.Name}' created: {p.Tier}, Active, territories {p.Country}, channel manager {p.ChannelManagerId}.";
        audit.Parameters.AddWithValue("$id", RowWriter.Text(p.Id));
        audit.Parameters.AddWithValue("$at", at.UtcTicks);
        audit.Parameters.AddWithValue("$summary", summary);
        audit.Parameters.AddWithValue("$data", JsonSerializer.Serialize(new { partnerId = p.Id, type = "partner.created", summary, actor = "system", occurredAt = at }));
        audit.ExecuteNonQuery();
    }

    private static void InsertUser(SqliteConnection connection, SqliteTransaction tx, Guid id, string userName, string displayName, string role, Guid? partnerId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO users (Id, UserName, DisplayName, Role, PartnerId, IsActive, Version) VALUES ($id, $user, $display, $role, $partner, 1, 0)";
        command.Parameters.AddWithValue("$id", RowWriter.Text(id));
        command.Parameters.AddWithValue("$user", userName);
        command.Parameters.AddWithValue("$display", displayName);
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$partner", partnerId is { } p ? RowWriter.Text(p) : DBNull.Value);
        command.ExecuteNonQuery();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string Invariant(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
