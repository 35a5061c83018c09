using System.Security.Claims;
using System.Threading.RateLimiting;
using CoSell.Application.DuplicateChecks;
using CoSell.Domain.Users;
using CoSell.Web.Http;
using CoSell.Web.Identity;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CoSell.Web.Endpoints;

public static class DuplicateCheckEndpoints
{
    public const string RateLimitPolicy = "duplicate-checks";

    public static IEndpointRouteBuilder MapDuplicateCheckEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/duplicate-checks", Check)
            .WithTags("Duplicate checks")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicy)
            .WithSummary("Check a customer against every live claim: verdict for partners, matches with reasons for vendor roles");
        return api;
    }

    /// <summary>Checks are limited per partner organisation (per user for vendor roles), so the route cannot enumerate a rival's customers.</summary>
    public static IServiceCollection AddDuplicateCheckRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("DuplicateChecks:PermitPerMinute", 30);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                // The wait until the oldest check held runs out, in whole seconds rounded up: a retry then is let through.
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : RollingMinuteLimiter.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many duplicate checks.",
                        Detail = $"Duplicate checks are limited to {perMinute} in any minute for {(PartnerOf(context.HttpContext.User) is not null ? "each partner organisation" : "each vendor user")}; try again in {seconds} second{(seconds == 1 ? string.Empty : "s")}.",
                        Extensions = { ["code"] = "duplicate_check.rate_limited" },
                    },
                });
            };
            options.AddPolicy(RateLimitPolicy, http =>
            {
                // A partner's organisation, however its token spells the id; a vendor user itself, whatever partner_id
                // its token may also carry (sign-in refuses a partner token without a readable one).
                var user = http.User;
                var key = PartnerOf(user) is { } partner ? $"partner:{partner:D}" : $"user:{user.CoSellUserId()}";
                var time = http.RequestServices.GetRequiredService<TimeProvider>();
                return RateLimitPartition.Get(key, _ => new RollingMinuteLimiter(perMinute, time));
            });
        });
        return services;
    }

    private static async Task<Ok<DuplicateCheckResult>> Check(CheckForDuplicates body, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(body, ct));

    private static Guid? PartnerOf(ClaimsPrincipal user) =>
        user.FindFirstValue(CoSellClaims.Role) == Roles.Partner && Guid.TryParse(user.FindFirstValue(CoSellClaims.PartnerId), out var partner) ? partner : null;
}
