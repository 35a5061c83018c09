using CoSell.Infrastructure.Persistence;
using CoSell.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Web.Endpoints;

/// <summary>Development-only sign-in as a demo user; not mapped in any other environment.</summary>
public static class DevTokenEndpoints
{
    /// <param name="User">A user name; a body without one is refused like an unknown user (dev.unknown_user).</param>
    public sealed record TokenRequest([property: System.ComponentModel.DataAnnotations.Required] string? User);

    public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, Guid UserId, string Role, Guid? PartnerId);

    public static IEndpointRouteBuilder MapDevTokenEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/dev/token", Issue).WithTags("Development").AllowAnonymous().WithSummary("Sign in as a demo user (Development only)");
        return api;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Issue(TokenRequest body, CoSellDbContext db, TokenIssuer issuer, CancellationToken ct)
    {
        var name = body.User?.Trim();
        // The column compares without case (user names are unique in any case); a demo user is named exactly.
        var user = string.IsNullOrEmpty(name) || name.Length > 100 ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == name, ct);
        user = user?.UserName == name ? user : null;
        if (user is { IsActive: false })
        {
            return TypedResults.Problem(
                statusCode: 400,
                title: "The user is deactivated.",
                detail: $"'{user.UserName}' is deactivated; an admin reactivates it with PATCH /api/v1/users/{user.Id}.",
                extensions: new Dictionary<string, object?> { ["code"] = "dev.user_inactive" });
        }

        if (user is null)
        {
            return TypedResults.Problem(
                statusCode: 400,
                title: "Unknown demo user.",
                detail: "Use one of the demo users listed in the README (admin, manager, manager2, arbiter, rep, partner.northwind, partner.fabrikam, partner.adatum) or a user an admin added.",
                extensions: new Dictionary<string, object?> { ["code"] = "dev.unknown_user" });
        }

        var (token, expires) = issuer.Issue(user);
        return TypedResults.Ok(new TokenResponse(token, expires, user.Id, user.Role, user.PartnerId));
    }
}
