using CoSell.Application.Conflicts;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Conflicts;

public sealed class EscalationOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Escalates conflict cases past their SLA to the admins, once each, on the injected <see cref="TimeProvider"/>.</summary>
public sealed class ConflictEscalationService(IServiceScopeFactory scopes, TimeProvider time, IOptions<EscalationOptions> options, ILogger<ConflictEscalationService> logger)
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
                logger.LogError(ex, "Escalating overdue conflicts failed; the next tick retries");
            }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int escalated;
        do
        {
            using var scope = scopes.CreateScope();
            escalated = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EscalateOverdueConflicts(), cancellationToken);
            total += escalated;
        }
        while (escalated > 0);

        if (total > 0)
        {
            logger.LogWarning("Escalated {Count} overdue conflict cases to the admins", total);
        }

        return total;
    }
}
