using System.Globalization;

namespace CoSell.Domain.SeedWork;

/// <summary>
/// How a timeline line writes an instant and a date: in UTC, ISO 8601 and the invariant culture, so the never-rewritten
/// log reads the same whatever the host's culture.
/// </summary>
internal static class TimelineText
{
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
