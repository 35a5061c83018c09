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
/// <param name="Direction">A direction name, in any case.</param>
/// <param name="Status">A status name, in any case.</param>
/// <param name="After">The last page\'s <c>next</c> cursor, or the id of the last referral read: the list reads on from there (<see cref="ListPlace"/>).</param>
public sealed record ListReferrals(string? Direction, string? Status, int? Page, int? PageSize, string? After = null) : IQuery<Paged<ReferralDto>>;

public sealed class ListReferralsValidator : AbstractValidator<ListReferrals>
{
    public ListReferralsValidator()
    {
        RuleFor(r => r.Direction).EnumName<ListReferrals, ReferralDirection>();
        RuleFor(r => r.Status).EnumName<ListReferrals, ReferralStatus>();
    }
}

public sealed class ListReferralsHandler(IRepository<Referral> referrals, ICurrentUser user, ReferralView view) : IRequestHandler<ListReferrals, Paged<ReferralDto>>
{
    public async Task<Paged<ReferralDto>> Handle(ListReferrals request, CancellationToken cancellationToken)
    {
        var partner = user.IsPartner() ? user.PartnerId ?? Guid.Empty : (Guid?)null;
        var direction = EnumNames.Parse<ReferralDirection>(request.Direction);
        var status = EnumNames.Parse<ReferralStatus>(request.Status);
        var after = await referrals.PlaceOfAsync(request.After, ReadingList.Referrals, id => new ReferralsSpec(partner, null, null, null, only: id), r => r.CreatedAt, "referral", cancellationToken);

        var page = ListPlace.PageFrom(request.Page, request.PageSize, after);
        var items = await referrals.ListAsync(new ReferralsSpec(partner, direction, status, page, after), cancellationToken);
        var total = await referrals.CountAsync(new ReferralsSpec(partner, direction, status, null), cancellationToken);
        return new Paged<ReferralDto>(items.Select(view.For).ToList(), page.Page, page.PageSize, total, ListPlace.NextOf(ReadingList.Referrals, items, r => r.CreatedAt, x => x.Id));
    }
}
