using System.Security.Claims;
using CoSell.Application.Abstractions;
using CoSell.Domain.Users;

namespace CoSell.Web.Identity;

/// <summary>The signed-in user of the current HTTP request or hub call.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    private (ClaimsPrincipal? Principal, string Id) _mapped;

    /// <summary>The id the token's subject gives, mapped once per signed-in principal (a request reads it many times).</summary>
    public string UserId
    {
        get
        {
            var principal = Principal;
            if (_mapped.Id is null || !ReferenceEquals(_mapped.Principal, principal))
            {
                _mapped = (principal, principal.CoSellUserId());
            }

            return _mapped.Id;
        }
    }

    public string Role => Principal?.FindFirstValue(CoSellClaims.Role) ?? string.Empty;

    public Guid? PartnerId => Guid.TryParse(Principal?.FindFirstValue(CoSellClaims.PartnerId), out var id) ? id : null;
}

public static class CoSellClaims
{
    /// <summary>
    /// CoSell's id of the signed-in user, from its token's subject (<see cref="UserIds"/>): the subject when it is a
    /// GUID, otherwise the GUID derived from it; empty when there is none.
    /// </summary>
    public static string CoSellUserId(this ClaimsPrincipal? principal) =>
        principal?.FindFirstValue(Subject) is { Length: > 0 } subject ? UserIds.FromSubject(subject).ToString() : string.Empty;

    public const string Subject = "sub";
    public const string Role = "role";
    public const string PartnerId = "partner_id";
    public const string Name = "name";
}
