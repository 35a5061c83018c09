using System.Globalization;
using CoSell.Application.AccountMapping;
using CoSell.Infrastructure;
using Serilog;
using Serilog.Events;

namespace CoSell.Web.Identity;

/// <summary>
/// The settings a start cannot do without or cannot run with, checked together so that one refusal names every one
/// wrong: in every environment the database, the background intervals and limits, account mapping's limits, the form
/// of a token authority, the log levels and every value's type; outside Development the tokens' and account mapping's
/// secrets too, and in Development a signing key, when one is set, as long as anywhere.
/// </summary>
public static class RequiredSettings
{
    /// <summary>The longest interval a background service waits between rounds (its timer takes at most 49 days).</summary>
    private static readonly TimeSpan LongestInterval = TimeSpan.FromDays(30);

    /// <returns>The database settings as bound here, so that the start binds them once.</returns>
    public static DatabaseOptions Check(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string?>
        {
            Bound<DatabaseOptions>(configuration, DatabaseOptions.Section, out var database) ?? database!.Problem(),
            IntervalProblem(configuration, "Expiry:Interval"),
            IntervalProblem(configuration, "Escalation:Interval"),
            PositiveCountProblem(configuration, "DuplicateChecks:PermitPerMinute"),
            Bound<AuthOptions>(configuration, AuthOptions.Section, out var auth) ?? Authentication.AuthorityProblem(auth!),
            auth is null ? null : TokenLifetimeProblem(auth),
            LogLevelProblem(configuration),
            LogSinkProblem(configuration),
        };
        problems.AddRange(Bound<AccountMappingOptions>(configuration, AccountMappingOptions.Section, out var mapping) is { } unbound ? [unbound] : mapping!.Problems());
        if (!environment.IsDevelopment())
        {
            problems.Add(auth is null ? null : Authentication.Problem(auth));
            problems.Add(AccountMappingSecret.Problem(configuration[AccountMappingSecret.Key]));
        }
        else
        {
            problems.Add(auth is null ? null : Authentication.DevelopmentSigningKeyProblem(auth));
            problems.Add(AccountMappingSecret.DevelopmentProblem(configuration[AccountMappingSecret.Key]));
        }

        if (problems.OfType<string>().ToList() is { Count: > 0 } refused)
        {
            throw new StartupRefusedException(string.Join(Environment.NewLine, refused));
        }

        return database!;
    }

    /// <summary>
    /// The assemblies of the sinks the service writes logs to (the console, files), the ones <c>Serilog:WriteTo</c> may
    /// name: naming them spares Serilog from opening every DLL in the folder to look for them (ADR 0011).
    /// </summary>
    public static readonly System.Reflection.Assembly[] LogSinkAssemblies =
        [typeof(Serilog.ConsoleLoggerConfigurationExtensions).Assembly, typeof(Serilog.FileLoggerConfigurationExtensions).Assembly];

    /// <summary>How Serilog's diagnostic log begins a sink it leaves out because no method of it takes the arguments given.</summary>
    private const string UnmatchedSink = "Unable to find a method called ";

    /// <summary>A sink Serilog would not find among <see cref="LogSinkAssemblies"/>, and would leave out without a word.</summary>
    private static string? LogSinkProblem(IConfiguration configuration)
    {
        var sinks = configuration.GetSection("Serilog:WriteTo").GetChildren().ToList();
        if (sinks.Count == 0)
        {
            // The plain console: nothing to look up, and no reflection over the sink assemblies at every start.
            return null;
        }

        var known = LogSinkAssemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(m => m.GetParameters() is [{ ParameterType.Name: "LoggerSinkConfiguration" }, ..])
            .Select(m => m.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = sinks
            .Select(sink => (sink.Path, Name: sink["Name"] ?? sink.Value))
            .Where(sink => sink.Name is null || !known.Contains(sink.Name))
            .Select(sink => $"{sink.Path} names the sink '{sink.Name}'")
            .ToList();
        if (unknown.Count > 0)
        {
            return $"{string.Join(", ", unknown)}: this build writes logs with {string.Join(" or ", known.Order(StringComparer.Ordinal))}.";
        }

        // A sink's arguments (a level, a formatter, a theme) are read only when the logger is built, which would fail the
        // host's build with a stack trace: the sinks are built once here, and let go, so that a wrong one refuses the start.
        // A sink whose arguments match none of its methods (a File sink without its "path") Serilog leaves out, saying so
        // only to its own diagnostic log: that is listened to while the sinks are built.
        var unmatched = new List<string>();
        Serilog.Debugging.SelfLog.Enable(message =>
        {
            if (message.IndexOf(UnmatchedSink, StringComparison.Ordinal) is var at and >= 0)
            {
                // One line: Serilog writes each candidate method on a line of its own.
                var lines = message[at..].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                lock (unmatched)
                {
                    unmatched.Add(lines.Length == 1 ? lines[0] : $"{lines[0]} {string.Join("; ", lines[1..])}.");
                }
            }
        });
        try
        {
            using var logger = new Serilog.LoggerConfiguration()
                .ReadFrom.Configuration(configuration, new Serilog.Settings.Configuration.ConfigurationReaderOptions(LogSinkAssemblies))
                .CreateLogger();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or InvalidCastException or TypeLoadException or MissingMethodException or IOException or UnauthorizedAccessException)
        {
            return $"Serilog:WriteTo cannot be read: {e.Message} Correct or remove that setting.";
        }
        finally
        {
            Serilog.Debugging.SelfLog.Disable();
        }

        return unmatched.Count == 0 ? null : $"Serilog:WriteTo cannot be read: {string.Join(" ", unmatched)} Correct or remove that setting.";
    }

    /// <summary>A section read into its options, or why it cannot be: a value of the wrong type (a time span of 'xyz').</summary>
    private static string? Bound<T>(IConfiguration configuration, string section, out T? options)
        where T : class, new()
    {
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
            return null;
        }
        catch (InvalidOperationException e)
        {
            options = null;
            return $"{e.Message} Correct or remove that setting.";
        }
    }

    /// <summary>
    /// Serilog's levels, which Serilog itself would refuse with a stack trace once the host builds: the plain
    /// <c>Serilog:MinimumLevel</c> (which Serilog reads first), its <c>Default</c>, each override (which may name a level
    /// switch, <c>$name</c>) and each level switch.
    /// </summary>
    private static string? LogLevelProblem(IConfiguration configuration)
    {
        var levels = configuration.GetSection("Serilog:MinimumLevel");
        var named = new List<(string Key, string? Value, bool MaySwitch)> { (levels.Path, levels.Value, false), ($"{levels.Path}:Default", levels["Default"], false) };
        named.AddRange(levels.GetSection("Override").GetChildren().Select(o => (o.Path, o.Value, true)));
        named.AddRange(configuration.GetSection("Serilog:LevelSwitches").GetChildren().Select(s => (s.Path, s.Value, false)));
        var wrong = named.Where(l => !string.IsNullOrEmpty(l.Value) && !(l.MaySwitch && l.Value.StartsWith('$')) && !Enum.TryParse<LogEventLevel>(l.Value, ignoreCase: true, out _))
            .Select(l => $"{l.Key} is '{l.Value}'").ToList();
        var switches = configuration.GetSection("Serilog:LevelSwitches").GetChildren().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var undeclared = named.Where(l => l.MaySwitch && l.Value is ['$', ..] && !switches.Contains(l.Value))
            .Select(l => $"{l.Key} names the level switch '{l.Value}', which Serilog:LevelSwitches does not declare").ToList();
        return (wrong.Count, undeclared.Count) switch
        {
            (0, 0) => null,
            (0, _) => $"{string.Join(", ", undeclared)}: declare it there, or set a level.",
            _ => $"{string.Join(", ", wrong.Concat(undeclared))}: set one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.",
        };
    }

    private static string? IntervalProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval >= TimeSpan.FromSeconds(1) && interval <= LongestInterval
                ? null
                : $"{key} is '{text}': set a time span from 00:00:01 to {LongestInterval.Days}.00:00:00 (days.hours:minutes:seconds).";

    /// <summary>A Development token that expires as it is issued, or lives for months, is no token a developer wants.</summary>
    private static string? TokenLifetimeProblem(AuthOptions auth) =>
        auth.TokenLifetime >= TimeSpan.FromMinutes(1) && auth.TokenLifetime <= LongestInterval
            ? null
            : $"Auth:TokenLifetime is '{auth.TokenLifetime.ToString("c", CultureInfo.InvariantCulture)}': set a time span from 00:01:00 to {LongestInterval.Days}.00:00:00 (days.hours:minutes:seconds).";

    private static string? PositiveCountProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? null
                : $"{key} is '{text}': set a whole number of 1 or more.";
}
