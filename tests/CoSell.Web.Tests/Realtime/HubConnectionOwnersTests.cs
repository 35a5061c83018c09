using CoSell.Web.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace CoSell.Web.Tests.Realtime;

public sealed class HubConnectionOwnersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AToken_IsOwnedOnlyByTheUserWhoNegotiatedIt()
    {
        var owners = new HubConnectionOwners(_time);

        owners.Negotiated("token-1", "connection-1", "user-a");

        owners.IsOwnedBy("token-1", "user-a").Should().BeTrue();
        owners.IsOwnedBy("token-1", "user-b").Should().BeFalse();
        owners.IsOwnedBy("token-2", "user-a").Should().BeFalse("a token nobody negotiated is nobody's");
        owners.IsOwnedBy("connection-1", "user-a").Should().BeFalse("the connection id is not the token");
    }

    [Fact]
    public void AnEndedConnection_IsForgotten()
    {
        var owners = new HubConnectionOwners(_time);
        owners.Negotiated("token-1", "connection-1", "user-a");
        owners.Started("connection-1");

        owners.Ended("connection-1");

        owners.IsOwnedBy("token-1", "user-a").Should().BeFalse();
        owners.Count.Should().Be(0);
    }

    [Fact]
    public void ANegotiationThatNeverStarted_IsForgottenAfterTwoMinutes_AStartedOneIsKept()
    {
        var owners = new HubConnectionOwners(_time);
        owners.Negotiated("unstarted", "connection-1", "user-a");
        owners.Negotiated("started", "connection-2", "user-a");
        owners.Started("connection-2");

        _time.Advance(TimeSpan.FromMinutes(1));
        owners.Negotiated("later", "connection-3", "user-b");
        owners.IsOwnedBy("unstarted", "user-a").Should().BeTrue("two minutes have not passed");

        _time.Advance(TimeSpan.FromMinutes(1.5));
        owners.Negotiated("latest", "connection-4", "user-b");

        owners.IsOwnedBy("unstarted", "user-a").Should().BeFalse();
        owners.IsOwnedBy("started", "user-a").Should().BeTrue();
        owners.IsOwnedBy("later", "user-b").Should().BeTrue("it was negotiated 1.5 minutes ago");
        owners.Count.Should().Be(3);
    }
}
