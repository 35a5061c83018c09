using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Application.Tests.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public void TheMigrations_DescribeTheCurrentModel()
    {
        // The service skips this comparison at start-up to start faster; a forgotten migration fails here.
        using var db = new DesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().Should().BeFalse("every model change needs a migration (dotnet ef migrations add)");
    }
}
