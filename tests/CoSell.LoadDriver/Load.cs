using System.Diagnostics;

namespace CoSell.LoadDriver;

/// <summary>What one measured phase achieved.</summary>
internal sealed record PhaseResult(string Name, int Clients, long Operations, long Errors, TimeSpan Measured, double[] LatenciesMs, IReadOnlyList<string> ErrorSamples)
{
    public double PerSecond => Operations / Measured.TotalSeconds;

    /// <summary>CPU the service (or, for raw inserts, the driver) spent in the measured window.</summary>
    public TimeSpan ServiceCpu { get; init; }

    /// <summary>CPU the driver itself spent in the measured window.</summary>
    public TimeSpan DriverCpu { get; init; }

    public double ServiceCpuMsPerOp => Operations == 0 ? double.NaN : ServiceCpu.TotalMilliseconds / Operations;

    public double DriverCpuMsPerOp => Operations == 0 ? double.NaN : DriverCpu.TotalMilliseconds / Operations;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(rank, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>
/// A closed-loop load: each client runs one operation after the other for the warm-up and then the measured
/// window. Operations that complete inside the window are counted and their latencies kept.
/// </summary>
internal static class Load
{
    /// <summary>An operation returns null on success or a short description of what went wrong.</summary>
    public delegate Task<string?> Operation(int client, long sequence, CancellationToken cancellationToken);

    public static async Task<PhaseResult> RunAsync(string name, int clients, TimeSpan warmup, TimeSpan duration, Operation operation, Func<TimeSpan>? serviceCpu = null)
    {
        var clock = Stopwatch.StartNew();
        var driver = Process.GetCurrentProcess();
        var cpu = Task.Run(async () =>
        {
            await Task.Delay(warmup);
            driver.Refresh();
            var (service0, driver0) = (serviceCpu?.Invoke() ?? TimeSpan.Zero, driver.TotalProcessorTime);
            await Task.Delay(duration);
            driver.Refresh();
            return (Service: (serviceCpu?.Invoke() ?? TimeSpan.Zero) - service0, Driver: driver.TotalProcessorTime - driver0);
        });
        var windowStart = warmup;
        var windowEnd = warmup + duration;
        var latencies = new List<double>[clients];
        var errorSamples = new List<string>();
        long errors = 0;

        var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<double>(capacity: 64 * 1024);
            long sequence = 0;
            while (clock.Elapsed < windowEnd)
            {
                var started = clock.Elapsed;
                string? error;
                try
                {
                    error = await operation(client, sequence++, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or Microsoft.Data.Sqlite.SqliteException)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }

                var ended = clock.Elapsed;
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    lock (errorSamples)
                    {
                        if (errorSamples.Count < 5)
                        {
                            errorSamples.Add(error);
                        }
                    }
                }
                else if (ended >= windowStart && ended <= windowEnd)
                {
                    mine.Add((ended - started).TotalMilliseconds);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var (serviceTime, driverTime) = await cpu;

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new PhaseResult(name, clients, all.Length, errors, duration, all, errorSamples) { ServiceCpu = serviceTime, DriverCpu = driverTime };
    }
}
