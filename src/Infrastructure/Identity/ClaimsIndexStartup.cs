using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Identity;

/// <summary>
/// Loads the claims index on a thread of its own at start-up, so the service opens its port and warms up while the
/// claims are read. The index is held by the load from before <see cref="Start"/> returns
/// (<see cref="ClaimsIndex.Reload"/>): anything that touches it meanwhile waits for the whole index rather than seeing
/// part of it; API requests wait for <see cref="Loaded"/> before they start (WaitForClaimsIndex), and so does ready.
/// A service stopped during the load stops the load as it begins to stop (<see cref="Stop"/>), and waits for it once
/// its requests are done, so that its connections to the database close before the database file is let go: the last
/// to close moves the log into the file.
/// </summary>
public sealed class ClaimsIndexStartup(IServiceScopeFactory scopes, ILogger<ClaimsIndexStartup> logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;

    /// <summary>The load once started: its claim count, or why it failed.</summary>
    public Task<int>? Loaded { get; private set; }

    /// <summary>Whether the load started before the migrations check (a restart on a current schema).</summary>
    public bool StartedBeforeMigrations { get; private set; }

    /// <summary>Starts the load and returns once it holds the index.</summary>
    public Task<int> Start(bool beforeMigrations = false)
    {
        StartedBeforeMigrations = beforeMigrations;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loaded = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var scope = scopes.CreateScope();
                var count = scope.ServiceProvider.GetRequiredService<ClaimsIndexLoader>().Load(() => held.TrySetResult(), _stopping.Token);
                // The read leaves its rows behind as garbage: collect it and hand the memory back once, rather than
                // keep a heap sized for the start-up for the life of the process. API requests are still waiting for
                // the load (WaitForClaimsIndex), so the pause stops no request in flight.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                NativeHeap.Trim();
                loaded.SetResult(count);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The service stops: no failure of the load.
                loaded.SetCanceled();
            }
            catch (Exception ex)
            {
                logger.LogCritical(ex, "Loading the claims index failed");
                loaded.SetException(ex);
            }
            finally
            {
                held.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "Claims index load",
        };
        Loaded = loaded.Task;
        _thread = thread;
        thread.Start();
        held.Task.Wait();
        return loaded.Task;
    }

    /// <summary>
    /// Stops a load still running, as the service begins to stop: requests waiting for it are answered 503 at once rather
    /// than hold the stop until the load ends.
    /// </summary>
    public void Stop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped and disposed already.
        }
    }

    /// <summary>Stops a load still running, and waits for it to close its connections.</summary>
    public void Dispose()
    {
        Stop();
        if (_thread?.Join(TimeSpan.FromSeconds(30)) != false)
        {
            _stopping.Dispose();
        }
    }
}
