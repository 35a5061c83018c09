using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.Persistence;

public sealed class SqliteWriterTests : SqliteStoreTest
{
    /// <summary>Holds the writer inside a unit until released, so that what is queued meanwhile waits for the next group.</summary>
    private async Task<(TaskCompletionSource Release, Task<int> Blocker)> HoldTheWriter()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scope = Services.CreateAsyncScope();
        var blocker = Writer.WriteAsync(scope.ServiceProvider.GetRequiredService<CoSellDbContext>(), async _ =>
        {
            await release.Task;
            return 0;
        }, CancellationToken.None);
        await WaitUntil(() => Writer.Pending == 0);
        return (release, Finish(blocker, scope));

        static async Task<int> Finish(Task<int> blocker, AsyncServiceScope scope)
        {
            try
            {
                return await blocker;
            }
            finally
            {
                await scope.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ConcurrentUnits_AreCommittedInOneGroup_AndAFailingOneDoesNotTakeTheOthersDown()
    {
        await SaveAsync(db => db.Users.Add(User.Create(Guid.NewGuid(), "taken", "First holder", Roles.Admin, null)));

        // Hold the writer inside a unit while the others queue up, so they all meet in the next group.
        var (release, blocker) = await HoldTheWriter();
        var groupsBefore = Writer.CommittedGroups;

        var scopes = new List<AsyncServiceScope>();
        var creates = new List<(CoSellDbContext Db, Task<int> Save)>();
        Task<int>? failing = null;
        CoSellDbContext? failingDb = null;
        for (var i = 0; i < 20; i++)
        {
            if (i == 10)
            {
                // Same user name as the stored user: the unique index refuses it.
                var scope = Services.CreateAsyncScope();
                scopes.Add(scope);
                failingDb = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
                failingDb.Users.Add(User.Create(Guid.NewGuid(), "taken", "Second holder", Roles.Admin, null));
                failing = Writer.SaveChangesAsync(failingDb, CancellationToken.None);
            }

            var partnerScope = Services.CreateAsyncScope();
            scopes.Add(partnerScope);
            var db = partnerScope.ServiceProvider.GetRequiredService<CoSellDbContext>();
            db.Partners.Add(Partner.Create(Guid.NewGuid(), $"Concurrent Partner {i}", PartnerTier.Silver, ["DE"], null, "test", DateTimeOffset.UtcNow));
            creates.Add((db, Writer.SaveChangesAsync(db, CancellationToken.None)));
        }

        await WaitUntil(() => Writer.Pending == 21);
        release.SetResult();
        await blocker;

        (await Task.WhenAll(creates.Select(c => c.Save))).Should().OnlyContain(rows => rows == 1);
        await failing!.Invoking(t => t).Should().ThrowAsync<DbUpdateException>();
        (Writer.CommittedGroups - groupsBefore).Should().Be(2, "the blocker's group, then one group for all that queued behind it");

        await using var check = Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<CoSellDbContext>();
        (await read.Partners.CountAsync()).Should().Be(20);
        (await read.Users.CountAsync(u => u.UserName == "taken")).Should().Be(1);
        (await read.Users.SingleAsync(u => u.UserName == "taken")).DisplayName.Should().Be("First holder");

        // Committed contexts have accepted their changes and read through a connection of their own again.
        creates.Should().OnlyContain(c => !c.Db.ChangeTracker.HasChanges());
        (await creates[0].Db.Partners.CountAsync()).Should().Be(20);
        failingDb!.ChangeTracker.HasChanges().Should().BeTrue("a failed unit keeps its changes unsaved");

        foreach (var scope in scopes)
        {
            await scope.DisposeAsync();
        }
    }

    [Fact]
    public async Task AUnitQueuedForLongBehindASlowGroup_IsCommitted()
    {
        // A group slow to write (a loaded machine, a slow disk) keeps the next one queued: no lock is held by another
        // process, so nothing about the next group's wait for the lock changes.
        var (release, blocker) = await HoldTheWriter();

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        db.Partners.Add(Partner.Create(Guid.NewGuid(), "Patient Partner", PartnerTier.Silver, ["DE"], null, "test", DateTimeOffset.UtcNow));
        var queued = Writer.SaveChangesAsync(db, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        release.SetResult();
        await blocker;

        // Before, the wait was taken for one behind another process's lock: its timeout was shortened around the BEGIN,
        // and putting it back inside the new transaction failed the unit.
        (await queued).Should().Be(1);
    }

    [Fact]
    public async Task AStaleUpdate_FailsAlone_WhileTheRestOfItsGroupCommits()
    {
        var id = Guid.NewGuid();
        await SaveAsync(db => db.Partners.Add(Partner.Create(id, "Versioned Partner", PartnerTier.Gold, ["US"], null, "test", DateTimeOffset.UtcNow)));

        await using var first = Services.CreateAsyncScope();
        await using var second = Services.CreateAsyncScope();
        await using var third = Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<CoSellDbContext>();
        var b = second.ServiceProvider.GetRequiredService<CoSellDbContext>();
        var c = third.ServiceProvider.GetRequiredService<CoSellDbContext>();
        (await a.Partners.SingleAsync(p => p.Id == id)).Update("Renamed by A", null, null, null, null, "a", DateTimeOffset.UtcNow);
        (await b.Partners.SingleAsync(p => p.Id == id)).Update("Renamed by B", null, null, null, null, "b", DateTimeOffset.UtcNow);
        c.Partners.Add(Partner.Create(Guid.NewGuid(), "Bystander Partner", PartnerTier.Registered, ["JP"], null, "test", DateTimeOffset.UtcNow));

        var saves = new[] { Writer.SaveChangesAsync(a, CancellationToken.None), Writer.SaveChangesAsync(b, CancellationToken.None), Writer.SaveChangesAsync(c, CancellationToken.None) };
        await saves[0];
        await saves[1].Invoking(t => t).Should().ThrowAsync<DbUpdateConcurrencyException>();
        await saves[2];

        await using var check = Services.CreateAsyncScope();
        var read = check.ServiceProvider.GetRequiredService<CoSellDbContext>();
        (await read.Partners.SingleAsync(p => p.Id == id)).Name.Should().Be("Renamed by A");
        (await read.Partners.CountAsync(p => p.Name == "Bystander Partner")).Should().Be(1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
