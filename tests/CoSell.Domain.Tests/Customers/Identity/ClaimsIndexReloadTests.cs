using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>The service answers while the index loads: whatever comes meanwhile must wait for the whole index.</summary>
public sealed class ClaimsIndexReloadTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;
    private readonly ClaimsIndex _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Reload_MakesAChangeMadeDuringTheReadWaitAndApplyOnTopOfTheLoadedClaims()
    {
        var forgotten = Claim("Forgotten Ltd", "forgotten.example");
        _index.Upsert(forgotten);
        var stored = Claim("Stored Corp", "stored.example");
        var late = Claim("Late Arrival Inc", "late-arrival.example");
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var load = new Thread(() => _index.Reload(() => { release.Wait(); return [stored]; }, held.Set)) { IsBackground = true };
        load.Start();
        held.Wait();

        var change = Task.Run(() => _index.Upsert(late));
        var check = Task.Run(() => _index.Contains(stored.ClaimId));
        try
        {
            (await Task.WhenAny(change, check, Task.Delay(200))).Should().NotBe(change, "a change waits for the load").And.NotBe(check, "a check waits for the load");
        }
        finally
        {
            release.Set();
            load.Join();
        }

        (await check).Should().BeTrue("the check sees the loaded claims, not the ones before");
        await change;
        _index.Contains(late.ClaimId).Should().BeTrue();
        _index.Contains(forgotten.ClaimId).Should().BeFalse("a reload replaces what was held");
        _index.Count.Should().Be(2);
    }

    [Fact]
    public void Reload_ThatFails_RefusesEveryCheckAndChangeUntilALoadSucceeds()
    {
        var kept = Claim("Kept Ltd", "kept.example");
        _index.Upsert(kept);

        FluentActions.Invoking(() => _index.Reload(() => throw new InvalidOperationException("disk gone"))).Should().Throw<InvalidOperationException>().WithMessage("disk gone");

        // What waited for the load must not be judged against an empty index.
        FluentActions.Invoking(() => _index.Contains(kept.ClaimId)).Should().Throw<ClaimsIndexUnavailableException>().WithInnerException<InvalidOperationException>();
        FluentActions.Invoking(() => _index.Find(kept.ClaimId)).Should().Throw<ClaimsIndexUnavailableException>();
        FluentActions.Invoking(() => _index.Upsert(Claim("After Ltd", "after.example"))).Should().Throw<ClaimsIndexUnavailableException>();
        FluentActions.Invoking(() => _index.Remove(kept.ClaimId)).Should().Throw<ClaimsIndexUnavailableException>();
        FluentActions.Invoking(() => new CustomerMatcher(_index).Match(new MatchQuery(kept.Customer, [], Now), MatchThresholds.Default))
            .Should().Throw<ClaimsIndexUnavailableException>();

        _index.Reload(() => [kept]);
        _index.Contains(kept.ClaimId).Should().BeTrue("a load that succeeds makes the index usable again");
    }

    private CustomerClaim Claim(string name, string domain) =>
        new(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(name, domain, "US", null), ["Cloud"], "submitted", Now, null);
}
