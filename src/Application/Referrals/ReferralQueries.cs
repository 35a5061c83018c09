using CoSell.Application.Abstractions;
using CoSell.Domain.Referrals;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Referrals;

[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record GetReferral(Guid ReferralId) : IQuery<ReferralDto>, IReferralRequest;

public sealed class GetReferralHandler(IRepository<Referral> referrals, ReferralView view) : IRequestHandler<GetReferral, ReferralDto>
{
    public async Task<ReferralDto> Handle(GetReferral request, CancellationToken cancellationToken) =>
        view.For(await referrals.GetByIdAsync(request.ReferralId, cancellationToken) ?? throw new NotFoundException("referral", request.ReferralId));
}

/// <summary>Lists referrals: a partner sees its own organisation's (both directions), the vendor sees all.</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record ListReferrals(ReferralDirection? Direction, ReferralStatus? Status, int? Page, int? PageSize) : IQuery<Paged<ReferralDto>>;

public sealed class ListReferralsValidator : AbstractValidator<ListReferrals>
{
    public ListReferralsValidator()
    {
        RuleFor(r => r.Direction).IsInEnum();
        RuleFor(r => r.Status).IsInEnum();
    }
}

public sealed class ListReferralsHandler(IRepository<Referral> referrals, ICurrentUser user, ReferralView view) : IRequestHandler<ListReferrals, Paged<ReferralDto>>
{
    public async Task<Paged<ReferralDto>> Handle(ListReferrals request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var partner = user.IsPartner() ? user.PartnerId ?? Guid.Empty : (Guid?)null;
        var items = await referrals.ListAsync(new ReferralsSpec(partner, request.Direction, request.Status, page), cancellationToken);
        var total = await referrals.CountAsync(new ReferralsSpec(partner, request.Direction, request.Status, null), cancellationToken);
        return new Paged<ReferralDto>(items.Select(view.For).ToList(), page.Page, page.PageSize, total);
    }
}
