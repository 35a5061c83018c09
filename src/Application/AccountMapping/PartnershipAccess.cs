using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;

namespace CoSell.Application.AccountMapping;

/// <summary>A request about one partnership.</summary>
public interface IPartnershipRequest
{
    Guid PartnershipId { get; }
}

/// <summary>A request for a partnership's results (its overlaps, white space, a referral from them), which no side has while its partner is suspended.</summary>
public interface IPartnershipResultsRequest : IPartnershipRequest;

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

    /// <summary>What a suspended partner's users hear when they ask for anything of account mapping but their own lists and partnership.</summary>
    public const string ClosedToSuspendedPartner =
        "A suspended partner's account mapping stays closed to it until it is reinstated: it reads no overlaps, uploads no list and changes no partnership.";

    /// <summary>What the vendor's users hear when they ask for the results of a suspended partner's partnership.</summary>
    public const string ClosedWhilePartnerSuspended = "This partnership's partner is suspended: its overlaps stay closed to both sides until the partner is reinstated.";

    /// <summary>
    /// The partner user's organisation, which must be active (409 <c>partner.suspended</c>) and still be when the change
    /// commits: a suspension committed meanwhile fails it (409 <c>partner.changed</c>).
    /// </summary>
    public static async Task<Partner> OwnActivePartnerForChangeAsync(this IRepository<Partner> partners, ICurrentUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partners);
        var partner = await partners.OwnActivePartnerAsync(user, ClosedToSuspendedPartner, cancellationToken);
        partners.RequireUnchanged(partner);
        return partner;
    }
}

/// <summary>
/// A partnership exists only for the vendor and its own partner; to any other partner it is a 404. While its partner is
/// suspended (409 <c>partner.suspended</c>) neither side reads its results, and the partner changes nothing of it; the
/// partner still reads the partnership and its own sharing, and the vendor still sets its own side.
/// </summary>
public sealed class PartnershipAuthorizer<TRequest>(IRepository<Partnership> partnerships, IRepository<Partner> partners) : IResourceAuthorizer<TRequest>
    where TRequest : IPartnershipRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken);
        if (partnership is null || (user.IsPartner() && partnership.PartnerId != user.PartnerId))
        {
            throw new NotFoundException("partnership", request.PartnershipId);
        }

        if (user.IsPartner() && request is IVersionedPartnershipRequest)
        {
            // A change the partner makes rests on the partner being active, up to its commit.
            await partners.OwnActivePartnerForChangeAsync(user, cancellationToken);
        }
        else if (request is IPartnershipResultsRequest && await partners.GetByIdAsync(partnership.PartnerId, cancellationToken) is { IsActive: false })
        {
            // A read answers as things stood when it began: a suspension committed while it runs does not cut it short.
            throw new DomainException("partner.suspended", user.IsPartner() ? MappingSides.ClosedToSuspendedPartner : MappingSides.ClosedWhilePartnerSuspended);
        }
    }
}
