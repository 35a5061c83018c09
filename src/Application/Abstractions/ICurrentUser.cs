using CoSell.Domain.Users;

namespace CoSell.Application.Abstractions;

/// <summary>The signed-in user a request acts for.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The user's id (the token's <c>sub</c>).</summary>
    string UserId { get; }

    string Role { get; }

    /// <summary>Set for partner users only.</summary>
    Guid? PartnerId { get; }
}

public static class CurrentUserExtensions
{
    public static bool IsPartner(this ICurrentUser user) => user.Role == Roles.Partner;

    public static bool IsVendor(this ICurrentUser user) => Roles.IsVendor(user.Role);

    public static bool IsAdmin(this ICurrentUser user) => user.Role == Roles.Admin;

    public static Guid? UserGuid(this ICurrentUser user) => Guid.TryParse(user.UserId, out var id) ? id : null;

    /// <summary>The user's id when it is a channel manager's, else <c>null</c>.</summary>
    public static Guid? ChannelManagerGuid(this ICurrentUser user) => user.Role == Roles.ChannelManager ? user.UserGuid() : null;

    /// <summary>The partner whose own view the caller reads (a timeline, a list), or null when the vendor reads it whole.</summary>
    public static Guid? PartnerView(this ICurrentUser user) => user.IsPartner() ? user.PartnerId ?? Guid.Empty : null;
}
