using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoSell.Web.Health;

/// <summary>
/// The readiness probe's answer: its status in plain text, as the framework writes it, and when unready (starting, or its
/// storage gone) a <c>Retry-After</c>, as every 503 of the API carries.
/// </summary>
public static class ReadinessAnswer
{
    public const string RetryAfterSeconds = "5";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
