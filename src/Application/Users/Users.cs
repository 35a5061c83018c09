using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;

namespace CoSell.Application.Users;

/// <param name="Subject">The subject (<c>sub</c>) its tokens carry: its id, or the subject its id was derived from.</param>
public sealed record UserDto(Guid Id, string Subject, string UserName, string DisplayName, string Role, Guid? PartnerId, bool IsActive, long Version) : IVersionedDto;

public static class UserMappings
{
    public static void Register(TypeAdapterConfig config) =>
        config.NewConfig<User, UserDto>().Map(d => d.Subject, s => s.Subject ?? s.Id.ToString());
}

public sealed class UsersSpec : Specification<User>
{
    public UsersSpec(string? role, Guid? partnerId, bool? active, PageRequest? page)
    {
        Query.AsNoTracking();
        if (role is not null)
        {
            Query.Where(u => u.Role == role);
        }

        if (partnerId is { } partner)
        {
            Query.Where(u => u.PartnerId == partner);
        }

        if (active is { } isActive)
        {
            Query.Where(u => u.IsActive == isActive);
        }

        Query.OrderBy(u => u.UserName).ThenBy(u => u.Id);
        Query.Page(page);
    }
}

/// <summary>A user of the name, in any case: the column compares without case (NOCASE), so the unique index does too.</summary>
public sealed class UserNamedSpec : Specification<User>
{
    public UserNamedSpec(string userName) => Query.Where(u => u.UserName == userName);
}

public sealed class PartnersManagedBySpec : Specification<Partner>
{
    public PartnersManagedBySpec(Guid managerId) => Query.Where(p => p.ChannelManagerId == managerId);
}

/// <summary>Registrations waiting for a channel manager's review: submitted, under review or returned by it for action.</summary>
public sealed class RegistrationsAwaitingReviewerSpec : Specification<DealRegistration>
{
    public RegistrationsAwaitingReviewerSpec(Guid reviewerId) =>
        Query.Where(r => r.ReviewerId == reviewerId &&
            (r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.UnderReview || r.Status == RegistrationStatus.ActionRequired));
}

public sealed class OpenOpportunitiesOwnedBySpec : Specification<Opportunity>
{
    public OpenOpportunitiesOwnedBySpec(Guid ownerId)
    {
        var open = OpportunityStages.Open.ToList();
        Query.Where(o => o.OwnerId == ownerId && open.Contains(o.Stage));
    }
}

/// <summary>
/// A user name is what people type and compare, so it keeps to ASCII letters, digits and a few marks: no character that
/// looks like another or shows nothing. A display name is shown as one line: no control characters, line or paragraph
/// separators, direction controls or characters that show nothing where they stand (<see cref="Domain.SeedWork.Characters.ShowsEverything"/>).
/// </summary>
internal static class UserNames
{
    public const string DisplayNameMessage = $"A display name is one line of visible text, without control characters, line breaks, direction controls or {TextRules.InvisibleCharacters}.";

    public static bool IsUserName(string? name) =>
        name is { Length: > 0 and <= User.MaximumUserNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '+' or '-');

    public static bool IsDisplayName(string? name) =>
        name is null || (TextRules.IsDisplayName(name) && !name.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'));
}

/// <summary>An admin lists the users CoSell knows, by role, partner or whether they are active.</summary>
[Authorize(Roles.Admin)]
public sealed record ListUsers(string? Role, Guid? PartnerId, bool? IsActive, int? Page, int? PageSize) : IQuery<Paged<UserDto>>;

public sealed class ListUsersValidator : AbstractValidator<ListUsers>
{
    public ListUsersValidator() =>
        RuleFor(u => u.Role).Must(r => r is null || Roles.All.Contains(r)).WithMessage($"A role is one of: {string.Join(", ", Roles.All)}.");
}

public sealed class ListUsersHandler(IRepository<User> users, TypeAdapterConfig mapping) : IRequestHandler<ListUsers, Paged<UserDto>>
{
    public async Task<Paged<UserDto>> Handle(ListUsers request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var items = await users.ListAsync(new UsersSpec(request.Role, request.PartnerId, request.IsActive, page), cancellationToken);
        var total = await users.CountAsync(new UsersSpec(request.Role, request.PartnerId, request.IsActive, null), cancellationToken);
        return new Paged<UserDto>(items.Adapt<List<UserDto>>(mapping), page.Page, page.PageSize, total);
    }
}

[Authorize(Roles.Admin)]
public sealed record GetUser(Guid UserId) : IQuery<UserDto>;

public sealed class GetUserHandler(IRepository<User> users, TypeAdapterConfig mapping) : IRequestHandler<GetUser, UserDto>
{
    public async Task<UserDto> Handle(GetUser request, CancellationToken cancellationToken) =>
        (await users.GetByIdAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("user", request.UserId)).Adapt<UserDto>(mapping);
}

/// <summary>
/// An admin adds a user under the subject its identity provider signs its tokens with (<c>sub</c>): given as the
/// <c>id</c> when it is a GUID, or as the <c>subject</c>, whatever its form, which gives the id (<see cref="UserIds"/>).
/// A partner user belongs to one partner, a vendor user to none.
/// </summary>
[Authorize(Roles.Admin)]
public sealed record CreateUser(Guid? Id, string? UserName, string? DisplayName, string? Role, Guid? PartnerId, string? Subject = null) : ICommand<UserDto>;

public sealed class CreateUserValidator : AbstractValidator<CreateUser>
{
    public CreateUserValidator()
    {
        RuleFor(u => u.Id).NotNull().When(u => u.Subject is null).WithMessage("Give the user's id, or its subject: the sub of its tokens.");
        RuleFor(u => u.Id).Cascade(CascadeMode.Stop).NotEqual(Guid.Empty).WithMessage("Give the user's id, or its subject: the sub of its tokens.")
            .Must(id => id is null || UserIds.IsOwnIdShape(id.Value))
            .WithMessage("A name-based (version 5) UUID is not taken as an id, as CoSell derives ids in that form: give it as the subject.");
        RuleFor(u => u.Subject).Null().When(u => u.Id is not null).WithMessage("Give the user's id or its subject, not both.");
        RuleFor(u => u.Subject).Must(UserIds.IsSubject).When(u => u.Subject is not null)
            .WithMessage($"A subject is 1 to {UserIds.MaximumSubjectLength} visible ASCII characters, as the identity provider issues it.");
        RuleFor(u => u.UserName).NotEmpty().Must(UserNames.IsUserName)
            .WithMessage($"A user name is 1 to {User.MaximumUserNameLength} of the letters a-z and A-Z, the digits and . _ @ + -.");
        RuleFor(u => u.DisplayName).NotEmpty().MaximumLength(User.MaximumDisplayNameLength).Must(UserNames.IsDisplayName).WithMessage(UserNames.DisplayNameMessage);
        RuleFor(u => u.Role).NotEmpty().Must(r => r is null || Roles.All.Contains(r)).WithMessage($"A role is one of: {string.Join(", ", Roles.All)}.");
        RuleFor(u => u.PartnerId).NotNull().When(u => u.Role == Roles.Partner).WithMessage("A partner user belongs to a partner: name it.");
        RuleFor(u => u.PartnerId).Null().When(u => u.Role is not null && u.Role != Roles.Partner).WithMessage("Vendor users belong to no partner.");
    }
}

public sealed class CreateUserHandler(IRepository<User> users, IRepository<Partner> partners, ICurrentUser user, TimeProvider time, TypeAdapterConfig mapping)
    : IRequestHandler<CreateUser, UserDto>
{
    public async Task<UserDto> Handle(CreateUser request, CancellationToken cancellationToken)
    {
        // A deactivation of this admin that commits meanwhile refuses the creation, as one read before it does.
        if (await UserAdministration.ActingAdminAsync(users, user, cancellationToken) is { } admin)
        {
            users.RequireUnchanged(admin);
        }

        if (request.PartnerId is { } partnerId && await partners.GetByIdAsync(partnerId, cancellationToken) is null)
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.PartnerId), "No partner has this id.")]);
        }

        var subject = request.Subject ?? request.Id!.Value.ToString();
        var id = UserIds.FromSubject(subject);
        if (await users.GetByIdAsync(id, cancellationToken) is not null)
        {
            throw new Domain.SeedWork.DomainException("user.exists", request.Subject is null
                ? $"A user with the id {id} exists already."
                : $"A user with the subject '{Domain.SeedWork.Characters.Shown(request.Subject)}' exists already (id {id}).");
        }

        var userName = request.UserName!.Trim();
        if (await users.AnyAsync(new UserNamedSpec(userName), cancellationToken))
        {
            throw new Domain.SeedWork.DomainException("user.name_taken", $"Another user is named '{Domain.SeedWork.Characters.Shown(userName)}'.");
        }

        var created = User.Register(subject, userName, request.DisplayName!, request.Role!, request.PartnerId, user.UserId, time.GetUtcNow());
        users.Add(created);
        return created.Adapt<UserDto>(mapping);
    }
}

/// <summary>
/// An admin renames a user or (de)activates it. A user still answering for something is not deactivated: a channel
/// manager with partners, an arbiter with open cases, a rep with open deals (reassign them first); nor is the admin itself.
/// </summary>
[Authorize(Roles.Admin)]
public sealed record UpdateUser(Guid UserId, string? DisplayName, bool? IsActive, IfMatch? ExpectedVersion) : ICommand<UserDto>, IVersionedCommand
{
    Guid? IVersionedCommand.VersionedId => UserId;
}

public sealed class UpdateUserValidator : AbstractValidator<UpdateUser>
{
    public UpdateUserValidator() =>
        RuleFor(u => u.DisplayName).NotEmpty().MaximumLength(User.MaximumDisplayNameLength).Must(UserNames.IsDisplayName).WithMessage(UserNames.DisplayNameMessage)
            .When(u => u.DisplayName is not null);
}

public sealed class UpdateUserHandler(
    IRepository<User> users,
    IRepository<Partner> partners,
    IRepository<ChannelConflict> conflicts,
    IRepository<Opportunity> opportunities,
    IRepository<DealRegistration> registrations,
    ReviewQueueReaders reviewQueues,
    ICurrentUser user,
    TimeProvider time,
    TypeAdapterConfig mapping) : IRequestHandler<UpdateUser, UserDto>
{
    public async Task<UserDto> Handle(UpdateUser request, CancellationToken cancellationToken)
    {
        var changed = await users.GetByIdAsync(request.UserId, cancellationToken) ?? throw new NotFoundException("user", request.UserId);
        var caller = await UserAdministration.ActingAdminAsync(users, user, cancellationToken);
        Concurrency.Check(changed.Version, request.ExpectedVersion, required: true);
        if (caller is not null && caller.Id != changed.Id)
        {
            // A deactivation of this admin that commits meanwhile refuses the change, as one read before it does. So two
            // admins deactivating each other at once leave one: the second of the two to commit is refused.
            users.RequireUnchanged(caller);
        }

        if (request.IsActive == false && changed.IsActive)
        {
            await RefuseWhileAnsweringAsync(changed, cancellationToken);
        }

        var now = time.GetUtcNow();
        if (request.DisplayName is { } displayName)
        {
            changed.Rename(displayName, user.UserId, now);
        }

        if (request.IsActive is { } active)
        {
            var wasActive = changed.IsActive;
            changed.SetActive(active, user.UserId, now);
            if (!active && changed.Role == Roles.ChannelManager)
            {
                // Reviews it took up from the shared queue go back there; decided registrations keep it on record, and
                // answer to every channel manager while their partner has none (RegistrationAuthorizer). Until now its
                // queue alone listed them: every other active manager hears of their arrival.
                if (wasActive)
                {
                    reviewQueues.Deactivating(changed.Id);
                }

                foreach (var registration in await registrations.ListAsync(new RegistrationsAwaitingReviewerSpec(changed.Id), cancellationToken))
                {
                    registration.RouteTo(null, user.UserId, now);
                }
            }
        }

        return changed.Adapt<UserDto>(mapping);
    }

    private async Task RefuseWhileAnsweringAsync(User changed, CancellationToken cancellationToken)
    {
        if (changed.Id == user.UserGuid())
        {
            throw new Domain.SeedWork.DomainException("user.self", "An admin does not deactivate itself; another admin can.");
        }

        List<string> answersFor = [];
        var owned = await opportunities.CountAsync(new OpenOpportunitiesOwnedBySpec(changed.Id), cancellationToken);
        if (owned > 0)
        {
            answersFor.Add($"open opportunities it owns: {owned}");
        }

        (int Count, string What) assigned = changed.Role switch
        {
            Roles.ChannelManager => (await partners.CountAsync(new PartnersManagedBySpec(changed.Id), cancellationToken), "partners it manages"),
            Roles.Arbiter => (await conflicts.CountAsync(new OpenCasesOfArbiterSpec(changed.Id), cancellationToken), "open conflict cases assigned to it"),
            _ => (0, string.Empty),
        };
        if (assigned.Count > 0)
        {
            answersFor.Add($"{assigned.What}: {assigned.Count}");
        }

        if (answersFor.Count > 0)
        {
            throw new Domain.SeedWork.DomainException("user.still_assigned",
                $"The user still answers for what it is assigned ({string.Join("; ", answersFor)}); assign them to someone else before deactivating it.");
        }
    }
}

/// <summary>The admin that creates or changes users, as its own row stands.</summary>
internal static class UserAdministration
{
    /// <summary>
    /// The acting admin's row, or null for an admin CoSell has no row for (ADR 0016). A deactivated admin's tokens work
    /// until they expire, but it creates and changes no user: it could otherwise deactivate the last active admin, or
    /// reactivate itself.
    /// </summary>
    public static async Task<User?> ActingAdminAsync(IRepository<User> users, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (user.UserGuid() is not { } me || await users.GetByIdAsync(me, cancellationToken) is not { } admin)
        {
            return null;
        }

        return admin.IsActive ? admin : throw new ForbiddenException("A deactivated admin creates and changes no user; an active admin can.");
    }
}
