using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Referrals;

namespace CoSell.Application.Referrals;

/// <summary>Referrals a caller may list, newest first.</summary>
public sealed class ReferralsSpec : Specification<Referral>
{
    public ReferralsSpec(Guid? partnerId, ReferralDirection? direction, ReferralStatus? status, PageRequest? page, ListPlace? after = null, Guid? only = null)
    {
        Query.AsNoTracking();
        if (partnerId is { } partner)
        {
            Query.Where(r => r.PartnerId == partner);
        }

        if (direction is { } d)
        {
            Query.Where(r => r.Direction == d);
        }

        if (status is { } s)
        {
            Query.Where(r => r.Status == s);
        }

        Query.ReadsOn(r => r.CreatedAt, newestFirst: true, after, only);
        Query.Page(page);
    }
}

/// <summary>Pending referrals whose accept-by deadline has passed.</summary>
public sealed class ReferralsOverdueSpec : Specification<Referral>
{
    public ReferralsOverdueSpec(DateTimeOffset at, int batch) =>
        Query.Where(r => r.Status == ReferralStatus.Pending && r.AcceptBy <= at)
            .OrderBy(r => r.AcceptBy)
            .Take(batch);
}

/// <summary>A partner's referrals to the vendor that wait for an answer at <paramref name="at"/>: they follow the partner's channel manager.</summary>
public sealed class PendingReferralsToTheVendorSpec : Specification<Referral>
{
    public PendingReferralsToTheVendorSpec(Guid partnerId, DateTimeOffset at) =>
        Query.Where(r => r.PartnerId == partnerId && r.Direction == ReferralDirection.PartnerToVendor && r.Status == ReferralStatus.Pending && r.AcceptBy > at);
}
