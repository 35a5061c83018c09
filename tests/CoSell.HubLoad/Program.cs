using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CoSell.HubLoad;
using Microsoft.AspNetCore.SignalR.Client;

// A bounded load driver on loopback: N pairs (a rep and a partner) co-selling N opportunities, each with a hub
// connection watching its opportunity. Measures, for the same payload in the same run:
//   1. an update through the API (PATCH) until both parties' clients have the OpportunityChanged message;
//   2. a bare hub broadcast (a client asks a hub with nothing behind it to broadcast to the pair's group).
if (args.Length > 0 && args[0] == "bare-server")
{
    await BareHubServer.RunAsync(args[1..]);
    return 0;
}

var options = LoadOptions.Parse(args);
var loadBefore = Machine.LoadAverage();
ThreadPool.SetMinThreads(Math.Max(64, options.Pairs / 8), Math.Max(64, options.Pairs / 8));
var report = new Report(options);
Console.WriteLine($"CoSell hub load: {options.Pairs} opportunities, {options.Pairs * 2} hub connections, {options.Updates} measured updates per level, concurrency {string.Join("/", options.Concurrency)}");

var directory = Directory.CreateTempSubdirectory("cosell-hubload-").FullName;
var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
var tokens = new Tokens("cosell-hubload", "cosell", signingKey);
var environment = new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Database__Path"] = Path.Combine(directory, "cosell.db"),
    ["Database__Synchronous"] = options.Synchronous,
    ["Auth__Issuer"] = "cosell-hubload",
    ["Auth__Audience"] = "cosell",
    ["Auth__SigningKey"] = signingKey,
    ["AccountMapping__Secret"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    ["Serilog__MinimumLevel__Default"] = "Warning",
    ["Expiry__Interval"] = "01:00:00",
};

OpportunityChangedMessage? sample;
try
{
    // Phase 1: the service.
    await using (var service = await ChildProcess.StartAsync(options.WebDll, string.Empty, environment, "/health/ready"))
    {
        Console.WriteLine($"Service pid {service.Id} at {service.BaseAddress}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var api = new ServiceApi(http, tokens);
        var started = Stopwatch.GetTimestamp();
        var pairs = await api.SeedAsync(options.Pairs, options.SeedParallelism);
        report.SeedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"Seeded {pairs.Count} partners and co-sold opportunities in {report.SeedSeconds:0.0} s");

        var arrivals = new Arrivals();
        started = Stopwatch.GetTimestamp();
        await using var fleet = await HubFleet.ConnectAsync(new Uri(service.BaseAddress, "/hubs/cosell"), pairs, p => (tokens.Mint(p.RepId, "rep"), tokens.Mint(p.PartnerUserId, "partner", p.PartnerId)), arrivals);
        await fleet.InvokeAllAsync((pair, connection) => connection.InvokeAsync("WatchOpportunity", pair.OpportunityId));
        report.ConnectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"Connected and watching: {fleet.Count} connections in {report.ConnectSeconds:0.0} s");

        foreach (var concurrency in options.Concurrency)
        {
            await Measure.RunAsync(pairs, options.Warmup, concurrency, pair => api.UpdateAsync(pair, arrivals), null);
            var (total, http1, after) = (new List<double>(), new List<double>(), new List<double>());
            await Measure.RunAsync(pairs, options.Updates, concurrency, pair => api.UpdateAsync(pair, arrivals), (t, h) =>
            {
                lock (total)
                {
                    total.Add(t);
                    http1.Add(h);
                    after.Add(t - h);
                }
            });
            report.Add("API update → both clients", concurrency, total);
            report.Add("  the PATCH round trip alone", concurrency, http1);
            report.Add("  both clients vs the PATCH answer (< 0: before it)", concurrency, after);
            Console.WriteLine(report.Last(3));
        }

        sample = arrivals.LastMessage;
    }

    // Phase 2: the bare hub, the same number of connections and groups, the same payload.
    var payload = sample ?? throw new InvalidOperationException("No OpportunityChanged message arrived.");
    Console.WriteLine($"Payload: {System.Text.Json.JsonSerializer.Serialize(payload, Json.Options).Length} bytes of JSON");
    report.PayloadBytes = System.Text.Json.JsonSerializer.Serialize(payload, Json.Options).Length;
    await using (var bare = await ChildProcess.StartAsync(typeof(BareHub).Assembly.Location, "bare-server", new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "/health/ready"))
    {
        var pairs = Enumerable.Range(0, options.Pairs).Select(i => new Pair(i, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid())).ToList();
        var arrivals = new Arrivals();
        await using var fleet = await HubFleet.ConnectAsync(new Uri(bare.BaseAddress, "/hubs/bare"), pairs, _ => (null, null), arrivals);
        await fleet.InvokeAllAsync((pair, connection) => connection.InvokeAsync("Join", Pair.Group(pair)));
        Console.WriteLine($"Bare hub pid {bare.Id}: {fleet.Count} connections joined");

        foreach (var concurrency in options.Concurrency)
        {
            await Measure.RunAsync(pairs, options.Warmup, concurrency, pair => HubFleet.BroadcastAsync(pair, payload, arrivals), null);
            var total = new List<double>();
            await Measure.RunAsync(pairs, options.Updates, concurrency, pair => HubFleet.BroadcastAsync(pair, payload, arrivals), (t, _) =>
            {
                lock (total)
                {
                    total.Add(t);
                }
            });
            report.Add("Bare hub broadcast → both clients", concurrency, total);
            Console.WriteLine(report.Last(1));
        }
    }
}
finally
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (IOException)
    {
    }
}

report.LoadAverage = $"{loadBefore} before, {Machine.LoadAverage()} after";
Console.WriteLine();
Console.WriteLine(report.Markdown());
return report.TargetsMet ? 0 : 1;

internal sealed record LoadOptions(int Pairs, int Updates, int Warmup, IReadOnlyList<int> Concurrency, int SeedParallelism, string WebDll, string Synchronous)
{
    /// <summary>
    /// The options as given, each in its range; an option the driver does not know is refused rather than passed over
    /// (a misspelt one would start a full default run). No more updates are in flight than there are pairs, since two
    /// never run on one pair at once.
    /// </summary>
    public static LoadOptions Parse(string[] args)
    {
        int pairs = 500, updates = 1000, warmup = 5000;
        IReadOnlyList<int> concurrency = [1, 8];
        string? web = null;
        var synchronous = "FULL";
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--pairs": pairs = Number(); break;
                case "--updates": updates = Number(); break;
                case "--warmup": warmup = Number(); break;
                case "--concurrency": concurrency = Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList(); break;
                case "--web": web = Next(); break;
                case "--synchronous": synchronous = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: give --pairs, --updates, --warmup, --concurrency, --web or --synchronous.");
            }
        }

        pairs = Math.Clamp(pairs, 1, 5000);
        return new LoadOptions(
            pairs,
            Math.Clamp(updates, 1, 100_000),
            // Enough for tiered compilation to settle: with a few hundred, the runtime is still recompiling hot code at tier 1
            // while the window is measured, and a 2-core machine shows that as bursts of slow updates.
            Math.Clamp(warmup, 0, 20_000),
            concurrency.Select(c => Math.Clamp(c, 1, Math.Min(64, pairs))).ToList(),
            8,
            Path.GetFullPath(web ?? FindWebDll()),
            synchronous);
    }

    private static string FindWebDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Web", "bin", "Release", "net10.0", "CoSell.Web.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Build the service first: dotnet build -c Release src/Web (or pass --web path/to/CoSell.Web.dll).");
    }
}

internal static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? string.Empty : $" ({cpu})")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1-minute load average: the machine is shared, so the figures say how busy it was.</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
