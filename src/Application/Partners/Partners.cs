using Ardalis.Specification;
using CoSell.Application.AccountMapping;
using CoSell.Application.Abstractions;
using CoSell.Application.Referrals;
using CoSell.Application.Registrations;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;

namespace CoSell.Application.Partners;

public sealed record PartnerDto(Guid Id, string Name, PartnerTier Tier, PartnerStatus Status, IReadOnlyList<string> Territories, Guid? ChannelManagerId, DateTimeOffset CreatedAt, long Version) : IVersionedDto;

public static class PartnerMappings
{
    public static void Register(TypeAdapterConfig config) =>
        config.NewConfig<Partner, PartnerDto>();
}

public sealed class PartnersSpec : Specification<Partner>
{
    public PartnersSpec(Guid? only, PageRequest? page)
    {
        Query.AsNoTracking();
        if (only is { } id)
        {
            Query.Where(p => p.Id == id);
        }

        Query.OrderBy(p => p.Name).ThenBy(p => p.Id);
        Query.Page(page);
    }
}

/// <summary>
/// Another partner of the same name, in any case: by its key, every letter's case folded ("CAFÉ" is "Café"), or by its
/// name compared as the store does (ASCII letters without case), for a name stored before keys folded every letter.
/// The unique indexes on both settle two creations racing each other.
/// </summary>
public sealed class OtherPartnerNamedSpec : Specification<Partner>
{
    public OtherPartnerNamedSpec(Partner partner) =>
        Query.Where(p => (p.NameKey == partner.NameKey || p.Name == partner.Name) && p.Id != partner.Id);
}

/// <summary>A partner's name is how channel managers, arbiters and the other party tell it apart, so no two share one.</summary>
internal static class PartnerNames
{
    public static async Task EnsureUniqueAsync(IRepository<Partner> partners, Partner partner, CancellationToken cancellationToken)
    {
        if (await partners.AnyAsync(new OtherPartnerNamedSpec(partner), cancellationToken))
        {
            throw new DomainException("partner.name_taken", $"Another partner is named '{Characters.Shown(partner.Name)}'.");
        }
    }
}

/// <summary>Checks that a named channel manager is an active channel manager.</summary>
public sealed class ChannelManagerCheck(IRepository<User> users)
{
    /// <summary>
    /// Makes the calling channel manager the reviewer of a registration routed to nobody (<see cref="DealRegistration.TakeUp"/>).
    /// A deactivated one is assigned nothing new (403). The take-up commits only while the manager is as read and moves
    /// its version on, as an assignment does: a deactivation committed meanwhile fails it (decided again, it is the 403),
    /// and a deactivation read before it fails at its own commit (412), so that read again it finds the review and sends
    /// it back to the shared queue. Two take-ups by one manager at once are each decided again until both land.
    /// </summary>
    public async Task TakeUpAsync(DealRegistration registration, ICurrentUser caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.ReviewerId is not null || caller.ChannelManagerGuid() is not { } id)
        {
            return;
        }

        if (await users.GetByIdAsync(id, cancellationToken) is { } manager)
        {
            if (!manager.IsActive)
            {
                throw new ForbiddenException("A deactivated channel manager takes up no registration from the shared queue; another channel manager can.");
            }

            users.RequireUnchanged(manager, moveVersionOn: true);
        }

        registration.TakeUp(id);
    }

    public async Task<bool> IsChannelManagerAsync(Guid? id, CancellationToken cancellationToken) =>
        id is null || await users.GetByIdAsync(id.Value, cancellationToken) is { Role: Roles.ChannelManager, IsActive: true };

    /// <summary>
    /// Whether the channel manager <paramref name="id"/> still answers for what it reviews: unless CoSell holds a user
    /// row that says otherwise (deactivated, or another role now). A manager signed in through an identity provider
    /// without a row (ADR 0016) answers for the reviews it took up, as the review queue counts them its own.
    /// </summary>
    public async Task<bool> StillAnswersAsync(Guid id, CancellationToken cancellationToken) =>
        await users.GetByIdAsync(id, cancellationToken) is not { } row || row is { Role: Roles.ChannelManager, IsActive: true };

    /// <summary>
    /// Makes the assignment of a partner to <paramref name="id"/> commit only while the manager is as read, and moves the
    /// manager's version on, so that neither the assignment nor a deactivation read before it commits beside the other.
    /// Only for a real assignment: naming the manager a partner already has rests on nothing new.
    /// </summary>
    public async Task AssigningAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await users.GetByIdAsync(id, cancellationToken) is { } manager)
        {
            users.RequireUnchanged(manager, moveVersionOn: true);
        }
    }
}

/// <summary>The organisation a partner user's token names, which must be one this service knows.</summary>
public static class OwnPartner
{
    /// <summary>The partner user's organisation; 403 when the token names one this service does not know.</summary>
    public static async Task<Partner> OwnPartnerAsync(this IRepository<Partner> partners, ICurrentUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partners);
        ArgumentNullException.ThrowIfNull(user);
        return await partners.GetByIdAsync(user.PartnerId!.Value, cancellationToken)
            ?? throw new ForbiddenException("Your user belongs to no known partner.");
    }

    /// <summary>The partner user's organisation, which must not be suspended (409 <c>partner.suspended</c>, saying what it may not do).</summary>
    public static async Task<Partner> OwnActivePartnerAsync(this IRepository<Partner> partners, ICurrentUser user, string refused, CancellationToken cancellationToken) =>
        Active(await partners.OwnPartnerAsync(user, cancellationToken), refused);

    /// <summary>
    /// Before a partner user reads a list of its organisation's: a suspended partner is refused as
    /// <see cref="OwnActivePartnerAsync"/> refuses it, while one this service does not know holds nothing, and reads
    /// an empty list as it does on every other list route.
    /// </summary>
    public static async Task RefuseSuspendedOwnPartnerAsync(this IRepository<Partner> partners, ICurrentUser user, string refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partners);
        ArgumentNullException.ThrowIfNull(user);
        if (await partners.GetByIdAsync(user.PartnerId!.Value, cancellationToken) is { } partner)
        {
            _ = Active(partner, refused);
        }
    }

    /// <summary>
    /// A partner that must not be suspended (409 <c>partner.suspended</c>, saying what is refused), and must still not be
    /// when the command commits: a suspension committed meanwhile fails the command (409 <c>partner.changed</c>).
    /// </summary>
    public static async Task<Partner> ActivePartnerAsync(this IRepository<Partner> partners, Guid partnerId, string refused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partners);
        var partner = Active(await partners.GetByIdAsync(partnerId, cancellationToken) ?? throw new NotFoundException("partner", partnerId), refused);
        partners.RequireUnchanged(partner);
        return partner;
    }

    private static Partner Active(Partner partner, string refused) =>
        partner.IsActive ? partner : throw new DomainException("partner.suspended", refused);
}

internal static class PartnerRules
{
    private const string TerritoriesMessage = "Territories are 1 to 250 ISO 3166-1 alpha-2 country codes.";

    /// <summary>
    /// A partner's name as it will be stored: one line (a line break inside it is refused, around it trimmed), and 2 to
    /// <see cref="Partner.MaximumNameLength"/> characters once the white space around it is trimmed, runs of it folded and
    /// letter variants written out, with two left in its key (<see cref="Partner.IsOfNameLength"/>).
    /// </summary>
    public static IRuleBuilderOptions<T, string?> Name<T>(IRuleBuilder<T, string?> rule) =>
        rule.DisplayName()
            .Must(n => n is null || !n.Trim().Any(Characters.IsControl)).WithMessage("A partner name is one line, without control characters.")
            .Must(n => n is null || Partner.IsOfNameLength(n))
            .WithMessage($"A partner name has 2 to {Partner.MaximumNameLength} characters as it is stored, not counting the white space around it (a letter variant such as ⒇ counts as the characters it is written as, a direction mark not at all).");

    // NotNull says so in the OpenAPI document (a partner cannot be created without territories); Must judges the list.
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> Territories<T>(IRuleBuilderInitial<T, IReadOnlyList<string>?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(TerritoriesMessage)
            .Items(1, 250, CountryCode.IsValid, TerritoriesMessage);
}

[Authorize(Roles.Admin)]
public sealed record CreatePartner(string? Name, PartnerTier? Tier, IReadOnlyList<string>? Territories, Guid? ChannelManagerId) : ICommand<PartnerDto>, IRetriedOnConcurrentChange;

public sealed class CreatePartnerValidator : AbstractValidator<CreatePartner>
{
    public CreatePartnerValidator(ChannelManagerCheck managers)
    {
        PartnerRules.Name(RuleFor(p => p.Name).Cascade(CascadeMode.Stop).NotEmpty());
        RuleFor(p => p.Tier).NotNull().IsInEnum();
        PartnerRules.Territories(RuleFor(p => p.Territories));
        RuleFor(p => p.ChannelManagerId).MustAsync(managers.IsChannelManagerAsync).WithMessage("No channel manager has this id.");
    }
}

public sealed class CreatePartnerHandler(IRepository<Partner> partners, ChannelManagerCheck managers, ICurrentUser user, TimeProvider time, TypeAdapterConfig mapping)
    : IRequestHandler<CreatePartner, PartnerDto>
{
    public async Task<PartnerDto> Handle(CreatePartner request, CancellationToken cancellationToken)
    {
        if (request.ChannelManagerId is { } manager)
        {
            await managers.AssigningAsync(manager, cancellationToken);
        }

        var partner = Partner.Create(Guid.CreateVersion7(), request.Name!, request.Tier!.Value, request.Territories!, request.ChannelManagerId, user.UserId, time.GetUtcNow());
        await PartnerNames.EnsureUniqueAsync(partners, partner, cancellationToken);
        partners.Add(partner);
        return partner.Adapt<PartnerDto>(mapping);
    }
}

/// <summary>
/// Changes a partner: an admin any partner and any field; a channel manager the partners assigned to it, all but the
/// assignment itself, which stays an admin's (ARCHITECTURE: channel managers manage partners, admins edit them).
/// </summary>
[Authorize(Roles.Admin, Roles.ChannelManager)]
/// <summary>Changes what is given; <paramref name="UnassignChannelManager"/> leaves the partner with no channel manager (admin only).</summary>
public sealed record UpdatePartner(Guid PartnerId, string? Name, PartnerTier? Tier, IReadOnlyList<string>? Territories, Guid? ChannelManagerId, PartnerStatus? Status, IfMatch? ExpectedVersion, bool UnassignChannelManager = false)
    : ICommand<PartnerDto>, IVersionedCommand, IRetriedOnConcurrentChange
{
    Guid? IVersionedCommand.VersionedId => PartnerId;
}

public sealed class UpdatePartnerValidator : AbstractValidator<UpdatePartner>
{
    public UpdatePartnerValidator(ChannelManagerCheck managers)
    {
        PartnerRules.Name(RuleFor(p => p.Name).Cascade(CascadeMode.Stop)).When(p => p.Name is not null);
        RuleFor(p => p.Tier).IsInEnum();
        RuleFor(p => p.Status).IsInEnum();
        PartnerRules.Territories(RuleFor(p => p.Territories)).When(p => p.Territories is not null);
        RuleFor(p => p.ChannelManagerId).MustAsync(managers.IsChannelManagerAsync).WithMessage("No channel manager has this id.");
    }
}

public sealed class UpdatePartnerHandler(
    IRepository<Partner> partners,
    IRepository<DealRegistration> registrations,
    IRepository<Referral> referrals,
    IRepository<Partnership> partnerships,
    ChannelManagerCheck managers,
    ICurrentUser user,
    TimeProvider time,
    TypeAdapterConfig mapping)
    : IRequestHandler<UpdatePartner, PartnerDto>
{
    public async Task<PartnerDto> Handle(UpdatePartner request, CancellationToken cancellationToken)
    {
        var partner = await partners.GetByIdAsync(request.PartnerId, cancellationToken) ?? throw new NotFoundException("partner", request.PartnerId);
        if (user.Role == Roles.ChannelManager)
        {
            if (partner.ChannelManagerId is not { } manager || manager != user.UserGuid())
            {
                throw new ForbiddenException("A channel manager changes the partners assigned to it; this one is another's.");
            }

            if ((request.ChannelManagerId is { } other && other != manager) || request.UnassignChannelManager)
            {
                throw new ForbiddenException("Only an admin assigns a partner to another channel manager, or to none.");
            }
        }

        Concurrency.Check(partner.Version, request.ExpectedVersion, required: true);
        var now = time.GetUtcNow();
        var (managedBy, named) = (partner.ChannelManagerId, partner.Name);
        partner.Update(request.Name, request.Tier, request.Territories, request.ChannelManagerId, request.Status, user.UserId, now, request.UnassignChannelManager);
        if (partner.Name != named)
        {
            await PartnerNames.EnsureUniqueAsync(partners, partner, cancellationToken);
            if (await partnerships.FirstOrDefaultAsync(new PartnershipsSpec(partner.Id, null), cancellationToken) is { } partnership)
            {
                partnership.PartnerRenamed(partner.Name, user.UserId, now);
            }
        }

        if (partner.ChannelManagerId != managedBy)
        {
            if (partner.ChannelManagerId is { } assigned)
            {
                await managers.AssigningAsync(assigned, cancellationToken);
            }

            // The partner's waiting registrations go with it, in the same commit: none is left with a manager it no longer has.
            // A draft submitted meanwhile would be routed to the manager it read, so the change also rests on every draft
            // as read: such a submission refuses it (409), and a retry finds the registration waiting and hands it over.
            foreach (var routed in await registrations.ListAsync(new RoutedToChannelManagerSpec(partner.Id), cancellationToken))
            {
                if (routed.Status == RegistrationStatus.Draft)
                {
                    registrations.RequireUnchanged(routed);
                }
                else
                {
                    routed.RouteTo(partner.ChannelManagerId, user.UserId, now);
                }
            }

            // So do its referrals that wait for the vendor's answer: the new manager hears of them from now on. One past its
            // accept-by time waits no more, and lapses with the manager it was sent to.
            // One the partner sends after this read them and before this commits would stay with the manager it read:
            // the commit rests on there being none, and is decided again to take it along.
            var waiting = new PendingReferralsToTheVendorSpec(partner.Id, now);
            var pending = await referrals.ListAsync(waiting, cancellationToken);
            foreach (var referral in pending)
            {
                referral.RouteTo(partner.ChannelManagerId, user.UserId, now);
            }

            referrals.RequireNoneAdded(waiting, pending);
        }

        return partner.Adapt<PartnerDto>(mapping);
    }
}

/// <summary>A partner user sees only its own organisation; vendor users see every partner.</summary>
[Authorize]
public sealed record GetPartner(Guid PartnerId) : IQuery<PartnerDto>;

public sealed class GetPartnerHandler(IRepository<Partner> partners, ICurrentUser user, TypeAdapterConfig mapping) : IRequestHandler<GetPartner, PartnerDto>
{
    public async Task<PartnerDto> Handle(GetPartner request, CancellationToken cancellationToken)
    {
        if (user.IsPartner() && user.PartnerId != request.PartnerId)
        {
            throw new NotFoundException("partner", request.PartnerId);
        }

        var partner = await partners.GetByIdAsync(request.PartnerId, cancellationToken) ?? throw new NotFoundException("partner", request.PartnerId);
        return partner.Adapt<PartnerDto>(mapping);
    }
}

[Authorize]
public sealed record ListPartners(int? Page, int? PageSize) : IQuery<Paged<PartnerDto>>;

public sealed class ListPartnersHandler(IRepository<Partner> partners, ICurrentUser user, TypeAdapterConfig mapping) : IRequestHandler<ListPartners, Paged<PartnerDto>>
{
    public async Task<Paged<PartnerDto>> Handle(ListPartners request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var only = user.IsPartner() ? user.PartnerId : null;
        var items = await partners.ListAsync(new PartnersSpec(only, page), cancellationToken);
        var total = await partners.CountAsync(new PartnersSpec(only, null), cancellationToken);
        return new Paged<PartnerDto>(items.Adapt<List<PartnerDto>>(mapping), page.Page, page.PageSize, total);
    }
}
