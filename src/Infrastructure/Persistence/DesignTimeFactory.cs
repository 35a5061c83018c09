using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CoSell.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CoSellDbContext>
{
    public CoSellDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CoSellDbContext>().UseSqlite("Data Source=design.db").Options);
}
