using CoSell.Application.Referrals;
using CoSell.Infrastructure.Registrations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Referrals;

/// <summary>Expires referrals left unanswered past their accept-by deadline, on the injected <see cref="TimeProvider"/>.</summary>
public sealed class ReferralExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<ReferralExpiryService> logger)
    : BackgroundService
{
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
                logger.LogError(ex, "Expiring referrals failed; the next tick retries");
            }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int expired;
        do
        {
            using var scope = scopes.CreateScope();
            expired = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireReferrals(), cancellationToken);
            total += expired;
        }
        while (expired > 0);

        if (total > 0)
        {
            logger.LogInformation("Expired {Count} referrals", total);
        }

        return total;
    }
}
