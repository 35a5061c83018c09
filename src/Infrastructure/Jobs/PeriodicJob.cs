using CoSell.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Jobs;

/// <summary>
/// Runs batches of work as the service starts and then on a timer over the injected <see cref="TimeProvider"/> (so tests
/// move time), each batch in a scope of its own, again until a batch comes back empty. One run at a time: a timer tick and a run started by
/// hand never race over the same rows. A failed run is logged and the next tick retries.
/// </summary>
public abstract class PeriodicJob(IServiceScopeFactory scopes, TimeProvider time, TimeSpan interval, ILogger logger) : BackgroundService
{
    // Never disposed: a run still going when the host is disposed (a start that failed to bind runs the first one) lets
    // it go as it ends, and a semaphore whose wait handle is never asked for holds nothing to release.
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);

    /// <summary>What the job does, in words for the log ("expired registrations").</summary>
    protected abstract string Work { get; }

    /// <summary>Handles the next batch with the scope's services; answers how many rows it handled.</summary>
    protected abstract Task<int> HandleNextBatchAsync(IServiceProvider services, CancellationToken cancellationToken);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _oneRunAtATime.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            int handled;
            do
            {
                using var scope = scopes.CreateScope();
                try
                {
                    handled = await HandleNextBatchAsync(scope.ServiceProvider, cancellationToken);
                }
                catch (Exception failure)
                {
                    // A damaged file a job meets makes the service unready, as one a request meets does.
                    scope.ServiceProvider.GetService<StorageDamage>()?.Observe(failure);
                    throw;
                }
                total += handled;
            }
            while (handled > 0);

            if (total > 0)
            {
                logger.LogInformation("{Work}: {Count}", Work, total);
            }

            return total;
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            // Once as the service starts, then on every tick: what fell due while it was down (a case past its SLA, a
            // window that ended) is handled now, not a whole interval later, which a service restarted more often
            // than its interval would never reach.
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (ObjectDisposedException disposed)
                {
                    // Most often the host disposed under the run (a start that failed after the jobs began): said in
                    // one line, without a stack; the next tick, if the service goes on, retries.
                    logger.LogWarning("{Work} stopped short, something it used was disposed ({Disposed}); the next tick retries", Work, disposed.ObjectName);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "{Work} failed; the next tick retries", Work);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or disposed because the host never finished starting: not a failure of the job.
        }
    }
}
