using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Identity;

namespace CoSell.Web.Health;

/// <summary>
/// API requests that arrive while the claims index loads after start-up wait for it here, without holding a thread,
/// rather than block on the index inside a handler; liveness and readiness do not wait. Once the load has failed,
/// they get 503 (the service is stopping).
/// </summary>
public sealed class WaitForClaimsIndex(RequestDelegate next, ClaimsIndexStartup claims)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (claims.Loaded is { IsCompletedSuccessfully: false } loading && context.Request.Path.StartsWithSegments("/api"))
        {
            try
            {
                await loading.WaitAsync(context.RequestAborted);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The load failed, or the service is stopping and stopped it.
                throw new ClaimsIndexUnavailableException(e);
            }
        }

        await next(context);
    }
}
