using System.Text.RegularExpressions;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Migrations;
using CoSell.Infrastructure.Persistence.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CoSell.Application.Tests.Persistence;

public sealed partial class MigrationTests
{
    private const string Regenerate =
        "the compiled model must be regenerated after a mapping change: dotnet ef dbcontext optimize --project src/Infrastructure " +
        "--startup-project tools/CoSell.DesignTime --output-dir Persistence/CompiledModel --namespace CoSell.Infrastructure.Persistence.CompiledModel";

    [Fact]
    public void TheMigrations_DescribeTheCurrentModel()
    {
        // The service skips this comparison at start-up to start faster; a forgotten migration fails here.
        using var db = new DesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().Should().BeFalse("every model change needs a migration (dotnet ef migrations add)");
    }

    [Fact]
    public void TheSchemaScriptOfANewDatabase_IsWhatTheMigratorWritesOfEveryMigration()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);

        Normalised(DatabaseInitialiser.SchemaScript()).Should().Be(
            Normalised(db.GetService<IMigrator>().GenerateScript()),
            "a new database is created from this script: after adding a migration, write it again with dotnet ef migrations script --project src/Infrastructure " +
            "--startup-project tools/CoSell.DesignTime --output src/Infrastructure/Persistence/Migrations/schema.sql");
    }

    [Fact]
    public async Task ANewDatabaseFromTheScript_IsTheOneTheMigratorMakes()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-schema-").FullName;
        try
        {
            var scripted = await NewFileFromTheScript(folder);

            var migrated = $"Data Source={Path.Combine(folder, "migrated.db")};Pooling=False";
            await using (var db = new CoSellDbContext(new DbContextOptionsBuilder<CoSellDbContext>().UseSqlite(migrated).Options))
            {
                await db.Database.MigrateAsync();
            }

            (await SchemaOf(scripted)).Should().Equal(await SchemaOf(migrated));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string> EarlierMigrations()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        return new TheoryData<string>(db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).SkipLast(1));
    }

    [Theory]
    [MemberData(nameof(EarlierMigrations))]
    public async Task AFileUpgradedFromAnEarlierMigration_InOneTransaction_IsTheOneANewFileIs(string earlier)
    {
        var folder = Directory.CreateTempSubdirectory("cosell-upgrade-").FullName;
        try
        {
            var scripted = await NewFileFromTheScript(folder);

            var upgraded = $"Data Source={Path.Combine(folder, "older.db")};Pooling=False";
            await using (var db = new CoSellDbContext(new DbContextOptionsBuilder<CoSellDbContext>().UseSqlite(upgraded).Options))
            {
                await db.GetService<IMigrator>().MigrateAsync(earlier);
                var applied = (await db.Database.GetAppliedMigrationsAsync()).ToHashSet(StringComparer.Ordinal);
                await using var connection = new SqliteConnection(upgraded);
                await connection.OpenAsync();

                var (count, _) = await DatabaseInitialiser.UpgradeAsync(db, connection, applied, CancellationToken.None);

                count.Should().Be(db.Database.GetMigrations().Count() - applied.Count);
            }

            // The script of each migration, its own commits and foreign-key steps left out, makes what the migrator makes.
            (await SchemaOf(upgraded)).Should().Equal(await SchemaOf(scripted));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A new file in the folder, its schema made from the script as a first start makes it; answers its connection string.</summary>
    private static async Task<string> NewFileFromTheScript(string folder)
    {
        var scripted = $"Data Source={Path.Combine(folder, "scripted.db")};Pooling=False";
        await using var connection = new SqliteConnection(scripted);
        await connection.OpenAsync();
        await DatabaseInitialiser.CreateSchemaAsync(connection, CancellationToken.None);
        return scripted;
    }

    /// <summary>Every table, index and trigger with its SQL, and the migrations recorded, but the migrator's own lock table.</summary>
    private static async Task<List<string>> SchemaOf(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE '__EFMigrationsLock%' AND name NOT LIKE 'sqlite_%'
            UNION ALL SELECT 'migration ' || MigrationId || ' ' || ProductVersion FROM __EFMigrationsHistory
            ORDER BY 1
            """;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static string Normalised(string script) => script.TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim();

    [Fact]
    public void TheCompiledModel_HasTheTablesAndColumnsOfTheMapping()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var mapped = db.GetService<IDesignTimeModel>().Model;

        db.Model.Should().BeOfType<CoSellDbContextModel>("the service runs on the model generated ahead of time");
        Tables(CoSellDbContextModel.Instance.GetRelationalModel()).Should().BeEquivalentTo(Tables(mapped.GetRelationalModel()), Regenerate);
    }

    [Fact]
    public void TheCompiledModel_DescribesTheMappingInFull()
    {
        // EF Core's own long description of a model: every entity, property (with its converter, comparers, sentinel and
        // access mode), key, index, navigation, foreign key, query filter and annotation.
        // The mapping's model is made read-optimised as a start without the compiled model would make it.
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var mapped = db.GetService<IModelRuntimeInitializer>().Initialize(db.GetService<IDesignTimeModel>().Model, designTime: false);

        WithoutComplexTypeTables(CoSellDbContextModel.Instance.ToDebugString(MetadataDebugStringOptions.LongDefault))
            .Should().Be(WithoutComplexTypeTables(mapped.ToDebugString(MetadataDebugStringOptions.LongDefault)), Regenerate);
    }

    /// <summary>
    /// The compiled model writes down the table a complex type is stored in (its owner's), where the runtime model works it
    /// out from the owner: the same mapping, described twice. The tables themselves are compared above.
    /// </summary>
    private static string WithoutComplexTypeTables(string description) => ComplexTypeTable().Replace(description, "");

    [GeneratedRegex(@"^(?<indent> {8,})Annotations: \n(?:\k<indent>  Relational:(?:FunctionName|Schema|SqlQuery|TableName|ViewName|ViewSchema): [^\n]*\n){6}", RegexOptions.Multiline)]
    private static partial Regex ComplexTypeTable();

    /// <summary>Each table's columns, keys, indexes and foreign keys, as the migrations would create them.</summary>
    private static IEnumerable<string> Tables(IRelationalModel model) =>
        model.Tables.SelectMany(table =>
            table.Columns.Select(c => $"{table.Name}.{c.Name} {c.StoreType} null {c.IsNullable}")
                .Concat(table.UniqueConstraints.Select(k => $"{table.Name} key {k.Name} ({string.Join(", ", k.Columns.Select(c => c.Name))})"))
                .Concat(table.Indexes.Select(i => $"{table.Name} index {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}) unique {i.IsUnique} filter {i.Filter}"))
                .Concat(table.ForeignKeyConstraints.Select(f => $"{table.Name} fk {f.Name} -> {f.PrincipalTable.Name} on delete {f.OnDeleteAction}")));
}
