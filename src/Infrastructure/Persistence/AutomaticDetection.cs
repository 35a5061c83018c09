using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CoSell.Infrastructure.Persistence;

/// <summary>Turns a context's automatic change detection off for a scope and back to what it was afterwards.</summary>
internal readonly struct AutomaticDetectionPause : IDisposable
{
    private readonly ChangeTracker _tracker;
    private readonly bool _was;

    public AutomaticDetectionPause(ChangeTracker tracker)
    {
        _tracker = tracker;
        _was = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
    }

    public void Dispose() => _tracker.AutoDetectChangesEnabled = _was;
}

internal static class AutomaticDetection
{
    /// <summary>For reads that must not detect changes, or for saving changes the caller has detected already.</summary>
    public static AutomaticDetectionPause Pause(this ChangeTracker tracker) => new(tracker);
}
