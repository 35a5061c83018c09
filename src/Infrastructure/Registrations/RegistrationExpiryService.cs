using CoSell.Application.Registrations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Registrations;

public sealed class ExpiryOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Expires approved registrations whose protection window has ended, on the injected <see cref="TimeProvider"/>.</summary>
public sealed class RegistrationExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<RegistrationExpiryService> logger)
    : BackgroundService
{
    // A run started by the timer and one started by hand would race to expire the same registrations.
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Expiring registrations failed; the next tick retries");
            }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _oneRunAtATime.WaitAsync(cancellationToken);
        try
        {
            return await ExpireAllDueAsync(cancellationToken);
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    public override void Dispose()
    {
        _oneRunAtATime.Dispose();
        base.Dispose();
    }

    private async Task<int> ExpireAllDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int expired;
        do
        {
            using var scope = scopes.CreateScope();
            expired = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireRegistrations(), cancellationToken);
            total += expired;
        }
        while (expired > 0);

        if (total > 0)
        {
            logger.LogInformation("Expired {Count} registrations", total);
        }

        return total;
    }
}
