using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using FluentValidation;
using MediatR;

namespace CoSell.Application.AccountMapping;

/// <summary>A partnership as either side sees it: its state, and the caller's own sharing settings.</summary>
public sealed record PartnershipDto(
    Guid Id,
    Guid PartnerId,
    string PartnerName,
    PartnershipStatus Status,
    PartnershipSide YourSide,
    bool VendorOptedIn,
    bool PartnerOptedIn,
    bool PausedByVendor,
    bool PausedByPartner,
    SharingSettingsDto YourSharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version) : IVersionedDto;

public sealed record SharingSettingsDto(SharingLevel Customers, SharingLevel Prospects, SharingLevel OpenOpportunities)
{
    public static SharingSettingsDto From(SharingSettings s) => new(s.Customers, s.Prospects, s.OpenOpportunities);
}

/// <summary>The caller's side's sharing settings on one partnership.</summary>
public sealed record SharingDto(Guid PartnershipId, PartnershipSide Side, SharingSettingsDto Levels, long Version) : IVersionedDto;

public sealed class PartnershipView(ICurrentUser user, IRepository<Partner> partners)
{
    public async Task<PartnershipDto> ForAsync(Partnership p, CancellationToken cancellationToken)
    {
        var partner = await partners.GetByIdAsync(p.PartnerId, cancellationToken);
        var side = MappingSides.SideOf(user);
        return new PartnershipDto(p.Id, p.PartnerId, partner?.Name ?? string.Empty, p.Status, side, p.OptedIn(PartnershipSide.Vendor), p.OptedIn(PartnershipSide.Partner),
            p.PausedByVendor, p.PausedByPartner, SharingSettingsDto.From(p.SharingOf(side)), p.CreatedAt, p.UpdatedAt, p.Version);
    }
}

public sealed class PartnershipsSpec : Specification<Partnership>
{
    public PartnershipsSpec(Guid? partnerId, PageRequest? page)
    {
        if (partnerId is { } id)
        {
            Query.Where(p => p.PartnerId == id);
        }

        Query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
        if (page is not null)
        {
            Query.Skip(page.Skip).Take(page.PageSize).AsNoTracking();
        }
    }
}

/// <summary>
/// Proposes account mapping between the vendor and one partner: a vendor admin or channel manager names the
/// partner, a partner user proposes it for its own organisation. Neither side is opted in by proposing.
/// </summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Partner)]
public sealed record ProposePartnership(Guid? PartnerId) : ICommand<PartnershipDto>;

public sealed class ProposePartnershipValidator : AbstractValidator<ProposePartnership>
{
    public ProposePartnershipValidator() => RuleFor(p => p.PartnerId).NotEqual(Guid.Empty);
}

public sealed class ProposePartnershipHandler(IRepository<Partnership> partnerships, IRepository<Partner> partners, ICurrentUser user, TimeProvider time, PartnershipView view)
    : IRequestHandler<ProposePartnership, PartnershipDto>
{
    public async Task<PartnershipDto> Handle(ProposePartnership request, CancellationToken cancellationToken)
    {
        Guid partnerId;
        if (user.IsPartner())
        {
            if (request.PartnerId is { } named && named != user.PartnerId)
            {
                throw new ForbiddenException("A partner proposes account mapping for its own organisation only.");
            }

            // A token may name an organisation this service does not know: it maps nothing; nor does a suspended partner.
            partnerId = (await partners.OwnActivePartnerForChangeAsync(user, cancellationToken)).Id;
        }
        else
        {
            partnerId = request.PartnerId ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.PartnerId), "Name the partner.")]);
            var partner = await partners.GetByIdAsync(partnerId, cancellationToken)
                ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.PartnerId), "No partner has this id.")]);
            if (!partner.IsActive)
            {
                // As a suspended partner is invited onto no deal: a proposal grants nothing until the partner opts in, which it cannot while suspended.
                throw new DomainException("partner.suspended", "A suspended partner is proposed no account mapping until it is reinstated.");
            }

            // Proposed while active as read: a suspension that commits first refuses the proposal (409 `partner.changed`).
            partners.RequireUnchanged(partner);
        }

        if (await partnerships.AnyAsync(new PartnershipsSpec(partnerId, null), cancellationToken))
        {
            throw new DomainException("partnership.exists", "This partner already has an account-mapping partnership with the vendor.");
        }

        var partnership = Partnership.Propose(Guid.CreateVersion7(), partnerId, MappingSides.SideOf(user), user.UserId, time.GetUtcNow());
        partnerships.Add(partnership);
        return await view.ForAsync(partnership, cancellationToken);
    }
}

/// <summary>The vendor's users see every partnership; a partner user only its own.</summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Rep, Domain.Users.Roles.Partner)]
public sealed record ListPartnerships(int? Page, int? PageSize) : IQuery<Paged<PartnershipDto>>;

public sealed class ListPartnershipsHandler(IRepository<Partnership> partnerships, ICurrentUser user, PartnershipView view) : IRequestHandler<ListPartnerships, Paged<PartnershipDto>>
{
    public async Task<Paged<PartnershipDto>> Handle(ListPartnerships request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var only = user.IsPartner() ? user.PartnerId ?? Guid.Empty : (Guid?)null;
        var items = await partnerships.ListAsync(new PartnershipsSpec(only, page), cancellationToken);
        var total = await partnerships.CountAsync(new PartnershipsSpec(only, null), cancellationToken);
        var dtos = new List<PartnershipDto>(items.Count);
        foreach (var p in items)
        {
            dtos.Add(await view.ForAsync(p, cancellationToken));
        }

        return new Paged<PartnershipDto>(dtos, page.Page, page.PageSize, total);
    }
}

[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Rep, Domain.Users.Roles.Partner)]
public sealed record GetPartnership(Guid PartnershipId) : IQuery<PartnershipDto>, IPartnershipRequest;

public sealed class GetPartnershipHandler(IRepository<Partnership> partnerships, PartnershipView view) : IRequestHandler<GetPartnership, PartnershipDto>
{
    public async Task<PartnershipDto> Handle(GetPartnership request, CancellationToken cancellationToken) =>
        await view.ForAsync(await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId), cancellationToken);
}

/// <summary>A change the caller makes for its own side of a partnership.</summary>
/// <summary>A change to one partnership that may name the version it read.</summary>
public interface IVersionedPartnershipRequest : IPartnershipRequest, IVersionedCommand
{
    Guid? IVersionedCommand.VersionedId => PartnershipId;
}

public interface IPartnershipCommand : ICommand<PartnershipDto>, IVersionedPartnershipRequest;

/// <summary>Loads the partnership, checks If-Match, applies one change for the caller's side.</summary>
public abstract class PartnershipCommandHandler<TCommand>(IRepository<Partnership> partnerships, ICurrentUser user, TimeProvider time, PartnershipView view)
    : IRequestHandler<TCommand, PartnershipDto>
    where TCommand : IPartnershipCommand
{
    public async Task<PartnershipDto> Handle(TCommand request, CancellationToken cancellationToken)
    {
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        Concurrency.Check(partnership.Version, request.ExpectedVersion, required: false);
        Apply(request, partnership, MappingSides.SideOf(user), user.UserId, time.GetUtcNow());
        return await view.ForAsync(partnership, cancellationToken);
    }

    protected abstract void Apply(TCommand command, Partnership partnership, PartnershipSide side, string actor, DateTimeOffset at);
}

/// <summary>A vendor admin or channel manager opts in for the vendor; the partner's user for the partner.</summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Partner)]
public sealed record OptInPartnership(Guid PartnershipId, IfMatch? ExpectedVersion = null) : IPartnershipCommand;

public sealed class OptInPartnershipHandler(IRepository<Partnership> partnerships, ICurrentUser user, TimeProvider time, PartnershipView view)
    : PartnershipCommandHandler<OptInPartnership>(partnerships, user, time, view)
{
    protected override void Apply(OptInPartnership command, Partnership partnership, PartnershipSide side, string actor, DateTimeOffset at) =>
        partnership.OptIn(side, actor, at);
}

/// <summary>Either side pauses: every result disappears for both sides at once.</summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Partner)]
public sealed record PausePartnership(Guid PartnershipId, IfMatch? ExpectedVersion = null) : IPartnershipCommand;

public sealed class PausePartnershipHandler(IRepository<Partnership> partnerships, ICurrentUser user, TimeProvider time, PartnershipView view)
    : PartnershipCommandHandler<PausePartnership>(partnerships, user, time, view)
{
    protected override void Apply(PausePartnership command, Partnership partnership, PartnershipSide side, string actor, DateTimeOffset at) =>
        partnership.Pause(side, actor, at);
}

[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Partner)]
public sealed record ResumePartnership(Guid PartnershipId, IfMatch? ExpectedVersion = null) : IPartnershipCommand;

public sealed class ResumePartnershipHandler(IRepository<Partnership> partnerships, ICurrentUser user, TimeProvider time, PartnershipView view)
    : PartnershipCommandHandler<ResumePartnership>(partnerships, user, time, view)
{
    protected override void Apply(ResumePartnership command, Partnership partnership, PartnershipSide side, string actor, DateTimeOffset at) =>
        partnership.Resume(side, actor, at);
}

/// <summary>The caller's own side's sharing settings.</summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Rep, Domain.Users.Roles.Partner)]
public sealed record GetSharing(Guid PartnershipId) : IQuery<SharingDto>, IPartnershipRequest;

public sealed class GetSharingHandler(IRepository<Partnership> partnerships, ICurrentUser user) : IRequestHandler<GetSharing, SharingDto>
{
    public async Task<SharingDto> Handle(GetSharing request, CancellationToken cancellationToken)
    {
        var p = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        var side = MappingSides.SideOf(user);
        return new SharingDto(p.Id, side, SharingSettingsDto.From(p.SharingOf(side)), p.Version);
    }
}

/// <summary>Sets what the caller's side shares of each of its populations; results change at once.</summary>
[Authorize(Domain.Users.Roles.Admin, Domain.Users.Roles.ChannelManager, Domain.Users.Roles.Partner)]
public sealed record ChangeSharing(Guid PartnershipId, SharingLevel? Customers, SharingLevel? Prospects, SharingLevel? OpenOpportunities, IfMatch? ExpectedVersion = null)
    : ICommand<SharingDto>, IVersionedPartnershipRequest;

public sealed class ChangeSharingValidator : AbstractValidator<ChangeSharing>
{
    public ChangeSharingValidator()
    {
        RuleFor(s => s.Customers).NotNull().IsInEnum();
        RuleFor(s => s.Prospects).NotNull().IsInEnum();
        RuleFor(s => s.OpenOpportunities).NotNull().IsInEnum();
    }
}

public sealed class ChangeSharingHandler(IRepository<Partnership> partnerships, ICurrentUser user, TimeProvider time) : IRequestHandler<ChangeSharing, SharingDto>
{
    public async Task<SharingDto> Handle(ChangeSharing request, CancellationToken cancellationToken)
    {
        var p = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        // Setting the levels overwrites them: the caller names the version it read, so a change made meanwhile by the
        // other side or a colleague is not silently undone.
        Concurrency.Check(p.Version, request.ExpectedVersion, required: true);
        var side = MappingSides.SideOf(user);
        p.ChangeSharing(side, SharingSettings.Of(request.Customers!.Value, request.Prospects!.Value, request.OpenOpportunities!.Value), user.UserId, time.GetUtcNow());
        return new SharingDto(p.Id, side, SharingSettingsDto.From(p.SharingOf(side)), p.Version);
    }
}
