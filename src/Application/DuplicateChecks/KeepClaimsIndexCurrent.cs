using CoSell.Application.Abstractions;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.DuplicateChecks;

/// <summary>After each commit, files a registration or direct opportunity in the claims index while it is a live claim and takes it out when it is not.</summary>
public sealed class KeepClaimsIndexCurrent(ClaimsIndex index, CustomerNormaliser normaliser, IRepository<DealRegistration> registrations, IRepository<Opportunity> opportunities)
    : INotificationHandler<DomainEventNotification<RegistrationEvent>>, INotificationHandler<DomainEventNotification<OpportunityEvent>>
{
    /// <summary>Files an open direct opportunity as a claim; takes it out once it closes.</summary>
    public async Task Handle(DomainEventNotification<OpportunityEvent> notification, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.GetByIdAsync(notification.Event.OpportunityId, cancellationToken);
        if (opportunity is not null && CustomerClaim.IsLiveDirectClaim(opportunity))
        {
            index.Upsert(CustomerClaim.ForDirectOpportunity(opportunity, normaliser));
        }
        else
        {
            index.Remove(notification.Event.OpportunityId);
        }
    }

    public async Task Handle(DomainEventNotification<RegistrationEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        if (!RegistrationLifecycle.ActiveClaim.Contains(e.To))
        {
            index.Remove(e.RegistrationId);
            return;
        }

        // The aggregate is still tracked by this request's unit of work: no second read of the database.
        if (await registrations.GetByIdAsync(e.RegistrationId, cancellationToken) is { } registration &&
            RegistrationLifecycle.ActiveClaim.Contains(registration.Status))
        {
            index.Upsert(CustomerClaim.ForRegistration(registration, normaliser));
        }
    }
}
