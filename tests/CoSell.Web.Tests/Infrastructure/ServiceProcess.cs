using System.Diagnostics;
using System.Text;
using FluentAssertions;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>
/// The built service run as an operator runs it: its own process, in a folder of its own, with the environment given,
/// on a free loopback port. What it writes to its console is kept.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _read;

    private ServiceProcess(Process process)
    {
        _process = process;
        _read = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
    }

    /// <summary>The folder the service runs in, and keeps its database in unless told otherwise.</summary>
    public required string Folder { get; init; }

    public string DatabasePath => Path.Combine(Folder, "cosell.db");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServiceProcess Start(string folder, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["Database__Path"] = Path.Combine(folder, "cosell.db");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!) { Folder = folder };
    }

    /// <summary>The address it listens on, once it does.</summary>
    public Task<string> ListeningAsync() => _listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Its exit code, once it has stopped of itself.</summary>
    public async Task<int> ExitedAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await _read;
        return _process.ExitCode;
    }

    /// <summary>Stops it as a service manager does (SIGTERM), and returns its exit code once it has.</summary>
    public async Task<int> StopAsync()
    {
        kill(_process.Id, Terminate).Should().Be(0, "the process is there to be stopped");
        return await ExitedAsync();
    }

    private const int Terminate = 15;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.IndexOf("Now listening on: ", StringComparison.Ordinal) is var at and >= 0)
            {
                _listening.TrySetResult(line[(at + "Now listening on: ".Length)..].Trim().TrimEnd('"', '}'));
            }
        }

        _listening.TrySetException(new InvalidOperationException($"The service stopped without listening:{Environment.NewLine}{Output}"));
    }
}
