using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// Each claim of a case came to keep the customer's country its holder wrote, which its party reads instead of the
/// case's. A claim bound before takes it from its registration or opportunity, or, with neither left, from the case.
/// </summary>
public sealed class ClaimCountryUpgradeTests : MigratedFileTest
{
    private const string BeforeClaimCountries = "20261127181142_ConflictAwardedClaimIndex";

    [Fact]
    public async Task ClaimsBoundBefore_TakeTheCountryOfTheirOwnRegistrationOrOpportunity_ElseTheCases()
    {
        var (conflict, registration, opportunity, gone) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeClaimCountries);

            // Written as the schema of then holds them: the model of today has a column it had not. The case opened on
            // a German claim; the registration bound beside it is American, the direct opportunity Canadian.
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO registrations (Id, PartnerId, RegisteredBy, customer_name, customer_country, value_amount, value_currency, ExpectedCloseDate,
                    Status, CreatedAt, UpdatedAt, ExtensionsUsed, duplicate, AutoApproved, product_lines, Version)
                VALUES ({0}, {1}, 'northwind.user', 'Country Leak Systems', 'US', '10000', 'USD', '2026-06-30', 'InConflict', {2}, {2}, 0, '{{}}', 0, '[]', 1)
                """,
                Key(registration), Key(Guid.NewGuid()), Now.UtcTicks);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO opportunities (Id, customer_name, customer_country, Stage, amount_amount, amount_currency, CloseDate, OwnerId, source_kind,
                    CreatedBy, CreatedAt, UpdatedAt, Version)
                VALUES ({0}, 'Country Leak Canada', 'CA', 'Qualify', '20000', 'USD', '2026-06-30', {1}, 'Direct', 'rep', {2}, {2}, 1)
                """,
                Key(opportunity), Key(Guid.NewGuid()), Now.UtcTicks);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO conflicts (Id, CustomerName, CustomerKey, Country, Status, RulesVersion, RuleFired, RuleExplanation, Recommendation, SlaDueAt,
                    OpenedAt, OpenedBy, Version)
                VALUES ({0}, 'Country Leak Systems GmbH', 'country-leak.com', 'DE', 'Open', 1, 'first_to_register', 'First to register wins.', 'The earliest claim.',
                    {1}, {2}, 'fabrikam.user', 1)
                """,
                Key(conflict), Now.AddDays(3).UtcTicks, Now.UtcTicks);
            foreach (var (claim, kind) in new[] { (registration, ClaimKind.Registration), (opportunity, ClaimKind.DirectOpportunity), (gone, ClaimKind.Registration) })
            {
                await db.Database.ExecuteSqlRawAsync(
                    """
                    INSERT INTO conflict_claims (ClaimId, Kind, PartnerId, OwnerUserId, ClaimedAt, Status, JoinedAt, ConflictId)
                    VALUES ({0}, {1}, NULL, 'owner', {2}, 'InConflict', {2}, {3})
                    """,
                    Key(claim), kind.ToString(), Now.UtcTicks, Key(conflict));
            }
        }

        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
            var claims = (await db.Conflicts.AsNoTracking().SingleAsync(c => c.Id == conflict)).Claims.ToDictionary(c => c.ClaimId, c => c.Country);
            claims.Should().BeEquivalentTo(new Dictionary<Guid, string> { [registration] = "US", [opportunity] = "CA", [gone] = "DE" },
                "a claim keeps the country its holder wrote; one whose registration is no longer stored reads the case's");
        }
    }
}
