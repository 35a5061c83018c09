using System.Threading.RateLimiting;

namespace CoSell.Web.Http;

/// <summary>
/// At most <c>limit</c> permits in any sixty seconds: each permit is held until a minute after it was given, so a burst
/// at the end of one minute and another at the start of the next share one minute's permits (a fixed window would let
/// both through, twice the limit within seconds). A refusal carries the wait until the oldest permit held runs out.
/// Nothing is queued. Time is the provider's monotonic timestamp, not the wall clock, which a correction can step back.
/// </summary>
public sealed class RollingMinuteLimiter(int limit, TimeProvider time) : RateLimiter
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Queue<long> _given = new();
    private long _succeeded;
    private long _failed;

    /// <summary>Idle once it holds no permit: a limiter made afresh then is the same, so the partitions may drop it.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_given)
            {
                Expire();
                return _given.Count == 0 ? Window : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_given)
        {
            Expire();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = limit - _given.Count,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _succeeded,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, limit);
        lock (_given)
        {
            Expire();
            var now = time.GetTimestamp();
            if (_given.Count + permitCount <= limit)
            {
                for (var i = 0; i < permitCount; i++)
                {
                    _given.Enqueue(now);
                }

                _succeeded++;
                return Lease.Acquired;
            }

            _failed++;
            // The permits needed come free as the oldest ones held run out, the last of them a minute after it was given.
            var freeing = _given.ElementAt(_given.Count + permitCount - limit - 1);
            var wait = Window - time.GetElapsedTime(freeing);
            return new Lease(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Window ? Window : wait);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Expire()
    {
        while (_given.TryPeek(out var given) && time.GetElapsedTime(given) >= Window)
        {
            _given.Dequeue();
        }
    }

    private sealed class Lease : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        private readonly TimeSpan? _retryAfter;

        public Lease(TimeSpan? retryAfter) => _retryAfter = retryAfter;

        public override bool IsAcquired => _retryAfter is null;

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? _retryAfter : null;
            return metadata is not null;
        }
    }
}
