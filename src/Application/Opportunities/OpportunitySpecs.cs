using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Users;

namespace CoSell.Application.Opportunities;

/// <summary>
/// Opportunities a caller may list at an instant, newest first: a partner's by participation (accepted, or invited and
/// inside the invitation's deadline, as <see cref="Participant.IsActiveAt"/>), a rep's by ownership.
/// </summary>
public sealed class OpportunitiesSpec : Specification<Opportunity>
{
    public OpportunitiesSpec(Guid? partnerId, Guid? ownerId, OpportunityStage? stage, DateTimeOffset at, PageRequest? page, ListPlace? after = null, Guid? only = null)
    {
        Query.AsNoTracking();
        if (partnerId is { } partner)
        {
            Query.Where(o => o.Participants.Any(p => p.PartnerId == partner
                && (p.Status == InvitationStatus.Accepted || (p.Status == InvitationStatus.Pending && p.RespondBy > at))));
        }

        if (ownerId is { } owner)
        {
            Query.Where(o => o.OwnerId == owner);
        }

        if (stage is { } s)
        {
            Query.Where(o => o.Stage == s);
        }

        Query.ReadsOn(o => o.CreatedAt, newestFirst: true, after, only);
        Query.Page(page);
    }
}

/// <summary>
/// Whether the viewer may join an opportunity's live feed (<see cref="OpportunityPolicy.CanWatch"/>), asked of the database
/// in one indexed read: a partner once it accepted, a rep for its own, channel managers, admins and arbiters for any.
/// The answer is a row or none, so an opportunity the viewer may not watch costs what one that does not exist costs,
/// and the time a refusal takes does not tell the two apart.
/// </summary>
public sealed class WatchableOpportunitySpec : SingleResultSpecification<Opportunity, bool>
{
    public WatchableOpportunitySpec(Guid opportunityId, Viewer viewer)
    {
        Query.AsNoTracking().Where(o => o.Id == opportunityId);
        switch (viewer.Role)
        {
            case Roles.Partner:
                var partner = viewer.PartnerId ?? Guid.Empty;
                Query.Where(o => o.Participants.Any(p => p.PartnerId == partner && p.Status == InvitationStatus.Accepted));
                break;
            case Roles.Rep:
                var owner = viewer.UserGuid ?? Guid.Empty;
                Query.Where(o => o.OwnerId == owner);
                break;
            case Roles.ChannelManager or Roles.Admin or Roles.Arbiter:
                break;
            default:
                Query.Where(o => false);
                break;
        }

        Query.Select(o => true);
    }
}

/// <summary>The opportunity an invitation belongs to.</summary>
public sealed class OpportunityByInvitationSpec : SingleResultSpecification<Opportunity>
{
    public OpportunityByInvitationSpec(Guid invitationId) => Query.Where(o => o.Participants.Any(p => p.Id == invitationId));
}

/// <summary>
/// The open opportunity opened from a source, if any: the one an earlier co-sell decision of a case opened, or the one a
/// registration was made (not one it was made before and lost).
/// </summary>
public sealed class OpenOpportunityFromSourceSpec : SingleResultSpecification<Opportunity>
{
    public OpenOpportunityFromSourceSpec(OpportunitySourceKind kind, Guid referenceId)
    {
        var open = OpportunityStages.Open.ToList();
        Query.Where(o => o.Source.Kind == kind && o.Source.ReferenceId == referenceId && open.Contains(o.Stage));
    }
}

/// <summary>Opportunities with a pending invitation whose reply was due.</summary>
public sealed class InvitationsDueSpec : Specification<Opportunity>
{
    public InvitationsDueSpec(DateTimeOffset at, int batch) =>
        Query.Where(o => o.Participants.Any(p => p.Status == InvitationStatus.Pending && p.RespondBy <= at))
            .OrderBy(o => o.Id)
            .Take(batch);
}

/// <summary>
/// The opportunities opened from a given source: a referral becomes one; a registration one at a time, another only once
/// those it was made were lost.
/// </summary>
public sealed class OpportunityFromSourceSpec : Specification<Opportunity>
{
    public OpportunityFromSourceSpec(OpportunitySourceKind kind, Guid referenceId) =>
        Query.Where(o => o.Source.Kind == kind && o.Source.ReferenceId == referenceId);
}

/// <summary>
/// A case's deals: those made from registrations it binds, the direct opportunities it binds, and the joint ones its
/// co-sell decisions opened.
/// </summary>
public sealed class DealsOfCaseSpec : Specification<Opportunity>
{
    public DealsOfCaseSpec(Guid conflictId, IReadOnlyCollection<Guid> registrationIds, IReadOnlyCollection<Guid> directIds) =>
        Query.Where(o => (o.Source.Kind == OpportunitySourceKind.Registration && registrationIds.Contains(o.Source.ReferenceId!.Value))
            || (o.Source.Kind == OpportunitySourceKind.ConflictDecision && o.Source.ReferenceId == conflictId)
            || directIds.Contains(o.Id));
}
