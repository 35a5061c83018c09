using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using Mapster;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>
/// Who sees and works an opportunity. A partner sees one it is invited to (until the invitation's deadline) or works
/// on, and works it once it accepted; a rep sees and works the ones it owns; channel managers and admins see and work all; arbiters read.
/// </summary>
public static class OpportunityPolicy
{
    /// <summary>What a suspended partner hears when it asks for its opportunities, one or the list.</summary>
    public const string ClosedToSuspended = "A suspended partner's opportunities stay closed to it until it is reinstated.";

    /// <summary>Whether the viewer sees the opportunity at the instant: a partner's invitation shows it until its deadline.</summary>
    public static bool CanSee(Opportunity opportunity, Viewer viewer, DateTimeOffset at) =>
        viewer.IsPartner ? viewer.PartnerId is { } partner && opportunity.IsSeenBy(partner, at) : VendorSees(opportunity, viewer);

    public static bool CanWork(Opportunity opportunity, Viewer viewer) => viewer.Role switch
    {
        Roles.Partner => viewer.PartnerId is { } partner && opportunity.HasAccepted(partner),
        Roles.Rep => viewer.UserGuid == opportunity.OwnerId,
        Roles.ChannelManager or Roles.Admin => true,
        _ => false,
    };

    /// <summary>Who may join the opportunity's live feed: a partner only once it accepted.</summary>
    public static bool CanWatch(Opportunity opportunity, Viewer viewer) =>
        viewer.IsPartner ? CanWork(opportunity, viewer) : VendorSees(opportunity, viewer);

    /// <summary>The customer contact stays hidden from a partner until it accepts.</summary>
    public static bool SeesContact(Opportunity opportunity, Viewer viewer) =>
        !viewer.IsPartner || (viewer.PartnerId is { } partner && opportunity.HasAccepted(partner));

    private static bool VendorSees(Opportunity opportunity, Viewer viewer) => viewer.Role switch
    {
        Roles.Rep => viewer.UserGuid == opportunity.OwnerId,
        Roles.ChannelManager or Roles.Admin or Roles.Arbiter => true,
        _ => false,
    };
}

/// <summary>A request about one opportunity.</summary>
public interface IOpportunityRequest
{
    Guid OpportunityId { get; }
}

/// <summary>A read of what only participants share (the timeline): an invited partner reads it once it accepted.</summary>
public interface IParticipantRead : IOpportunityRequest;

/// <summary>A request that changes an opportunity (or writes on it).</summary>
public interface IOpportunityWork : IOpportunityRequest
{
    /// <summary>Whether the request touches what only the vendor may change (the owner, closing the deal, internal notes).</summary>
    bool TouchesVendorOnlyFields { get; }
}

/// <summary>Walls opportunities off: one the caller may not see does not exist (404); seeing is not working (403).</summary>
/// <remarks>A suspended partner opens, reads and works none of its opportunities (409 <c>partner.suspended</c>); its list is refused too (<c>ListOpportunitiesHandler</c>).</remarks>
public sealed class OpportunityAuthorizer<TRequest>(IRepository<Opportunity> opportunities, IRepository<Partner> partners, TimeProvider time) : IResourceAuthorizer<TRequest>
    where TRequest : IOpportunityRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var viewer = Viewer.Of(user);
        var opportunity = await opportunities.GetByIdAsync(request.OpportunityId, cancellationToken);
        if (opportunity is null || !OpportunityPolicy.CanSee(opportunity, viewer, time.GetUtcNow()))
        {
            throw new NotFoundException("opportunity", request.OpportunityId);
        }

        if (viewer.IsPartner)
        {
            await partners.OwnActivePartnerAsync(user, OpportunityPolicy.ClosedToSuspended, cancellationToken);
        }

        if (request is IParticipantRead && viewer.IsPartner && !OpportunityPolicy.CanWork(opportunity, viewer))
        {
            throw new ForbiddenException("Accept the invitation to read the opportunity's timeline.");
        }

        if (request is not IOpportunityWork work)
        {
            return;
        }

        if (viewer.IsPartner && work.TouchesVendorOnlyFields)
        {
            throw new ForbiddenException("The owner, closing the deal and internal notes are the vendor's; a partner changes the open stages and shared fields and writes shared notes.");
        }

        if (!OpportunityPolicy.CanWork(opportunity, viewer))
        {
            throw new ForbiddenException(viewer.IsPartner
                ? "Accept the invitation before working on this opportunity."
                : "Only the owning rep, channel managers and admins change this opportunity.");
        }
    }
}

/// <summary>A command that changes one opportunity and answers with its new state.</summary>
public interface IOpportunityCommand : ICommand<OpportunityDto>, IOpportunityWork, IVersionedCommand
{
    Guid? IVersionedCommand.VersionedId => OpportunityId;
}

/// <summary>Loads the opportunity, checks If-Match, applies the change, answers the new state.</summary>
public abstract class OpportunityCommandHandler<TCommand>(IRepository<Opportunity> opportunities, OpportunityView view)
    : AggregateCommandHandler<TCommand, Opportunity, OpportunityDto>(opportunities, "opportunity")
    where TCommand : IOpportunityCommand
{
    protected override Guid IdOf(TCommand command) => command.OpportunityId;

    protected override Task<OpportunityDto> ViewOfAsync(Opportunity opportunity, CancellationToken cancellationToken) => Task.FromResult(view.For(opportunity));
}

/// <summary>Maps an opportunity for the caller: a partner sees its own participation only, and the contact once it accepted.</summary>
public sealed class OpportunityView(TypeAdapterConfig mapping, ICurrentUser user)
{
    public OpportunityDto For(Opportunity opportunity) => For(opportunity, Viewer.Of(user), mapping);

    public static OpportunityDto For(Opportunity opportunity, Viewer viewer, TypeAdapterConfig mapping)
    {
        var dto = opportunity.Adapt<OpportunityDto>(mapping);
        if (!viewer.IsPartner)
        {
            return dto;
        }

        var own = viewer.PartnerId;
        var sourcedByMe = own is { } partner && opportunity.IsSourcedBy(partner);
        return dto with
        {
            Contact = OpportunityPolicy.SeesContact(opportunity, viewer) ? dto.Contact : null,
            Participants = dto.Participants.Where(p => p.PartnerId == own).ToList(),
            Source = sourcedByMe ? dto.Source : dto.Source with { ReferenceId = null },
            // A co-sell decision's deal was made by the case's arbiter, whom the case hides from its parties (ADR 0006).
            CreatedBy = opportunity.Source.Kind == OpportunitySourceKind.ConflictDecision ? PartnerActor.Arbiter : dto.CreatedBy,
        };
    }
}

/// <summary>Checks that a named owner is an active direct rep.</summary>
public sealed class RepCheck(IRepository<User> users)
{
    /// <summary>
    /// Whether the id is an active rep's; if so, the command commits only while the rep is as read, so a deactivation that
    /// commits first refuses it. The version does not move on: reps are named owners of deals all day, often at once.
    /// </summary>
    public async Task<bool> IsRepAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return true;
        }

        if (await users.GetByIdAsync(id.Value, cancellationToken) is not { Role: Roles.Rep, IsActive: true } rep)
        {
            return false;
        }

        users.RequireUnchanged(rep);
        return true;
    }

    /// <summary>
    /// Whether the owner a rep names is itself: the deal is then its own, as when it names none, and its ownership is
    /// the caller's to be refused (<see cref="CallerMayOwnAsync"/>, 403), not a named owner's (400 "no active rep").
    /// </summary>
    public static bool NamesTheCallingRep(ICurrentUser user, Guid? ownerId) =>
        user.Role == Roles.Rep && ownerId is { } owner && owner == user.UserGuid();

    /// <summary>
    /// Refuses (403) a caller that owns the deal it opens itself when an admin deactivated it: its token may still work,
    /// but it is given no new deals. A caller CoSell has no row for (an identity provider's user never added) may.
    /// </summary>
    public Task CallerMayOwnAsync(Guid caller, CancellationToken cancellationToken) =>
        CallerMayTakeOnAsync(caller, "Your user is deactivated: it is given no new deals.", cancellationToken);

    /// <summary>
    /// Refuses (403, with <paramref name="refusal"/>) a caller an admin deactivated, as <see cref="CallerMayOwnAsync"/> does,
    /// for anything new it would answer for; the command commits only while the caller's row is as read.
    /// </summary>
    public async Task CallerMayTakeOnAsync(Guid caller, string refusal, CancellationToken cancellationToken)
    {
        if (await users.GetByIdAsync(caller, cancellationToken) is not { } known)
        {
            return;
        }

        if (!known.IsActive)
        {
            throw new ForbiddenException(refusal);
        }

        users.RequireUnchanged(known);
    }
}
