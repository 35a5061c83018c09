using CoSell.Application.Abstractions;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>
/// Tells the opportunity's watchers (after commit) what changed, each event to exactly its audience. A change a partner's
/// user made reads to the other partners as made by "another partner", and one the arbiter made to every partner as made
/// by "arbiter", as the timeline has it (ADR 0006); a change of
/// owner takes the former owner off the feed, and an ended participation its partner's users.
/// </summary>
public sealed class PushOpportunityChanges(IRealtimeNotifier notifier, ICurrentUser user, IRepository<Opportunity> opportunities, IRepository<Partner> partners) :
    INotificationHandler<DomainEventNotification<OpportunityEvent>>,
    INotificationHandler<DomainEventNotification<OpportunityNoteAdded>>
{
    public async Task Handle(DomainEventNotification<OpportunityEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        await notifier.OpportunityChangedAsync(
            new OpportunityChangedMessage(e.OpportunityId, e.Version, e.Type, e.Stage, e.Summary, e.Actor, e.OccurredAt),
            await AudienceAsync(e.Audience, cancellationToken),
            await PartnerActorAsync(e.OpportunityId, e.Actor, cancellationToken),
            cancellationToken);
        if (e.Type == OpportunityEvents.OwnerChanged && await opportunities.GetByIdAsync(e.OpportunityId, cancellationToken) is { } opportunity)
        {
            await notifier.OwnerChangedAsync(opportunity.Id, opportunity.OwnerId, cancellationToken);
        }
        else if (e.Type == OpportunityEvents.ParticipationEnded && e.Audience.PartnerId is { } ended)
        {
            await notifier.ParticipationEndedAsync(e.OpportunityId, ended, cancellationToken);
        }
    }

    public async Task Handle(DomainEventNotification<OpportunityNoteAdded> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        await notifier.NoteAddedAsync(
            new NoteAddedMessage(e.OpportunityId, e.NoteId, e.Visibility, e.Body, e.Actor, e.Version, e.OccurredAt),
            await PartnerActorAsync(e.OpportunityId, e.Actor, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// Who must read the maker of the change unnamed: the opportunity's other partners when a partner's user made it,
    /// every partner when the arbiter did (deciding a case), or no one. Changes are pushed in the request that made
    /// them, so that user is the caller; the opportunity is the one the request changed, still tracked.
    /// </summary>
    private async Task<PartnerActor?> PartnerActorAsync(Guid opportunityId, string actor, CancellationToken cancellationToken)
    {
        if (user.UserId != actor || !(user.IsPartner() || user.Role == Roles.Arbiter)
            || await opportunities.GetByIdAsync(opportunityId, cancellationToken) is not { } opportunity)
        {
            return null;
        }

        var partners = opportunity.Participants.Select(p => p.PartnerId);
        return user.IsPartner() && user.PartnerId is { } partner ? PartnerActor.OfPartner(partner, partners) : PartnerActor.OfArbiter(partners);
    }

    /// <summary>
    /// Who hears the event. One meant for a partner as well as the vendor reaches only the vendor while that partner is
    /// suspended: its users may still be connected (for their registrations), but its opportunities are closed to it.
    /// </summary>
    private async Task<RealtimeAudience> AudienceAsync(EventAudience audience, CancellationToken cancellationToken) => audience.Kind switch
    {
        AudienceKind.Vendor => RealtimeAudience.Vendor,
        AudienceKind.Partner => await partners.GetByIdAsync(audience.PartnerId!.Value, cancellationToken) is { IsActive: true }
            ? RealtimeAudience.VendorAnd(audience.PartnerId!.Value)
            : RealtimeAudience.Vendor,
        _ => RealtimeAudience.Everyone,
    };
}
