using CoSell.Application.Abstractions;
using CoSell.Domain.Opportunities;
using CoSell.Domain.SeedWork;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>Tells the opportunity's watchers (after commit) what changed, each event to exactly its audience.</summary>
public sealed class PushOpportunityChanges(IRealtimeNotifier notifier) :
    INotificationHandler<DomainEventNotification<OpportunityEvent>>,
    INotificationHandler<DomainEventNotification<OpportunityNoteAdded>>
{
    public Task Handle(DomainEventNotification<OpportunityEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        return notifier.OpportunityChangedAsync(
            new OpportunityChangedMessage(e.OpportunityId, e.Version, e.Type, e.Stage.ToString(), e.Summary, e.Actor, e.OccurredAt),
            Audience(e.Audience),
            cancellationToken);
    }

    public Task Handle(DomainEventNotification<OpportunityNoteAdded> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        return notifier.NoteAddedAsync(
            new NoteAddedMessage(e.OpportunityId, e.NoteId, e.Visibility.ToString(), e.Body, e.Actor, e.Version, e.OccurredAt),
            cancellationToken);
    }

    private static RealtimeAudience Audience(EventAudience audience) => audience.Kind switch
    {
        AudienceKind.Vendor => RealtimeAudience.Vendor,
        AudienceKind.Partner => RealtimeAudience.VendorAnd(audience.PartnerId!.Value),
        _ => RealtimeAudience.Everyone,
    };
}
