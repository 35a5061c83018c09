using CoSell.Infrastructure.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoSell.Web.Health;

/// <summary>Ready only once the claims index holds every live claim: until then duplicate checks and submissions wait.</summary>
public sealed class ClaimsIndexHealthCheck(ClaimsIndexStartup claims) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(claims.Loaded switch
        {
            { IsCompletedSuccessfully: true } loaded => HealthCheckResult.Healthy($"{loaded.Result} live claims"),
            { IsFaulted: true } failed => HealthCheckResult.Unhealthy("The claims index failed to load.", failed.Exception?.GetBaseException()),
            _ => HealthCheckResult.Unhealthy("The claims index is loading."),
        });
}
