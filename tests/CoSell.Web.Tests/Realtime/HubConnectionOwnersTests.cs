using CoSell.Web.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace CoSell.Web.Tests.Realtime;

public sealed class HubConnectionOwnersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AToken_IsOwnedOnlyByTheUserWhoNegotiatedIt()
    {
        using var owners = new HubConnectionOwners(_time);

        owners.Negotiated("token-1", "connection-1", "user-a");

        owners.IsOwnedBy("token-1", "user-a").Should().BeTrue();
        owners.IsOwnedBy("token-1", "user-b").Should().BeFalse();
        owners.IsOwnedBy("token-2", "user-a").Should().BeFalse("a token nobody negotiated is nobody's");
        owners.IsOwnedBy("connection-1", "user-a").Should().BeFalse("the connection id is not the token");
    }

    [Fact]
    public void AnEndedConnection_StaysItsOwners_UntilSignalRHasDroppedIt_ThenIsForgotten()
    {
        using var owners = new HubConnectionOwners(_time);
        owners.Negotiated("token-1", "connection-1", "user-a");
        owners.TryStart("connection-1", "user-a").Should().BeTrue();

        owners.Ended("connection-1");

        // SignalR keeps the transport for its next request, which carries what is still unsent (a long poll's close).
        owners.IsOwnedBy("token-1", "user-a").Should().BeTrue();
        owners.IsOwnedBy("token-1", "user-b").Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(30));
        owners.IsOwnedBy("token-1", "user-a").Should().BeTrue("SignalR keeps an ended connection up to 15 s; this is kept longer");

        _time.Advance(TimeSpan.FromSeconds(15));

        owners.IsOwnedBy("token-1", "user-a").Should().BeFalse();
        owners.Count.Should().Be(0);
    }

    [Fact]
    public void ANegotiationThatNeverStarted_IsForgottenOnceSignalRHasDroppedIt_WithoutAnotherNegotiation_AStartedOneIsKept()
    {
        using var owners = new HubConnectionOwners(_time);
        owners.Negotiated("unstarted", "connection-1", "user-a");
        owners.Negotiated("started", "connection-2", "user-a");
        owners.TryStart("connection-2", "user-a").Should().BeTrue();

        _time.Advance(TimeSpan.FromSeconds(20));
        owners.IsOwnedBy("unstarted", "user-a").Should().BeTrue("SignalR keeps an unstarted connection 15 s; this is kept longer");
        owners.Negotiated("later", "connection-3", "user-b");

        // Nothing else happens: the sweep runs on its own.
        _time.Advance(TimeSpan.FromSeconds(30));

        owners.IsOwnedBy("unstarted", "user-a").Should().BeFalse();
        owners.IsOwnedBy("started", "user-a").Should().BeTrue();
        owners.IsOwnedBy("later", "user-b").Should().BeTrue("it was negotiated 30 s ago, not more");
        owners.Count.Should().Be(2);

        _time.Advance(TimeSpan.FromSeconds(30));
        owners.Count.Should().Be(1, "only the started connection is left");
    }
}
