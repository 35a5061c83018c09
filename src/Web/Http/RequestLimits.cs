namespace CoSell.Web.Http;

/// <summary>Refuses bodies over the limit before anything reads them (413), whatever server hosts the app.</summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaximumBodyBytes = 256 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaximumBodyBytes)
        {
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        }

        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = MaximumBodyBytes;
        }

        return next(context);
    }
}
