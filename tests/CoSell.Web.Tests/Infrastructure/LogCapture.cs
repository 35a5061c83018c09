using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>The host's log events, kept for a test to read (Serilog picks up every ILogEventSink the container holds).</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>The events at <paramref name="level"/> or above, rendered as the console would show them.</summary>
    public IReadOnlyList<string> AtOrAbove(LogEventLevel level) =>
        [.. Events.Where(e => e.Level >= level).Select(e => $"{e.Level} {e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {e.Exception?.GetType().Name}")];
}
