using CoSell.Application.Abstractions;
using CoSell.Domain.Referrals;
using Mapster;

namespace CoSell.Application.Referrals;

/// <summary>A request about one referral.</summary>
public interface IReferralRequest
{
    Guid ReferralId { get; }
}

/// <summary>An answer only the referral's receiver gives (accept, decline, convert).</summary>
public interface IReferralReceiverAction : IReferralRequest;

/// <summary>
/// Walls referrals off: a partner sees its own organisation's referrals, and another's do not exist (404);
/// only the receiving side answers (403 for the sender).
/// </summary>
public sealed class ReferralAuthorizer<TRequest>(IRepository<Referral> referrals) : IResourceAuthorizer<TRequest>
    where TRequest : IReferralRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetByIdAsync(request.ReferralId, cancellationToken);
        if (referral is null || (user.IsPartner() && referral.PartnerId != user.PartnerId))
        {
            throw new NotFoundException("referral", request.ReferralId);
        }

        if (request is IReferralReceiverAction && !ReferralView.IsReceiver(referral, Viewer.Of(user)))
        {
            throw new ForbiddenException("Only the receiver of a referral accepts, declines or converts it.");
        }
    }
}

/// <summary>Maps a referral for the caller: its receiver reads the contact only once it accepted.</summary>
public sealed class ReferralView(TypeAdapterConfig mapping, ICurrentUser user)
{
    public ReferralDto For(Referral referral)
    {
        var dto = referral.Adapt<ReferralDto>(mapping);
        return IsReceiver(referral, Viewer.Of(user)) && !ReferralLifecycle.RevealsContact(referral.Status) ? dto with { Contact = null } : dto;
    }

    public static bool IsReceiver(Referral referral, Viewer viewer) =>
        referral.IsReceivedByPartner ? viewer.IsPartner && viewer.PartnerId == referral.PartnerId : viewer.IsVendor;
}
