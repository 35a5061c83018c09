using CoSell.Infrastructure.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog.Events;

namespace CoSell.Web.Health;

/// <summary>Ready only once the claims index holds every live claim: until then duplicate checks and submissions wait.</summary>
public sealed class ClaimsIndexHealthCheck(ClaimsIndexStartup claims) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(claims.Loaded switch
        {
            { IsCompletedSuccessfully: true } loaded => HealthCheckResult.Healthy($"{loaded.Result} live claims"),
            { IsFaulted: true } failed => HealthCheckResult.Unhealthy("The claims index failed to load.", failed.Exception?.GetBaseException()),
            _ => HealthCheckResult.Unhealthy(Loading),
        });

    /// <summary>What the check says while the index loads.</summary>
    public const string Loading = "The claims index is loading.";

    /// <summary>
    /// Whether a log event is the health checks' Error entry for this check while the index loads: every start goes through
    /// it, and a probe every second of a long load would log an error each time, so the host drops it. A failed load is
    /// logged as ever.
    /// </summary>
    public static bool IsLoadingReport(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("HealthCheckDescription", out var description) && description is ScalarValue { Value: Loading }
        && logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService" };
}
