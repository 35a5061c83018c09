using System.Globalization;
using CoSell.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CoSell.Web.Identity;

/// <summary>
/// The settings a start cannot do without or cannot run with, checked together so that one refusal names every one
/// wrong: in every environment the database and the background intervals and limits, outside Development the tokens'
/// and account mapping's secrets too.
/// </summary>
public static class RequiredSettings
{
    /// <summary>The longest interval a background service waits between rounds (its timer takes at most 49 days).</summary>
    private static readonly TimeSpan LongestInterval = TimeSpan.FromDays(30);

    public static void Check(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string?>
        {
            DatabaseProblem(configuration),
            IntervalProblem(configuration, "Expiry:Interval"),
            IntervalProblem(configuration, "Escalation:Interval"),
            PositiveCountProblem(configuration, "DuplicateChecks:PermitPerMinute"),
        };
        if (!environment.IsDevelopment())
        {
            problems.Add(Authentication.Problem(configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()));
            problems.Add(AccountMappingSecret.Problem(configuration[AccountMappingSecret.Key]));
        }

        if (problems.OfType<string>().ToList() is { Count: > 0 } refused)
        {
            throw new StartupRefusedException(string.Join(Environment.NewLine, refused));
        }
    }

    private static string? DatabaseProblem(IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Problem() is { } problem)
        {
            return problem;
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(database.EffectiveConnectionString);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return $"Database:ConnectionString is not a SQLite connection string: {e.Message}";
        }
    }

    private static string? IntervalProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval >= TimeSpan.FromSeconds(1) && interval <= LongestInterval
                ? null
                : $"{key} is '{text}': set a time span from 00:00:01 to {LongestInterval.Days}.00:00:00 (days.hours:minutes:seconds).";

    private static string? PositiveCountProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? null
                : $"{key} is '{text}': set a whole number of 1 or more.";
}
