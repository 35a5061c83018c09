using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Idempotency;

/// <summary>Forgets Idempotency-Key records older than their 24-hour retention, hourly, on the injected clock.</summary>
public sealed class IdempotencyPurgeService(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    using var scope = scopes.CreateScope();
                    var purged = await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().PurgeAsync(stoppingToken);
                    logger.LogDebug("Purged {Count} idempotency records", purged);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Purging idempotency records failed; the next tick retries");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or disposed because the host never finished starting: not a failure of the job.
        }
    }
}
