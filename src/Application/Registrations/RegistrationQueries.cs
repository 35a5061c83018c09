using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Registrations;

[Authorize(Roles.Partner, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetRegistration(Guid RegistrationId) : IQuery<RegistrationDto>, IRegistrationRequest;

public sealed class GetRegistrationHandler(IRepository<DealRegistration> registrations, RegistrationView view) : IRequestHandler<GetRegistration, RegistrationDto>
{
    public async Task<RegistrationDto> Handle(GetRegistration request, CancellationToken cancellationToken)
    {
        var registration = await registrations.GetByIdAsync(request.RegistrationId, cancellationToken)
            ?? throw new NotFoundException("registration", request.RegistrationId);
        return view.For(registration);
    }
}

/// <summary>Lists registrations: a partner sees its own organisation's, vendor roles see all (filterable).</summary>
[Authorize(Roles.Partner, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
/// <param name="Status">A status name, in any case.</param>
/// <param name="After">The last page's <c>next</c> cursor, or the id of the last registration read: the list reads on from there (<see cref="ListPlace"/>).</param>
public sealed record ListRegistrations(string? Status, Guid? PartnerId, int? Page, int? PageSize, string? After = null) : IQuery<Paged<RegistrationDto>>;

public sealed class ListRegistrationsValidator : AbstractValidator<ListRegistrations>
{
    public ListRegistrationsValidator() => RuleFor(r => r.Status).EnumName<ListRegistrations, RegistrationStatus>();
}

public sealed class ListRegistrationsHandler(IRepository<DealRegistration> registrations, ICurrentUser user, RegistrationView view)
    : IRequestHandler<ListRegistrations, Paged<RegistrationDto>>
{
    public async Task<Paged<RegistrationDto>> Handle(ListRegistrations request, CancellationToken cancellationToken)
    {
        // A partner reads its own registrations only: narrowed to another partner's, its list is empty (no id matches).
        var partnerId = !user.IsPartner() ? request.PartnerId : request.PartnerId is { } asked && asked != user.PartnerId ? Guid.Empty : user.PartnerId;
        var status = EnumNames.Parse<RegistrationStatus>(request.Status);
        // The item read last is found among those the caller may see, whatever the list is narrowed to now (filters are no
        // part of a place): a partner's own, or any for the vendor.
        var visible = user.IsPartner() ? user.PartnerId ?? Guid.Empty : (Guid?)null;
        var after = await registrations.PlaceOfAsync(request.After, ReadingList.Registrations, id => new RegistrationsSpec(visible, null, null, only: id), r => r.CreatedAt, "registration", cancellationToken);

        var page = ListPlace.PageFrom(request.Page, request.PageSize, after);
        var items = await registrations.ListAsync(new RegistrationsSpec(partnerId, status, page, after), cancellationToken);
        var total = await registrations.CountAsync(new RegistrationsSpec(partnerId, status, null), cancellationToken);
        return new Paged<RegistrationDto>(items.Select(view.For).ToList(), page.Page, page.PageSize, total, ListPlace.NextOf(ReadingList.Registrations, items, r => r.CreatedAt, r => r.Id));
    }
}

/// <summary>
/// The caller's review queue, soonest SLA first; admins see every pending registration. <see cref="After"/> (the id of
/// the last registration read) continues the queue from there rather than by page number, so that registrations
/// decided meanwhile shift nothing: a page number counts the queue as it is now, and skips what moved up.
/// </summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record GetReviewQueue(int? Page, int? PageSize, string? After = null) : IQuery<Paged<ReviewQueueItem>>;

public sealed class GetReviewQueueHandler(IRepository<DealRegistration> registrations, IRepository<User> users, ICurrentUser user, RegistrationView view, TimeProvider time)
    : IRequestHandler<GetReviewQueue, Paged<ReviewQueueItem>>
{
    public async Task<Paged<ReviewQueueItem>> Handle(GetReviewQueue request, CancellationToken cancellationToken)
    {
        // A channel manager whose id is no GUID has nothing routed to it by id: it reads the queue every channel manager
        // shares, never everyone's.
        var reviewer = user.IsAdmin() ? null : (Guid?)(user.UserGuid() ?? Guid.Empty);
        // A review a channel manager took up just before it was deactivated is everyone's (the deactivation sends those it
        // finds back to the shared queue).
        IReadOnlyCollection<Guid> leftBy = reviewer is null ? [] : (await users.ListAsync(new InactiveChannelManagersSpec(), cancellationToken)).Select(u => u.Id).ToList();
        // The place of the registration read last, which may have left the queue since, or gone to another manager's.
        var after = await registrations.PlaceOfAsync(request.After, ReadingList.ReviewQueue, id => new ReviewPlaceSpec(id), r => r.ReviewDueAt!.Value, "registration", cancellationToken);
        var page = ListPlace.PageFrom(request.Page, request.PageSize, after);
        var items = await registrations.ListAsync(new ReviewQueueSpec(reviewer, leftBy, page, after), cancellationToken);
        var total = await registrations.CountAsync(new ReviewQueueSpec(reviewer, leftBy, null), cancellationToken);
        var now = time.GetUtcNow();
        return new Paged<ReviewQueueItem>(items.Select(r => new ReviewQueueItem(view.For(r), r.ReviewDueAt < now)).ToList(), page.Page, page.PageSize, total,
            ListPlace.NextOf(ReadingList.ReviewQueue, items, r => r.ReviewDueAt!.Value, r => r.Id));
    }
}

/// <summary>Every change to a registration, oldest first, from the append-only audit trail.</summary>
[Authorize(Roles.Partner, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetRegistrationTimeline(Guid RegistrationId, int? Page, int? PageSize) : IQuery<Paged<TimelineEntry>>, IRegistrationRequest;

/// <remarks>
/// A partner reads its registration's timeline numbered within its own view, as it reads an opportunity's: the audit
/// log's row numbers would show how much happened elsewhere between two of its entries.
/// </remarks>
public sealed class GetRegistrationTimelineHandler(IAuditTrail audit, ICurrentUser user) : IRequestHandler<GetRegistrationTimeline, Paged<TimelineEntry>>
{
    public Task<Paged<TimelineEntry>> Handle(GetRegistrationTimeline request, CancellationToken cancellationToken) =>
        audit.GetAsync(AuditAggregates.Registration, request.RegistrationId, user.PartnerView(),
            new PageRequest(request.Page, request.PageSize), cancellationToken);
}
