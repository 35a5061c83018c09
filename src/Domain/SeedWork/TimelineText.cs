using System.Globalization;

namespace CoSell.Domain.SeedWork;

/// <summary>
/// How a timeline line writes an instant and a date: in UTC, ISO 8601 and the invariant culture, so the never-rewritten
/// log reads the same whatever the host's culture.
/// </summary>
internal static class TimelineText
{
    /// <summary>
    /// To the tick, as the API's answers write it (no trailing zeros): a deadline cut to the second would name an instant
    /// before the one the service holds to, and read as passed while the deadline is still open.
    /// </summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
