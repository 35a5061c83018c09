using CoSell.Domain.Users;

namespace CoSell.Application.Abstractions;

/// <summary>Who is looking: the facts of a signed-in user that access rules need, from a request or a hub connection.</summary>
public sealed record Viewer(string UserId, string Role, Guid? PartnerId)
{
    public bool IsPartner => Role == Roles.Partner;

    public bool IsVendor => Roles.IsVendor(Role);

    public Guid? UserGuid => Guid.TryParse(UserId, out var id) ? id : null;

    public static Viewer Of(ICurrentUser user) => new(user.UserId, user.Role, user.IsPartner() ? user.PartnerId : null);
}

/// <summary>
/// A request made for the viewer it names, where no HTTP request carries the signed-in user (a hub call): the
/// pipeline's log names that viewer.
/// </summary>
public interface IMadeForViewer
{
    Viewer Viewer { get; }
}
