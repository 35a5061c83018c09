using System.Threading.RateLimiting;
using CoSell.Web.Http;

namespace CoSell.Web.Tests;

/// <summary>The duplicate-check limiter counts on the monotonic timestamp: a wall clock stepped back or forward changes nothing.</summary>
public sealed class RollingMinuteLimiterTests
{
    [Fact]
    public void AWallClockSteppedBack_NeitherLocksOutNorStretchesTheWait()
    {
        var clock = new SteppingClock();
        using var limiter = new RollingMinuteLimiter(1, clock);
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();

        clock.Now -= TimeSpan.FromHours(1);
        clock.Elapse(TimeSpan.FromSeconds(30));
        using var refused = limiter.AttemptAcquire();

        refused.IsAcquired.Should().BeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var wait).Should().BeTrue();
        wait.Should().Be(TimeSpan.FromSeconds(30), "half the minute has passed, whatever the wall clock says");

        clock.Now += TimeSpan.FromDays(1);
        limiter.AttemptAcquire().IsAcquired.Should().BeFalse("a wall clock stepped forward frees nothing either");
        clock.Elapse(TimeSpan.FromSeconds(30));
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();
    }

    /// <summary>A wall clock that may step either way, beside a timestamp that only moves on.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks;

        public DateTimeOffset Now { get; set; } = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => Now;

        public override long GetTimestamp() => _ticks;

        public void Elapse(TimeSpan time) => _ticks += time.Ticks;
    }
}
