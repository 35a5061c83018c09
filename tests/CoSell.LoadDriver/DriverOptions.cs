using System.Globalization;

namespace CoSell.LoadDriver;

/// <summary>
/// <c>--rows N</c> stored registrations (100000), <c>--clients N</c> (32), <c>--warmup S</c> (5), <c>--duration S</c> (20),
/// <c>--idle S</c> before each memory reading (5), <c>--no-build</c>, <c>--out FILE</c>, <c>--keep</c> the working folder,
/// <c>--web DIR</c> runs an already built service from DIR, <c>--attach S</c> seconds to wait before the HTTP load so a profiler can attach to the service (0).
/// </summary>
internal sealed record DriverOptions
{
    public int Rows { get; init; } = 100_000;

    public int Clients { get; init; } = 32;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);

    public bool Build { get; init; } = true;

    public bool Keep { get; init; }

    public TimeSpan Attach { get; init; }

    public string? Output { get; init; }

    /// <summary>A folder holding a built or published CoSell.Web to run instead of building one.</summary>
    public string? Web { get; init; }

    public static DriverOptions Parse(string[] args)
    {
        var options = new DriverOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--rows" => options with { Rows = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = Seconds(Next()) },
                "--duration" => options with { Duration = Seconds(Next()) },
                "--idle" => options with { Idle = Seconds(Next()) },
                "--no-build" => options with { Build = false },
                "--keep" => options with { Keep = true },
                "--attach" => options with { Attach = Seconds(Next()) },
                "--out" => options with { Output = Path.GetFullPath(Next()) },
                "--web" => options with { Web = Path.GetFullPath(Next()), Build = false },
                var other => throw new ArgumentException($"Unknown option {other}."),
            };
        }

        return options;
    }

    /// <summary>The folder holding CoSell.sln, from the working directory or the driver's own location.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CoSell.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the driver from inside the CoSell repository.");
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
