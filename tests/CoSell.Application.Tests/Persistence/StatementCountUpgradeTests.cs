using CoSell.Domain.Conflicts;
using CoSell.Domain.SeedWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// A case's statements came to be stored beside it, and the case to keep what its rules need of them: each claim's
/// count in the current round and the latest statement's key. A case stored before takes both from its statements.
/// </summary>
public sealed class StatementCountUpgradeTests : MigratedFileTest
{
    private const string BeforeStatementsBesideTheirCase = "20261127213459_RegistrationDealAfterALoss";

    [Fact]
    public async Task ACaseStoredBefore_CountsEachPartysStatementsSinceItsLatestReopening_AndKeysTheNextAfterTheLast()
    {
        var (conflict, northwind, fabrikam) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (northwindPartner, fabrikamPartner) = (Guid.NewGuid(), Guid.NewGuid());
        var reopened = Now.AddDays(2);
        var statements = new List<Guid>();
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeStatementsBesideTheirCase);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO conflicts (Id, CustomerName, CustomerKey, Country, Status, RulesVersion, RuleFired, RuleExplanation, Recommendation, SlaDueAt,
                    OpenedAt, OpenedBy, Version)
                VALUES ({0}, 'Statement Count Systems', 'statement-count.com', 'US', 'Open', 1, 'first_to_register', 'First to register wins.', 'The earliest claim.',
                    {1}, {2}, 'fabrikam.user', 5)
                """,
                Key(conflict), reopened.AddDays(3).UtcTicks, Now.UtcTicks);
            foreach (var (claim, partner) in new[] { (northwind, northwindPartner), (fabrikam, fabrikamPartner) })
            {
                await db.Database.ExecuteSqlRawAsync(
                    """
                    INSERT INTO conflict_claims (ClaimId, Kind, PartnerId, OwnerUserId, ClaimedAt, Status, JoinedAt, ConflictId, Country)
                    VALUES ({0}, 'Registration', {1}, 'owner', {2}, 'InConflict', {2}, {3}, 'US')
                    """,
                    Key(claim), Key(partner), Now.UtcTicks, Key(conflict));
            }

            foreach (var (kind, at) in new[] { ("Opened", Now), ("Decided", Now.AddDays(1)), ("Reopened", reopened) })
            {
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO conflict_decision_log (Id, Kind, Actor, At, Text, ConflictId) VALUES ({0}, {1}, 'admin', {2}, 'Entry.', {3})",
                    Key(Guid.CreateVersion7()), kind, at.UtcTicks, Key(conflict));
            }

            // Five of Northwind's statements before the reopening, its whole allowance of twenty after it; two of Fabrikam's after.
            var written = Enumerable.Range(0, 5).Select(i => (northwind, Now.AddHours(i + 1)))
                .Concat(Enumerable.Range(0, ConflictStatement.MaximumPerPartyInARound).Select(i => (northwind, reopened.AddMinutes(i + 1))))
                .Concat([(fabrikam, reopened.AddHours(1)), (fabrikam, reopened.AddHours(2))]);
            foreach (var (claim, at) in written)
            {
                // Keys past any made today, as a clock set ahead once would have made them.
                var id = new Guid($"fffff{statements.Count + 1:x3}-0000-7000-8000-000000000000");
                statements.Add(id);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO conflict_statements (Id, ClaimId, AuthorId, Text, At, ConflictId, links) VALUES ({0}, {1}, 'author', 'Evidence.', {2}, {3}, '[]')",
                    Key(id), Key(claim), at.UtcTicks, Key(conflict));
            }
        }

        await using (var db = Context())
        {
            await db.Database.MigrateAsync();
            var stored = await db.Conflicts.SingleAsync(c => c.Id == conflict);

            stored.Claims.ToDictionary(c => c.ClaimId, c => c.StatementsThisRound).Should().BeEquivalentTo(
                new Dictionary<Guid, int> { [northwind] = ConflictStatement.MaximumPerPartyInARound, [fabrikam] = 2 },
                "a round runs from the case's latest reopening");
            stored.LastStatementId.Should().Be(statements[^1]);
            FluentActions.Invoking(() => stored.AddStatement(northwind, "author", "One more.", [], reopened.AddDays(1)))
                .Should().Throw<DomainException>().Which.Code.Should().Be("conflict.statement_limit");
            var next = stored.AddStatement(fabrikam, "author", "Our third.", [], reopened.AddDays(1));
            string.CompareOrdinal(next.Id.ToString("N"), statements[^1].ToString("N")).Should().BePositive("a new statement reads after every stored one");
        }
    }
}
