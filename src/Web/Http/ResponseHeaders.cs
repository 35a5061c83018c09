using Microsoft.Net.Http.Headers;

namespace CoSell.Web.Http;

/// <summary>
/// Headers every answer carries, errors included: no content sniffing, and nothing of the API or the hub kept by a
/// browser or a shared cache (its answers are one caller's view of its tenant's data). Set as the answer starts, so
/// what clears the headers on the way (the exception handler) does not lose them.
/// </summary>
public sealed class ResponseHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs"))
            {
                headers.CacheControl = "no-store";
                headers.Remove(HeaderNames.Pragma);
                headers.Remove(HeaderNames.Expires);
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
