using System.Reflection;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Settings.Configuration;

namespace CoSell.Web.Identity;

/// <summary>
/// The <c>Serilog</c> settings a start cannot run with. Serilog reads them only as the host builds, and then either fails
/// with a stack trace (a level that is not one, a switch nobody declared, an argument it cannot convert) or leaves out,
/// saying so only in its own diagnostic log, what it cannot call (a sink without its <c>path</c>, an enricher this build
/// does not have, a file it cannot open), so that the service runs without the log it was given. Each is refused here.
/// </summary>
public static partial class LogSettings
{
    /// <summary>
    /// The assemblies whose methods <c>Serilog:WriteTo</c>, <c>Enrich</c>, <c>Filter</c> and <c>Destructure</c> may name:
    /// Serilog's own (<c>FromLogContext</c>, <c>ToMaximumDepth</c>), the console and files. Naming them spares Serilog
    /// from opening every DLL in the folder to look for them (ADR 0011).
    /// </summary>
    public static readonly Assembly[] Assemblies =
        [typeof(LoggerConfiguration).Assembly, typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly];

    /// <summary>The sections of Serilog's settings that name methods, read (and refused) each on its own.</summary>
    private static readonly string[] Calls = ["WriteTo", "AuditTo", "Enrich", "Filter", "Destructure"];

    /// <summary>What the sections that name methods may refer to: switches, and the assemblies to look in.</summary>
    private static readonly string[] Referred = ["LevelSwitches", "FilterSwitches", "Using"];

    /// <summary>How Serilog's diagnostic log begins a method it leaves out because none of its overloads take the arguments given.</summary>
    private const string UnmatchedMethod = "Unable to find a method called ";

    /// <summary>How Serilog's diagnostic log begins a file sink it leaves out because its file cannot be opened.</summary>
    private const string UnopenedFile = "Unable to open file sink for ";

    private static readonly string[] LeftOut = [UnmatchedMethod, UnopenedFile];

    /// <summary>The wrong Serilog settings, a line for the levels and one for the sinks: what they name is built only once both are right.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        var levels = LevelProblem(configuration);
        var sinks = SinkProblem(configuration);
        var arguments = LevelArgumentProblem(configuration);
        return levels is null && sinks is null && arguments is null
            ? CallProblem(configuration) is { } call ? [call] : []
            : new[] { levels, sinks, arguments }.OfType<string>();
    }

    /// <summary>
    /// Serilog's levels: the plain <c>Serilog:MinimumLevel</c> (which Serilog reads first), its <c>Default</c>, each
    /// override (which may name a level switch, <c>$name</c>), <c>ControlledBy</c> (which names one) and each switch,
    /// whose name Serilog takes with or without its <c>$</c>.
    /// </summary>
    private static string? LevelProblem(IConfiguration configuration)
    {
        var levels = configuration.GetSection("Serilog:MinimumLevel");
        var defaultLevel = levels.GetSection("Default");
        var overrides = levels.GetSection("Override").GetChildren().ToList();
        var declared = configuration.GetSection("Serilog:LevelSwitches").GetChildren().ToList();
        var named = new List<(string Key, string? Value, bool MaySwitch)> { (levels.Path, levels.Value, false), (defaultLevel.Path, defaultLevel.Value, false) };
        named.AddRange(overrides.Select(o => (o.Path, o.Value, true)));
        named.AddRange(declared.Select(s => (s.Path, s.Value, false)));
        // By name only: Serilog also takes a number, any number, and one past Fatal would write no line at all.
        var wrong = named.Where(l => !string.IsNullOrEmpty(l.Value) && !(l.MaySwitch && l.Value.StartsWith('$')) && !IsLevelName(l.Value))
            .Select(l => $"{l.Key} is '{l.Value}'").ToList();
        // Left empty (an environment variable set to nothing), the level Serilog reads is no level; an override or a
        // switch left empty Serilog passes over. The plain level holds "" in some sources when it holds a Default.
        if (defaultLevel.Value is "")
        {
            wrong.Add($"{defaultLevel.Path} is ''");
        }

        if (levels.Value is "" && !levels.GetChildren().Any())
        {
            wrong.Add($"{levels.Path} is ''");
        }

        var badNames = declared.Where(s => !SwitchName().IsMatch(s.Key))
            .Select(s => $"Serilog:LevelSwitches names a switch '{s.Key}': a switch's name is a letter, then letters or digits, after an optional '$'")
            .Concat(overrides.Where(o => string.IsNullOrWhiteSpace(o.Key))
                .Select(o => $"{o.Path} overrides the level of no source: name the source (a namespace, CoSell or Microsoft.AspNetCore) after Override"))
            .Concat(configuration.GetSection("Serilog:Properties").GetChildren().Where(p => string.IsNullOrWhiteSpace(p.Key))
                .Select(p => $"{p.Path} names no property: name it after Properties")).ToList();
        if (badNames.Count > 0)
        {
            return string.Join(", ", badNames.Concat(wrong)) + ".";
        }

        var switches = declared.Select(s => s.Key.StartsWith('$') ? s.Key : "$" + s.Key).ToHashSet(StringComparer.Ordinal);
        var controlledBy = levels.GetSection("ControlledBy");
        var undeclared = named.Where(l => l.MaySwitch && l.Value is ['$', ..]).Append((Key: controlledBy.Path, controlledBy.Value, MaySwitch: true))
            .Where(l => !string.IsNullOrEmpty(l.Value) && !switches.Contains(l.Value))
            .Select(l => $"{l.Key} names the level switch '{l.Value}', which Serilog:LevelSwitches does not declare").ToList();
        return (wrong.Count, undeclared.Count) switch
        {
            (0, 0) => null,
            (0, _) => $"{string.Join(", ", undeclared)}: declare it there (a reference is its name with a '$'), or set a level.",
            _ => $"{string.Join(", ", wrong.Concat(undeclared))}: set one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.",
        };
    }

    private static bool IsLevelName(string value) =>
        Enum.GetNames<LogEventLevel>().Any(name => name.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A sink Serilog would not find among <see cref="Assemblies"/>, an argument no method of its name takes, or a level
    /// argument given as a number: Serilog leaves out the first, passes over the second without a word, and takes any
    /// number for a level, one past Fatal writing no line at all.
    /// </summary>
    private static string? SinkProblem(IConfiguration configuration)
    {
        var problems = new[] { ("WriteTo", "LoggerSinkConfiguration"), ("AuditTo", "LoggerAuditSinkConfiguration") }
            .Select(s => SinkProblem(configuration.GetSection($"Serilog:{s.Item1}").GetChildren().ToList(), s.Item2))
            .OfType<string>()
            .ToList();
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static string? SinkProblem(List<IConfigurationSection> sinks, string configurationType)
    {
        if (sinks.Count == 0)
        {
            // The plain console: nothing to look up, and no reflection over the sink assemblies at every start.
            return null;
        }

        var methods = MethodsTaking(configurationType);
        var unknown = sinks
            .Select(sink => (sink.Path, Name: sink["Name"] ?? sink.Value))
            .Where(sink => sink.Name is null || !methods.Contains(sink.Name))
            .Select(sink => $"{sink.Path} names the sink '{sink.Name}'")
            .ToList();
        if (unknown.Count > 0)
        {
            return $"{string.Join(", ", unknown)}: this build writes logs with {string.Join(" or ", methods.Select(m => m.Key).Order(StringComparer.Ordinal))}.";
        }

        var given = sinks.Select(sink => (Args: sink.GetSection("Args"), Overloads: methods[sink["Name"] ?? sink.Value!].ToList()))
            .Select(sink => (sink.Args, Given: sink.Args.GetChildren().ToList(), sink.Overloads))
            .ToList();
        bool Takes(MethodInfo method, string argument) => method.GetParameters().Skip(1).Any(p => argument.Equals(p.Name, StringComparison.OrdinalIgnoreCase));
        var untaken = given
            // Where no method has every argument it needs, Serilog says so itself (read when the section is built, below).
            .Where(sink => sink.Given.Count > 0
                && sink.Overloads.Exists(m => m.GetParameters().Skip(1).Where(p => !p.IsOptional).All(p => sink.Given.Exists(a => a.Key.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
                && !sink.Overloads.Exists(m => sink.Given.TrueForAll(a => Takes(m, a.Key))))
            .Select(sink => $"{sink.Args.Path} gives {string.Join(", ", sink.Given.Select(a => $"'{a.Key}'"))}, which no one method of the sink takes together " +
                $"(it takes {string.Join("; or ", sink.Overloads.Select(m => string.Join(", ", m.GetParameters().Skip(1).Select(p => p.Name))).Distinct())})");
        var levels = NumberedLevels(given.Select(sink => (sink.Given, sink.Overloads)));
        return untaken.Concat(levels).ToList() is { Count: > 0 } wrong ? $"{string.Join(", ", wrong)}." : null;
    }

    /// <summary>
    /// An enricher's or filter's level argument given as a number (<c>AtLevel</c>'s <c>enrichFromLevel</c>), which Serilog
    /// takes however large; what they name, and their other arguments, Serilog refuses itself when the section is built.
    /// </summary>
    private static string? LevelArgumentProblem(IConfiguration configuration)
    {
        var wrong = new[] { ("Enrich", "LoggerEnrichmentConfiguration"), ("Filter", "LoggerFilterConfiguration") }
            // No reflection over the assemblies at a start that names no enricher or filter.
            .Where(section => configuration.GetSection($"Serilog:{section.Item1}").GetChildren().Any())
            .SelectMany(section =>
            {
                // Serilog's own (AtLevel, When) are the configuration's methods, not extensions of it.
                var methods = Assemblies.SelectMany(a => a.GetExportedTypes()).Where(t => t.Name == section.Item2)
                    .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                    .Concat(MethodsTaking(section.Item2).SelectMany(m => m))
                    .ToLookup(m => m.Name, StringComparer.OrdinalIgnoreCase);
                return NumberedLevels(configuration.GetSection($"Serilog:{section.Item1}").GetChildren()
                    .Select(call => (call.GetSection("Args").GetChildren().ToList(), methods[call["Name"] ?? call.Value ?? ""].ToList())));
            })
            .ToList();
        return wrong.Count == 0 ? null : $"{string.Join(", ", wrong)}.";
    }

    /// <summary>The public static methods of <see cref="Assemblies"/> that configure what their first parameter's type names, by name.</summary>
    private static ILookup<string, MethodInfo> MethodsTaking(string configurationType) =>
        Assemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetParameters() is [var first, ..] && first.ParameterType.Name == configurationType)
            .ToLookup(m => m.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Arguments a method of their call takes as a level, given as a number. A value that is no level at all Serilog
    /// refuses itself (read when the section is built, below); a number it takes, one past Fatal writing nothing.
    /// </summary>
    private static IEnumerable<string> NumberedLevels(IEnumerable<(List<IConfigurationSection> Given, List<MethodInfo> Overloads)> calls) =>
        calls.SelectMany(call => call.Given.Where(a => a.Value is { Length: > 0 } value && !IsLevelName(value) && Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out _)
                && call.Overloads.Exists(m => m.GetParameters().Any(p => a.Key.Equals(p.Name, StringComparison.OrdinalIgnoreCase) && (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) == typeof(LogEventLevel)))))
            .Select(a => $"{a.Path} is '{a.Value}': set one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}");

    /// <summary>
    /// The arguments of what each section names (a level, a formatter, a theme, a path) are read only when the logger is
    /// built: each section is built once here, on its own so that a refusal names it, and let go.
    /// </summary>
    private static string? CallProblem(IConfiguration configuration)
    {
        foreach (var name in Calls)
        {
            var section = configuration.GetSection($"Serilog:{name}");
            if (!section.GetChildren().Any())
            {
                continue;
            }

            var alone = new ConfigurationBuilder()
                .AddInMemoryCollection(Referred.Select(r => configuration.GetSection($"Serilog:{r}")).Prepend(section)
                    // Only the values: some sources (the host's settings) give the sections that hold them a value "" too.
                    .SelectMany(s => s.AsEnumerable()).Where(setting => setting.Value is not null && !configuration.GetSection(setting.Key).GetChildren().Any()))
                .Build();
            if (BuildProblem(alone) is { } problem)
            {
                return $"{section.Path} cannot be read: {problem} Correct or remove that setting.";
            }
        }

        return null;
    }

    private static string? BuildProblem(IConfiguration alone)
    {
        var leftOut = new List<string>();
        SelfLog.Enable(message =>
        {
            foreach (var start in LeftOut)
            {
                if (message.IndexOf(start, StringComparison.OrdinalIgnoreCase) is var at and >= 0)
                {
                    // One line: Serilog writes each candidate method on a line of its own, and an exception (its first line
                    // says what failed) with its stack.
                    var lines = message[at..].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    var line = lines.Length == 1 ? lines[0] : start == UnmatchedMethod ? $"{lines[0]} {string.Join("; ", lines[1..])}." : $"{lines[0]}: {lines[1]}";
                    lock (leftOut)
                    {
                        leftOut.Add(line);
                    }
                }
            }
        });
        try
        {
            using var logger = new LoggerConfiguration()
                .ReadFrom.Configuration(alone, new ConfigurationReaderOptions(Assemblies))
                .CreateLogger();
        }
        catch (Exception e) when (Cause(e) is ArgumentException or FormatException or InvalidOperationException or InvalidCastException or TypeLoadException or MissingMethodException or IOException or UnauthorizedAccessException)
        {
            return Cause(e).Message;
        }
        finally
        {
            SelfLog.Disable();
        }

        return leftOut.Count == 0 ? null : string.Join(" ", leftOut);
    }

    /// <summary>
    /// What went wrong: Serilog calls a sink's or an enricher's method by reflection, so what the method itself refused
    /// (a file size limit of 0, a negative depth) comes wrapped.
    /// </summary>
    private static Exception Cause(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? Cause(inner) : e;

    /// <summary>The names Serilog takes for a switch.</summary>
    [GeneratedRegex(@"^\$?[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex SwitchName();
}
