using CoSell.Application.Opportunities;
using CoSell.Infrastructure.Registrations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Opportunities;

/// <summary>Expires co-sell invitations left unanswered past the rules' SLA, on the injected <see cref="TimeProvider"/>.</summary>
public sealed class InvitationExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<InvitationExpiryService> logger)
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
                logger.LogError(ex, "Expiring invitations failed; the next tick retries");
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
            expired = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExpireInvitations(), cancellationToken);
            total += expired;
        }
        while (expired > 0);

        if (total > 0)
        {
            logger.LogInformation("Expired {Count} co-sell invitations", total);
        }

        return total;
    }
}
