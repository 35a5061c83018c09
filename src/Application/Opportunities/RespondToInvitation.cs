using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>A request about one invitation.</summary>
public interface IInvitationRequest
{
    Guid InvitationId { get; }
}

/// <summary>An invitation addressed to another partner, or no invitation at all, is not found (404).</summary>
public sealed class InvitationAuthorizer<TRequest>(IRepository<Opportunity> opportunities) : IResourceAuthorizer<TRequest>
    where TRequest : IInvitationRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.FirstOrDefaultAsync(new OpportunityByInvitationSpec(request.InvitationId), cancellationToken);
        var invitation = opportunity?.Participants.First(p => p.Id == request.InvitationId);
        if (invitation is null || invitation.PartnerId != user.PartnerId)
        {
            throw new NotFoundException("invitation", request.InvitationId);
        }
    }
}

/// <summary>The invited partner accepts: it joins the opportunity and sees the customer contact.</summary>
[Authorize(Roles.Partner)]
/// <remarks>
/// An If-Match names the version of the opportunity the invitation is on, whose ETag the answer carries. Its id is
/// not known until the handler reads it, so a race lost at commit is a concurrent change: the acceptance is decided
/// again, and meets the If-Match then (412 once the opportunity moved on).
/// </remarks>
public sealed record AcceptInvitation(Guid InvitationId, IfMatch? ExpectedVersion = null) : ICommand<OpportunityDto>, IInvitationRequest, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => InvitationId;
}

public sealed class AcceptInvitationHandler(IRepository<Opportunity> opportunities, IRepository<Partner> partners, OpportunityView view, ICurrentUser user, TimeProvider time)
    : IRequestHandler<AcceptInvitation, OpportunityDto>
{
    public async Task<OpportunityDto> Handle(AcceptInvitation request, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.FirstOrDefaultAsync(new OpportunityByInvitationSpec(request.InvitationId), cancellationToken)
            ?? throw new NotFoundException("invitation", request.InvitationId);
        var now = time.GetUtcNow();
        opportunity.EnsureAnswerable(request.InvitationId, InvitationAction.Accept, now);
        // Accepting reveals the customer's contact and opens the live feed: not to a partner suspended since the invitation,
        // which learns nothing of the deal, its version included.
        var invited = opportunity.Participants.First(p => p.Id == request.InvitationId).PartnerId;
        await partners.ActivePartnerAsync(invited, "A suspended partner cannot co-sell.", cancellationToken);
        Concurrency.Check(opportunity.Version, request.ExpectedVersion, required: false);

        opportunity.AcceptInvitation(request.InvitationId, user.UserId, now);
        return view.For(opportunity);
    }
}

/// <summary>The invited partner rejects, saying why; the opportunity disappears from its view.</summary>
[Authorize(Roles.Partner)]
/// <remarks>An If-Match names the version of the opportunity the invitation is on (see <see cref="AcceptInvitation"/>).</remarks>
public sealed record RejectInvitation(Guid InvitationId, string? Reason, IfMatch? ExpectedVersion = null) : ICommand<InvitationDto>, IInvitationRequest, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => InvitationId;
}

public sealed class RejectInvitationValidator : AbstractValidator<RejectInvitation>
{
    public RejectInvitationValidator() =>
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Say why the invitation is rejected.").FreeText(Opportunity.MaximumMessageLength);
}

public sealed class RejectInvitationHandler(IRepository<Opportunity> opportunities, IRepository<Partner> partners, ICurrentUser user, TimeProvider time, TypeAdapterConfig mapping)
    : IRequestHandler<RejectInvitation, InvitationDto>
{
    public async Task<InvitationDto> Handle(RejectInvitation request, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.FirstOrDefaultAsync(new OpportunityByInvitationSpec(request.InvitationId), cancellationToken)
            ?? throw new NotFoundException("invitation", request.InvitationId);
        var now = time.GetUtcNow();
        opportunity.EnsureAnswerable(request.InvitationId, InvitationAction.Reject, now);
        // A suspended partner's opportunities, invitations too, stay closed to it: it answers none until it is reinstated,
        // nor after a suspension that commits while it answers, and learns nothing of the deal's version.
        var invited = opportunity.Participants.First(p => p.Id == request.InvitationId).PartnerId;
        await partners.ActivePartnerAsync(invited, OpportunityPolicy.ClosedToSuspended, cancellationToken);
        Concurrency.Check(opportunity.Version, request.ExpectedVersion, required: false);
        opportunity.RejectInvitation(request.InvitationId, request.Reason, user.UserId, now);
        return opportunity.Participants.First(p => p.Id == request.InvitationId).Adapt<InvitationDto>(mapping) with { OpportunityVersion = opportunity.Version };
    }
}

/// <summary>Expires a batch of invitations whose reply was due; run by the expiry service, not over HTTP.</summary>
public sealed record ExpireInvitations(int BatchSize = 200) : ICommand<int>, IRetriedOnConcurrentChange;

public sealed class ExpireInvitationsHandler(IRepository<Opportunity> opportunities, TimeProvider time) : IRequestHandler<ExpireInvitations, int>
{
    public async Task<int> Handle(ExpireInvitations request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await opportunities.ListAsync(new InvitationsDueSpec(now, request.BatchSize), cancellationToken);
        return due.Sum(o => o.ExpireInvitations(now));
    }
}
