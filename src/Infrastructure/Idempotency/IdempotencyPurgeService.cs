using CoSell.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Idempotency;

/// <summary>Forgets Idempotency-Key records older than their 24-hour retention, hourly, on the injected clock.</summary>
public sealed class IdempotencyPurgeService(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyPurgeService> logger)
    : PeriodicJob(scopes, time, TimeSpan.FromHours(1), logger)
{
    protected override string Work => "Forgotten Idempotency-Key records";

    protected override Task<int> HandleNextBatchAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdempotencyStore>().PurgeAsync(cancellationToken);
}
