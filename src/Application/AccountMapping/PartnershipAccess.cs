using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Users;

namespace CoSell.Application.AccountMapping;

/// <summary>A request about one partnership.</summary>
public interface IPartnershipRequest
{
    Guid PartnershipId { get; }
}

/// <summary>Which side of account mapping the caller acts for: the vendor (its admins, channel managers and reps) or its own partner.</summary>
public static class MappingSides
{
    /// <summary>Roles that act for a side: opt in, pause, share, upload.</summary>
    public static readonly string[] Acting = [Roles.Admin, Roles.ChannelManager, Roles.Partner];

    /// <summary>Roles that read a side's results.</summary>
    public static readonly string[] Reading = [Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner];

    public static PartnershipSide SideOf(ICurrentUser user) => user.IsPartner() ? PartnershipSide.Partner : PartnershipSide.Vendor;

    /// <summary>The owner key of the caller's own lists.</summary>
    public static string OwnerOf(ICurrentUser user) => AccountList.OwnerOf(user.IsPartner() ? user.PartnerId : null);
}

/// <summary>A partnership exists only for the vendor and its own partner; to any other partner it is a 404.</summary>
public sealed class PartnershipAuthorizer<TRequest>(IRepository<Partnership> partnerships) : IResourceAuthorizer<TRequest>
    where TRequest : IPartnershipRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken);
        if (partnership is null || (user.IsPartner() && partnership.PartnerId != user.PartnerId))
        {
            throw new NotFoundException("partnership", request.PartnershipId);
        }
    }
}
