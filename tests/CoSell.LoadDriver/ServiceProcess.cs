using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CoSell.LoadDriver;

/// <summary>The web service under test, run as a child process on a loopback port.</summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    // USER_HZ: 100 on every Linux platform .NET runs on.
    private const int ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the service and waits until <c>/health/ready</c> answers 200; returns the time that took.</summary>
    public static async Task<(ServiceProcess Service, TimeSpan Ready)> StartAsync(ServiceSettings settings, string logPath)
    {
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var apphost = Path.Combine(settings.WebDirectory, "CoSell.Web");
        var info = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet", [Path.Combine(settings.WebDirectory, "CoSell.Web.dll")]);
        info.WorkingDirectory = settings.WebDirectory;
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        info.Environment["Database__Path"] = settings.DatabasePath;
        info.Environment["Auth__Issuer"] = settings.Issuer;
        info.Environment["Auth__Audience"] = settings.Audience;
        info.Environment["Auth__SigningKey"] = settings.SigningKey;
        info.Environment["AccountMapping__Secret"] = settings.AccountMappingSecret;

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);

        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, log, baseAddress);

        using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {process.ExitCode} before it was ready; see {logPath}.");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (service, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await service.DisposeAsync();
                throw new TimeoutException($"The service was not ready within 60 s; see {logPath}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Resident set size, its peak and its anonymous (heap, not mapped files) part, in KiB, from /proc.</summary>
    public MemoryReading Memory()
    {
        long rss = 0, peak = 0, anonymous = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = ParseKb(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = ParseKb(line);
            }
        }

        return new MemoryReading(rss, peak, anonymous);
    }

    /// <summary>User and system CPU time the service has used so far, from /proc.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>Asks the service to shut down gracefully (SIGTERM), killing it if it does not within 30 s.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static long ParseKb(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>Memory of the service in KiB: resident, peak resident, and the anonymous part of resident.</summary>
internal readonly record struct MemoryReading(long RssKb, long PeakKb, long AnonymousKb);

/// <summary>How the service under test is configured.</summary>
/// <summary>What a deployment keeps from one start to the next: its file, token settings and account-mapping secret.</summary>
internal sealed record ServiceSettings(string WebDirectory, string DatabasePath, string Issuer, string Audience, string SigningKey, string AccountMappingSecret);
