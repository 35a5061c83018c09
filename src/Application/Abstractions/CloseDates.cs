namespace CoSell.Application.Abstractions;

/// <summary>When a deal may be expected to close: from today (UTC) to five years on, today read once.</summary>
public static class CloseDates
{
    public static bool FromTodayToFiveYears(DateOnly? date, TimeProvider time) =>
        date is { } day && DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) is var today && day >= today && day <= today.AddYears(5);
}
