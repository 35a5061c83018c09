using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// Going back before a registration could be given a new deal after a lost one: refused, saying why, while such a
/// registration is stored (the earlier schema holds one deal per registration), and done when none is.
/// </summary>
public sealed class RegistrationDealRollbackTests : MigratedFileTest
{
    private const string BeforeDealAfterALoss = "20261127212011_ClaimCountries";

    private static Task DealAsync(CoSellDbContext db, string registration, string stage) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO opportunities (Id, customer_name, customer_country, Stage, amount_amount, amount_currency, CloseDate, OwnerId, source_kind, source_id,
                CreatedBy, CreatedAt, UpdatedAt, Version)
            VALUES ({0}, 'Lost Then Won', 'GB', {1}, '20000', 'USD', '2026-06-30', {2}, 'Registration', {3}, 'rep', {4}, {4}, 1)
            """,
            Guid.NewGuid().ToString().ToUpperInvariant(), stage, Guid.NewGuid().ToString().ToUpperInvariant(), registration, DateTimeOffset.UtcNow.UtcTicks);

    [Fact]
    public async Task GoingBack_WithARegistrationsLostDealAndANewerOne_IsRefusedSayingWhy_AndChangesNothing()
    {
        var registration = Guid.NewGuid().ToString().ToUpperInvariant();
        await using var db = Context();
        await db.Database.MigrateAsync();
        await DealAsync(db, registration, "ClosedLost");
        await DealAsync(db, registration, "Qualify");

        var back = () => db.GetService<IMigrator>().MigrateAsync(BeforeDealAfterALoss);

        (await back.Should().ThrowAsync<SqliteException>()).Which.Message.Should().Contain("a registration has a lost deal and a newer one");
        (await db.Database.GetAppliedMigrationsAsync()).Should().Contain(m => m.EndsWith("_RegistrationDealAfterALoss", StringComparison.Ordinal));
        (await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM opportunities WHERE source_id = {0}", registration).SingleAsync()).Should().Be(2);
    }

    [Fact]
    public async Task GoingBack_WithOneDealPerRegistration_RestoresTheEarlierRule()
    {
        var registration = Guid.NewGuid().ToString().ToUpperInvariant();
        await using var db = Context();
        await db.Database.MigrateAsync();
        await DealAsync(db, registration, "ClosedLost");

        await db.GetService<IMigrator>().MigrateAsync(BeforeDealAfterALoss);

        (await db.Database.GetAppliedMigrationsAsync()).Should().NotContain(m => m.EndsWith("_RegistrationDealAfterALoss", StringComparison.Ordinal));
        // One deal per registration again, a lost one included: a second is refused by the store itself.
        var second = () => DealAsync(db, registration, "Qualify");
        (await second.Should().ThrowAsync<SqliteException>()).Which.SqliteErrorCode.Should().Be(19, "SQLITE_CONSTRAINT: the unique index allows one deal per registration");
        (await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM opportunities WHERE source_id = {0}", registration).SingleAsync()).Should().Be(1);
    }
}
