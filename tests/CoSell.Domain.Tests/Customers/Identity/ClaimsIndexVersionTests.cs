using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>Changes carry the version of the aggregate they come from; one older than what the index applied is ignored.</summary>
public sealed class ClaimsIndexVersionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;
    private readonly ClaimsIndex _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public void AnOlderUpsert_AfterTheRemovalThatEndedTheClaim_IsIgnored()
    {
        var claim = Claim("Crossed Wires Ltd", "crossed-wires.example", "submitted");
        _index.Upsert(claim, version: 2).Should().BeTrue();

        _index.Remove(claim.ClaimId, version: 4).Should().BeTrue();
        _index.Upsert(claim with { Status = "approved" }, version: 3).Should().BeFalse("the approval's news came after the close it preceded");

        _index.Contains(claim.ClaimId).Should().BeFalse();
        _index.Upsert(claim with { Status = "submitted" }, version: 5).Should().BeTrue("a resubmission is newer than the close");
        _index.Contains(claim.ClaimId).Should().BeTrue();
    }

    [Fact]
    public void AnOlderUpsert_DoesNotReplaceANewerOne_AndTheSameVersionAppliesAgain()
    {
        var claim = Claim("Late News Corp", "late-news.example", "approved");
        _index.Upsert(claim, version: 7);

        _index.Upsert(claim with { Status = "submitted" }, version: 6).Should().BeFalse();
        _index.Find(claim.ClaimId)!.Status.Should().Be("approved");

        // One commit raises several events (submitted, then approved at once): each applies the state it left.
        _index.Upsert(claim, version: 7).Should().BeTrue();
        _index.Remove(claim.ClaimId, version: 6).Should().BeFalse();
        _index.Contains(claim.ClaimId).Should().BeTrue();
    }

    [Fact]
    public void AClaimChangedAgain_IsNotForgottenWhenItsEarlierChangeLeavesTheWindow()
    {
        var watched = Claim("Long Memory Ltd", "long-memory.example", "submitted");
        _index.Upsert(watched, version: 1);
        for (var i = 0; i < ClaimsIndex.RecentChangesKept - 2; i++)
        {
            _index.Remove(Guid.NewGuid(), version: 1);
        }

        _index.Remove(watched.ClaimId, version: 2).Should().BeTrue();

        // The first change of the watched claim leaves the window now; its latest one must stay remembered.
        _index.Remove(Guid.NewGuid(), version: 1);
        _index.Upsert(watched, version: 1).Should().BeFalse();
        _index.Contains(watched.ClaimId).Should().BeFalse();
    }

    [Fact]
    public void EventsOfOneCommit_TakeOnePlaceInTheWindow()
    {
        var busy = Claim("Many Events Ltd", "many-events.example", "approved");
        for (var i = 0; i < ClaimsIndex.RecentChangesKept; i++)
        {
            _index.Upsert(busy, version: 3).Should().BeTrue("each event of the commit applies the state it left");
        }

        for (var i = 0; i < ClaimsIndex.RecentChangesKept - 1; i++)
        {
            _index.Remove(Guid.NewGuid(), version: 1);
        }

        _index.Upsert(busy with { Status = "submitted" }, version: 2).Should().BeFalse("the commit's one place is still in the window");
        _index.Find(busy.ClaimId)!.Status.Should().Be("approved");
    }

    [Fact]
    public void AChangeOutOfTheWindow_IsAppliedAsItComes()
    {
        var old = Claim("Ancient History Ltd", "ancient-history.example", "submitted");
        _index.Remove(old.ClaimId, version: 9);
        for (var i = 0; i < ClaimsIndex.RecentChangesKept; i++)
        {
            _index.Remove(Guid.NewGuid(), version: 1);
        }

        _index.Upsert(old, version: 3).Should().BeTrue("the index remembers only the latest changes");
    }

    private CustomerClaim Claim(string name, string domain, string status) =>
        new(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(name, domain, "US", null), ["Cloud"], status, Now, null);
}
