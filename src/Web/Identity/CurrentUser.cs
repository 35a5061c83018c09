using System.Security.Claims;
using CoSell.Application.Abstractions;

namespace CoSell.Web.Identity;

/// <summary>The signed-in user of the current HTTP request or hub call.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public string UserId => Principal?.FindFirstValue(CoSellClaims.Subject) ?? string.Empty;

    public string Role => Principal?.FindFirstValue(CoSellClaims.Role) ?? string.Empty;

    public Guid? PartnerId => Guid.TryParse(Principal?.FindFirstValue(CoSellClaims.PartnerId), out var id) ? id : null;
}

public static class CoSellClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string PartnerId = "partner_id";
    public const string Name = "name";
}
