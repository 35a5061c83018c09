using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using MediatR;
using Mapster;

namespace CoSell.Application.Registrations;

/// <summary>A request about one registration.</summary>
public interface IRegistrationRequest
{
    Guid RegistrationId { get; }
}

/// <summary>A change only the reviewing channel manager (or an admin) may make.</summary>
public interface IReviewerAction : IRegistrationRequest;

/// <summary>
/// Walls registrations off: another partner's registration does not exist for a partner (404); a channel manager acts
/// only on registrations routed to them or to nobody, and, once a registration is decided, on those of the partners
/// they manage now (403): a partner handed to another manager takes its approved deals' extensions and closes with it.
/// </summary>
public sealed class RegistrationAuthorizer<TRequest>(IRepository<DealRegistration> registrations, IRepository<Domain.Partners.Partner> partners, Partners.ChannelManagerCheck managers) : IResourceAuthorizer<TRequest>
    where TRequest : IRegistrationRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var registration = await registrations.GetByIdAsync(request.RegistrationId, cancellationToken);
        if (registration is null || (user.IsPartner() && registration.PartnerId != user.PartnerId))
        {
            throw new NotFoundException("registration", request.RegistrationId);
        }

        if (user.Role == Roles.Rep)
        {
            throw new ForbiddenException("Direct sales reps do not work partner registrations.");
        }

        if (request is IReviewerAction && user.Role == Roles.ChannelManager && await ResponsibleAsync(registration, cancellationToken) is { } responsible
            && responsible != user.UserGuid())
        {
            throw new ForbiddenException("This registration is routed to another channel manager.");
        }
    }

    /// <summary>
    /// Who answers for the registration: its reviewer while it waits for review (a change of the partner's manager
    /// re-routes those), and afterwards the partner's manager now, or the one who reviewed it when the partner has none;
    /// in either case only while that one is an active channel manager: a reviewer deactivated since leaves the
    /// registration to every channel manager, while one the identity provider alone knows keeps it.
    /// </summary>
    private async Task<Guid?> ResponsibleAsync(DealRegistration registration, CancellationToken cancellationToken)
    {
        var responsible = registration.Status is RegistrationStatus.Draft or RegistrationStatus.ActionRequired || RegistrationLifecycle.AwaitingReview.Contains(registration.Status)
            ? registration.ReviewerId
            : (await partners.GetByIdAsync(registration.PartnerId, cancellationToken))?.ChannelManagerId ?? registration.ReviewerId;
        return responsible is { } id && await managers.StillAnswersAsync(id, cancellationToken) ? responsible : null;
    }
}

/// <summary>A command that changes one registration and answers with its new state.</summary>
public interface IRegistrationCommand : ICommand<RegistrationDto>, IRegistrationRequest, IVersionedCommand
{
    Guid? IVersionedCommand.VersionedId => RegistrationId;
}

/// <summary>Loads the registration, checks If-Match, applies one domain method, answers the new state.</summary>
public abstract class RegistrationCommandHandler<TCommand>(IRepository<DealRegistration> registrations, RegistrationView view)
    : AggregateCommandHandler<TCommand, DealRegistration, RegistrationDto>(registrations, "registration")
    where TCommand : IRegistrationCommand
{
    protected override Guid IdOf(TCommand command) => command.RegistrationId;

    protected override Task<RegistrationDto> ViewOfAsync(DealRegistration registration, CancellationToken cancellationToken) => Task.FromResult(view.For(registration));
}
