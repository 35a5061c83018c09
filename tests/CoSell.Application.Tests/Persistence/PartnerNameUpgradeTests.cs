using CoSell.Domain.Partners;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// Partner names became unique in any case. A database from before may hold two partners of one name; its upgrade must
/// still apply, keep both and tell them apart, and from then on the store refuses a second partner of a name.
/// </summary>
public sealed class PartnerNameUpgradeTests : MigratedFileTest
{
    private const string BeforeUniqueNames = "20261126200957_ValueObjectsAsComplexProperties";

    [Fact]
    public async Task PartnersSharingAName_AreToldApartByTheUpgrade_AndTheOldestKeepsIt()
    {
        // Ids made in the same minute share their first digits.
        var (oldest, twin, triplet, other) = (Guid.Parse("0193a000-0000-7000-8000-000000000001"), Guid.Parse("0193a000-0000-7000-8000-0000000000f2"),
            Guid.Parse("0193a000-0000-7000-8000-0000000000f3"), Guid.NewGuid());
        var cafe = Guid.NewGuid();
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeUniqueNames);

            // Written as the schema of then holds them: the model of today has columns it had not.
            foreach (var (id, name, tier, country, at) in new[]
            {
                (oldest, "Northwind Systems", "Gold", "US", Now),
                (twin, "NORTHWIND systems", "Silver", "CA", Now.AddDays(1)),
                (triplet, "Northwind Systems", "Registered", "MX", Now.AddDays(1)),
                (other, "Fabrikam Consulting", "Silver", "DE", Now),
                (cafe, "Café Élan", "Silver", "FR", Now),
            })
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO partners (Id, Name, Tier, Status, ChannelManagerId, CreatedAt, territories, Version) VALUES ({0}, {1}, {2}, 'Active', NULL, {3}, {4}, 1)",
                    id.ToString().ToUpperInvariant(), name, tier, at.UtcTicks, $"[\"{country}\"]");
            }
        }

        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
            var partners = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Id);
            var names = partners.ToDictionary(p => p.Key, p => p.Value.Name);
            names[oldest].Should().Be("Northwind Systems");
            names[twin].Should().Be("NORTHWIND systems (0193a000-0000-7000-8000-0000000000f2)");
            names[triplet].Should().Be("Northwind Systems (0193a000-0000-7000-8000-0000000000f3)");
            (partners[twin].Version, partners[oldest].Version).Should().Be((2, 1), "a renamed partner has a new version, so its old ETag is stale");
            names[other].Should().Be("Fabrikam Consulting");

            // Each renaming is in the audit log, as the service's change, at an instant that reads back like any other.
            var renamings = await db.AuditEntries.AsNoTracking().Where(a => a.AggregateType == "partner" && a.Actor == "system").ToListAsync();
            renamings.Select(a => a.AggregateId).Should().BeEquivalentTo([twin, triplet]);
            var twinRenamed = renamings.Single(a => a.AggregateId == twin);
            twinRenamed.Summary.Should().Be("Partner 'NORTHWIND systems' renamed to 'NORTHWIND systems (0193a000-0000-7000-8000-0000000000f2)': an older partner has the same name, and partner names are unique in any case.");
            twinRenamed.OccurredAt.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
            using var data = System.Text.Json.JsonDocument.Parse(twinRenamed.Data);
            data.RootElement.GetProperty("summary").GetString().Should().Be(twinRenamed.Summary);
            data.RootElement.GetProperty("partnerId").GetGuid().Should().Be(twin);

            // The key of a name stored before folds its ASCII letters, as the store compared them then.
            (partners[oldest].NameKey, partners[cafe].NameKey).Should().Be(("NORTHWIND SYSTEMS", "CAFé ÉLAN"));

            db.Partners.Add(Partner.Create(Guid.NewGuid(), "northwind SYSTEMS", PartnerTier.Registered, ["JP"], null, "admin", Now));
            await db.Invoking(d => d.SaveChangesAsync()).Should().ThrowAsync<DbUpdateException>("the unique index compares names without case");
        }

        await using (var db = Context())
        {
            // A key written by the service folds every letter: two names apart only in the case of other letters are one.
            db.Partners.Add(Partner.Create(Guid.NewGuid(), "Überall Partners", PartnerTier.Registered, ["DE"], null, "admin", Now));
            await db.SaveChangesAsync();
            db.Partners.Add(Partner.Create(Guid.NewGuid(), "ÜBERALL PARTNERS", PartnerTier.Registered, ["AT"], null, "admin", Now));
            await db.Invoking(d => d.SaveChangesAsync()).Should().ThrowAsync<DbUpdateException>("the folded key's unique index holds it");
        }
    }
}
