using System.Globalization;

namespace CoSell.LoadDriver;

/// <summary>
/// <c>--rows N</c> stored registrations (100000), <c>--clients N</c> (32), <c>--warmup S</c> before the create+submit window (15),
/// <c>--duration S</c> of each measured window (20), <c>--idle S</c> before each memory reading (5), <c>--out FILE</c>,
/// <c>--keep</c> the working folder, <c>--attach S</c> pauses so a profiler can attach to the service (0).
/// The service is published in Release with ReadyToRun, as it is deployed; <c>--no-publish</c> runs a plain
/// <c>dotnet build</c> output instead, <c>--no-build</c> runs the existing build output, <c>--web DIR</c> runs the service in DIR.
/// </summary>
internal sealed record DriverOptions
{
    public int Rows { get; init; } = 100_000;

    public int Clients { get; init; } = 32;

    /// <summary>Before the create+submit window: long enough for the JIT to finish optimising the request path.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Before the other windows, whose code paths are short or already warm.</summary>
    public TimeSpan ShortWarmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);

    public bool Build { get; init; } = true;

    public bool Publish { get; init; } = true;

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
                "--no-build" => options with { Build = false, Publish = false },
                "--no-publish" => options with { Publish = false },
                "--keep" => options with { Keep = true },
                "--attach" => options with { Attach = Seconds(Next()) },
                "--out" => options with { Output = Path.GetFullPath(Next()) },
                "--web" => options with { Web = Path.GetFullPath(Next()), Build = false, Publish = false },
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
