using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Opportunities;

[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetOpportunity(Guid OpportunityId) : IQuery<OpportunityDto>, IOpportunityRequest;

public sealed class GetOpportunityHandler(IRepository<Opportunity> opportunities, OpportunityView view) : IRequestHandler<GetOpportunity, OpportunityDto>
{
    public async Task<OpportunityDto> Handle(GetOpportunity request, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.GetByIdAsync(request.OpportunityId, cancellationToken)
            ?? throw new NotFoundException("opportunity", request.OpportunityId);
        return view.For(opportunity);
    }
}

/// <summary>Lists the opportunities the caller may see: a partner's by participation, a rep's by ownership, all for the rest of the vendor.</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
/// <param name="Stage">A stage name, in any case.</param>
/// <param name="After">The last page\'s <c>next</c> cursor, or the id of the last opportunity read: the list reads on from there (<see cref="ListPlace"/>).</param>
public sealed record ListOpportunities(string? Stage, int? Page, int? PageSize, string? After = null) : IQuery<Paged<OpportunityDto>>;

public sealed class ListOpportunitiesValidator : AbstractValidator<ListOpportunities>
{
    public ListOpportunitiesValidator() => RuleFor(r => r.Stage).EnumName<ListOpportunities, OpportunityStage>();
}

public sealed class ListOpportunitiesHandler(IRepository<Opportunity> opportunities, IRepository<Partner> partners, ICurrentUser user, OpportunityView view, TimeProvider time)
    : IRequestHandler<ListOpportunities, Paged<OpportunityDto>>
{
    public async Task<Paged<OpportunityDto>> Handle(ListOpportunities request, CancellationToken cancellationToken)
    {
        if (user.IsPartner())
        {
            // The list shows what each opportunity holds, so a suspended partner reads it no more than one opportunity; a
            // partner this service does not know participates in none, and reads an empty list.
            await partners.RefuseSuspendedOwnPartnerAsync(user, OpportunityPolicy.ClosedToSuspended, cancellationToken);
        }

        var partner = user.PartnerView();
        var owner = user.Role == Roles.Rep ? user.UserGuid() ?? Guid.Empty : (Guid?)null;
        var stage = EnumNames.Parse<OpportunityStage>(request.Stage);
        var now = time.GetUtcNow();
        var after = await opportunities.PlaceOfAsync(request.After, ReadingList.Opportunities, id => new OpportunitiesSpec(partner, owner, null, now, null, only: id), o => o.CreatedAt, "opportunity", cancellationToken);

        var page = ListPlace.PageFrom(request.Page, request.PageSize, after);
        var items = await opportunities.ListAsync(new OpportunitiesSpec(partner, owner, stage, now, page, after), cancellationToken);
        var total = await opportunities.CountAsync(new OpportunitiesSpec(partner, owner, stage, now, null), cancellationToken);
        return new Paged<OpportunityDto>(items.Select(view.For).ToList(), page.Page, page.PageSize, total, ListPlace.NextOf(ReadingList.Opportunities, items, o => o.CreatedAt, x => x.Id));
    }
}

/// <summary>The opportunity's timeline, oldest first: a partner reads the shared entries and those about itself, never internal notes.</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetOpportunityTimeline(Guid OpportunityId, int? Page, int? PageSize) : IQuery<Paged<TimelineEntry>>, IParticipantRead;

public sealed class GetOpportunityTimelineHandler(IAuditTrail audit, ICurrentUser user) : IRequestHandler<GetOpportunityTimeline, Paged<TimelineEntry>>
{
    public Task<Paged<TimelineEntry>> Handle(GetOpportunityTimeline request, CancellationToken cancellationToken) =>
        audit.GetAsync(AuditAggregates.Opportunity, request.OpportunityId, user.PartnerView(),
            new PageRequest(request.Page, request.PageSize), cancellationToken);
}

/// <summary>What a watcher of an opportunity's live feed receives: the shared events, and the vendor's own when it is the vendor.</summary>
public sealed record WatchGrant(bool IncludesVendorEvents);

/// <summary>
/// Whether a hub connection may watch an opportunity. The viewer comes from the connection's token, so the
/// answer is null both for an opportunity that does not exist and for one the viewer may not watch.
/// </summary>
public sealed record CheckOpportunityWatch(Guid OpportunityId, Viewer Viewer) : IQuery<WatchGrant?>, IMadeForViewer;

public sealed class CheckOpportunityWatchHandler(IRepository<Opportunity> opportunities, IRepository<Partner> partners) : IRequestHandler<CheckOpportunityWatch, WatchGrant?>
{
    public async Task<WatchGrant?> Handle(CheckOpportunityWatch request, CancellationToken cancellationToken)
    {
        if (!await opportunities.FirstOrDefaultAsync(new WatchableOpportunitySpec(request.OpportunityId, request.Viewer), cancellationToken))
        {
            return null;
        }

        // A suspended partner watches nothing (its feeds were closed when it was suspended).
        return request.Viewer.PartnerId is not { } partner || await partners.GetByIdAsync(partner, cancellationToken) is { IsActive: true }
            ? new WatchGrant(request.Viewer.IsVendor)
            : null;
    }
}
