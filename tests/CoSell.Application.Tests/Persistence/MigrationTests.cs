using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Persistence.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CoSell.Application.Tests.Persistence;

public sealed class MigrationTests
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
    public void TheCompiledModel_HasTheTablesAndColumnsOfTheMapping()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var mapped = db.GetService<IDesignTimeModel>().Model;

        db.Model.Should().BeOfType<CoSellDbContextModel>("the service runs on the model generated ahead of time");
        Tables(CoSellDbContextModel.Instance.GetRelationalModel()).Should().BeEquivalentTo(Tables(mapped.GetRelationalModel()), Regenerate);
    }

    [Fact]
    public void TheCompiledModel_ConvertsEveryPropertyAsTheMappingDoes()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var mapped = db.GetService<IDesignTimeModel>().Model;

        Describe(CoSellDbContextModel.Instance).Should().BeEquivalentTo(Describe(mapped), Regenerate);
    }

    /// <summary>Each table's columns, keys, indexes and foreign keys, as the migrations would create them.</summary>
    private static IEnumerable<string> Tables(IRelationalModel model) =>
        model.Tables.SelectMany(table =>
            table.Columns.Select(c => $"{table.Name}.{c.Name} {c.StoreType} null {c.IsNullable}")
                .Concat(table.UniqueConstraints.Select(k => $"{table.Name} key {k.Name} ({string.Join(", ", k.Columns.Select(c => c.Name))})"))
                .Concat(table.Indexes.Select(i => $"{table.Name} index {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}) unique {i.IsUnique} filter {i.Filter}"))
                .Concat(table.ForeignKeyConstraints.Select(f => $"{table.Name} fk {f.Name} -> {f.PrincipalTable.Name} on delete {f.OnDeleteAction}")));

    /// <summary>Each property with what the relational model does not show: its CLR type, converter and comparer.</summary>
    private static IEnumerable<string> Describe(IModel model) =>
        from entity in model.GetEntityTypes()
        from property in entity.GetProperties()
        select $"{entity.Name}.{property.Name}: {property.ClrType} as {property.GetValueConverter()?.ProviderClrType} " +
               $"by {property.GetValueConverter()?.ConvertToProviderExpression} and {property.GetValueConverter()?.ConvertFromProviderExpression}, " +
               $"compared by {property.GetValueComparer().EqualsExpression}, snapshot {property.GetValueComparer().SnapshotExpression}, " +
               $"nullable {property.IsNullable}, concurrency {property.IsConcurrencyToken}, generated {property.ValueGenerated}";
}
