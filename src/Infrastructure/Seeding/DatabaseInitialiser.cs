using System.Globalization;
using System.Reflection;
using CoSell.Application.Abstractions;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure.AccountMapping;
using CoSell.Infrastructure.Identity;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Seeding;

/// <summary>
/// Brings the database to the current schema at start-up, re-keys account tokens when the secret changed, brings
/// partners' name keys to the current rules, makes sure a rules version is active, and loads the claims index.
/// </summary>
public sealed class DatabaseInitialiser(CoSellDbContext db, IUnitOfWork unitOfWork, TimeProvider time, DemoProgramme demo, AccountTokenRekeyer rekeyer, PartnerNameRekeyer partnerNames, ClaimsIndexStartup claims, ILogger<DatabaseInitialiser> logger)
{
    /// <summary>
    /// A new deployment's data folder and empty database file are made here, once: every connection after opens the file
    /// without creating it, so a file removed under the service fails its requests rather than start a new, empty one.
    /// </summary>
    private void CreateTheFileAndItsFolder()
    {
        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (file.Mode != SqliteOpenMode.Memory && file.DataSource is { Length: > 0 } source && source != ":memory:")
        {
            // .NET reads ".." as text, the kernel after the link before it: a file the kernel finds is there (on Linux the
            // service's lock has made it already).
            if (Persistence.DatabaseFileMoves.RealPath(Persistence.DatabaseFileMoves.Absolute(source)) is not null)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(source))!);
            if (!File.Exists(source))
            {
                // An empty file is an empty SQLite database.
                new FileStream(source, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite).Dispose();
            }
        }
    }

    /// <summary>Everything, the claims index included.</summary>
    public async Task InitialiseAsync(bool seedDemo, CancellationToken cancellationToken) =>
        await await StartAsync(seedDemo, cancellationToken);

    /// <summary>Everything but the claims index, whose load this starts and returns: it holds the index from now until it is filled.</summary>
    public async Task<Task<int>> StartAsync(bool seedDemo, CancellationToken cancellationToken)
    {
        CreateTheFileAndItsFolder();
        // On a restart the schema is usually current: the index can load beside the rest of the start-up. Otherwise it
        // waits until the migrations have run.
        var loaded = await SchemaIsCurrentAsync(cancellationToken) ? claims.Start(beforeMigrations: true) : null;
        if (loaded is null && await NotCoSellsAsync(cancellationToken) is { } foreign)
        {
            // Before the first write: a path mistyped onto another application's database leaves it as it was.
            throw new ForeignDatabaseException(foreign);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // WAL is a property of the file: set once, it stays.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            // A file the service may read but not write would answer ready and fail every write: one write now (the
            // header's user version, to the value it has) refuses that start instead.
            await WriteOnceAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        // A current schema has nothing to migrate: EF Core's migrator would still load every migration and build the
        // model snapshot's metadata to find that out, which costs the start time and memory (ADR 0015). A new file is
        // given every migration at once from the script the migrator makes of them, committed beside them.
        if (loaded is null)
        {
            if (await IsEmptyAsync(cancellationToken))
            {
                await CreateSchemaAsync(cancellationToken);
            }
            else
            {
                await ReleaseStaleMigrationLockAsync(cancellationToken);
                await UpgradeAsync(cancellationToken);
            }
        }

        if (!await HasRulesAsync(cancellationToken))
        {
            var rules = RulesOfEngagement.Defaults(Actors.System, time.GetUtcNow());
            rules.Activate(Actors.System, time.GetUtcNow());
            db.Rules.Add(rules);
            await unitOfWork.CommitAsync(cancellationToken);
            logger.LogInformation("Published the default rules of engagement as version 1");
        }

        if (seedDemo && !await db.Users.AnyAsync(cancellationToken))
        {
            await demo.SeedAsync(cancellationToken);
            logger.LogInformation("Seeded the demo programme");
        }

        // Every claim is in the database now: the index loads on its own thread while the rest goes on.
        loaded ??= claims.Start();
        await rekeyer.RekeyIfNeededAsync(cancellationToken);
        // Before the first request: a name that reads like a stored partner's is refused from the start (ADR 0023).
        await partnerNames.RekeyAsync(cancellationToken);
        return loaded;
    }

    private async Task WriteOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version};");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a rules version is stored, read with plain SQL: a restart compiles no EF Core query, whose pipeline an idle
    /// service would otherwise keep loaded (ADR 0015).
    /// </summary>
    private async Task<bool> HasRulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT EXISTS (SELECT 1 FROM "rules_versions")""";
        return await command.ExecuteScalarAsync(cancellationToken) is 1L;
    }

    /// <summary>The SQL of every migration, from none to the last, as EF Core's migrator writes it (<c>MigrationTests</c> holds it so).</summary>
    public static string SchemaScript()
    {
        using var stream = typeof(DatabaseInitialiser).Assembly.GetManifestResourceStream("CoSell.Infrastructure.Persistence.Migrations.schema.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A connection of its own, not the pool's, for changing the schema: its foreign-key checks are turned off for the
    /// change, and a pooled connection would carry that to the service's later work.
    /// </summary>
    private SqliteConnection SchemaConnection() =>
        new(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = SchemaConnection();
        await connection.OpenAsync(cancellationToken);
        await CreateSchemaAsync(connection, cancellationToken);
        logger.LogInformation("Created the schema of a new database");
    }

    /// <summary>
    /// Runs the script on an empty database in one transaction: all of it or nothing. The script commits each migration
    /// on its own, and splits a table rebuild over several commits around its <c>PRAGMA foreign_keys</c> steps; a start cut
    /// short there would leave a half-rebuilt table no later start could migrate.
    /// </summary>
    public static Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        RunInOneTransactionAsync(connection, SchemaScript(), cancellationToken);

    /// <summary>
    /// Applies the migrations an existing file lacks, in order, from the script the migrator writes of each, in one
    /// transaction as a new file's schema is: a start killed or refused half-way leaves the file as it was (ADR 0015).
    /// </summary>
    private async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        await using var connection = SchemaConnection();
        await connection.OpenAsync(cancellationToken);
        var left = await DropHalfRebuiltTablesAsync(connection, cancellationToken);
        if (left.Count > 0)
        {
            logger.LogWarning("Removed {Tables:l}, left half-built by an earlier start that ended while it upgraded the database", string.Join(", ", left));
        }

        var (count, last) = await UpgradeAsync(db, connection, await AppliedMigrationsAsync(cancellationToken) ?? [], cancellationToken);
        if (count > 0)
        {
            logger.LogInformation("Upgraded the database with {Count} migrations, the last {Migration}", count, last);
        }
    }

    /// <summary>
    /// Runs, in one transaction, the script the migrator writes of each migration of this build that
    /// <paramref name="applied"/> lacks, each from the migration before it; answers how many ran, and the last.
    /// </summary>
    public static async Task<(int Count, string? Last)> UpgradeAsync(DbContext db, SqliteConnection connection, IReadOnlySet<string> applied, CancellationToken cancellationToken)
    {
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        var migrator = db.GetService<IMigrator>();
        var script = new System.Text.StringBuilder();
        var count = 0;
        for (var i = 0; i < migrations.Count; i++)
        {
            if (!applied.Contains(migrations[i]))
            {
                script.AppendLine(migrator.GenerateScript(i == 0 ? Migration.InitialDatabase : migrations[i - 1], migrations[i]));
                count++;
            }
        }

        if (count > 0)
        {
            await RunInOneTransactionAsync(connection, script.ToString(), cancellationToken);
        }

        return (count, migrations.LastOrDefault());
    }

    /// <summary>
    /// Builds before this one applied each migration in steps of their own, and rebuilt a table in two commits: a copy
    /// named <c>ef_temp_</c> and the table's name, then the swap. A start killed between them left the copy beside the
    /// whole table, and every later start failed to make it again. The copy is only ever a copy: it goes.
    /// </summary>
    private static async Task<List<string>> DropHalfRebuiltTablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ef\_temp\_%' ESCAPE '\'""";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            command.CommandText = $"DROP TABLE \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return tables;
    }

    /// <summary>
    /// Runs a script of the migrator's in one transaction, without its own transaction steps. A transaction ignores
    /// <c>PRAGMA foreign_keys</c>, so the checks are off around it, as SQLite's way of altering a table asks, and every
    /// reference is checked before the commit.
    /// </summary>
    private static async Task RunInOneTransactionAsync(SqliteConnection connection, string script, CancellationToken cancellationToken)
    {
        var statements = script.ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.Trim() is not ("BEGIN TRANSACTION;" or "COMMIT;") && !line.StartsWith("PRAGMA foreign_keys", StringComparison.Ordinal));
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys = 0;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            command.Transaction = transaction;
            command.CommandText = string.Join('\n', statements);
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "PRAGMA foreign_key_check;";
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"The schema change was rolled back: a row of {reader.GetString(0)} refers to a row of {reader.GetString(2)} that is not there.");
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            // The connection may be the pool's (a caller's): it goes back checking references, as every connection does.
            command.Transaction = null;
            command.CommandText = "PRAGMA foreign_keys = 1;";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// EF Core's migrator marks a migration under way with a row of <c>__EFMigrationsLock</c> and waits, for ever, while
    /// one is there. A start killed while migrating leaves its row behind. One service holds the file (ADR 0005), so a
    /// row found now is that dead start's, and goes.
    /// </summary>
    private async Task ReleaseStaleMigrationLockAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock')";
        if (await command.ExecuteScalarAsync(cancellationToken) is 1L)
        {
            command.CommandText = "DELETE FROM \"__EFMigrationsLock\"";
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                logger.LogWarning("Released the migration lock a start that ended while migrating left behind");
            }
        }
    }

    /// <summary>A file with no table of its own yet: new, or made by SQLite a moment ago.</summary>
    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')";
        return await command.ExecuteScalarAsync(cancellationToken) is 1L;
    }

    /// <summary>
    /// Why a file with tables is not a CoSell database to upgrade, or null when it is one (or empty): it records none of
    /// CoSell's migrations, having no record of migrations at all or another application's.
    /// </summary>
    private async Task<string?> NotCoSellsAsync(CancellationToken cancellationToken)
    {
        if (await IsEmptyAsync(cancellationToken))
        {
            return null;
        }

        var applied = await AppliedMigrationsAsync(cancellationToken);
        if (applied is not null && applied.Overlaps(Known))
        {
            return null;
        }

        // EF Core's own tables with no migration recorded are a first start that ended before its first migration
        // committed (an earlier build's migrator made them first): CoSell's file, to migrate from the start.
        var foreignMigrations = applied is { Count: > 0 };
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = foreignMigrations
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock') ORDER BY name LIMIT 6";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            return null;
        }

        var named = tables.Count > 5 ? $"{string.Join(", ", tables.Take(5))}…" : string.Join(", ", tables);
        return $"the database file holds tables ({named}) but {(foreignMigrations ? "another application's migrations" : "no record of migrations")}, so it is not a CoSell database; it was left as it is. Name a new file, or one CoSell made.";
    }

    /// <summary>This build's migrations, found once: the start asks whether the file has them, and whether it has any.</summary>
    private static readonly HashSet<string> Known =
        typeof(CoSellDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(CoSellDbContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the database has applied every migration this build has (and no other), read without EF Core's model.</summary>
    private async Task<bool> SchemaIsCurrentAsync(CancellationToken cancellationToken)
    {
        return Known.Count > 0 && await AppliedMigrationsAsync(cancellationToken) is { } applied && Known.SetEquals(applied);
    }

    /// <summary>The migrations the file records, or null for a file with no record of them.</summary>
    private async Task<HashSet<string>?> AppliedMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "MigrationId" FROM "__EFMigrationsHistory" """;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (SqliteException)
        {
            // No history table: a new database.
            return null;
        }

        return applied;
    }
}

/// <summary>The configured database file is another application's: the start is refused, and the file left as it is.</summary>
public sealed class ForeignDatabaseException(string message) : InvalidOperationException(message);
