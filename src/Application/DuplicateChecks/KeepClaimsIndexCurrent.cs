using CoSell.Application.Abstractions;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.DuplicateChecks;

/// <summary>
/// After each commit, files a registration or direct opportunity in the claims index while it is a live claim and takes
/// it out when it is not. Each change is applied as the aggregate stands at the version the commit wrote, and the index
/// ignores a change older than one it already applied: requests publish their commits in no guaranteed order.
/// </summary>
public sealed class KeepClaimsIndexCurrent(ClaimsIndex index, CustomerNormaliser normaliser, IRepository<DealRegistration> registrations, IRepository<Opportunity> opportunities)
    : INotificationHandler<DomainEventNotification<RegistrationEvent>>, INotificationHandler<DomainEventNotification<OpportunityEvent>>
{
    /// <summary>Files an open direct opportunity as a claim; takes it out once it closes.</summary>
    public async Task Handle(DomainEventNotification<OpportunityEvent> notification, CancellationToken cancellationToken)
    {
        // The aggregate is still tracked by this request's unit of work: no second read of the database.
        var opportunity = await opportunities.GetByIdAsync(notification.Event.OpportunityId, cancellationToken);
        if (opportunity is null)
        {
            index.Remove(notification.Event.OpportunityId);
        }
        else if (CustomerClaim.IsLiveDirectClaim(opportunity))
        {
            index.Upsert(CustomerClaim.ForDirectOpportunity(opportunity, normaliser), opportunity.Version);
        }
        else
        {
            index.Remove(opportunity.Id, opportunity.Version);
        }
    }

    /// <summary>Files a registration while its status is a live claim; takes it out otherwise.</summary>
    public async Task Handle(DomainEventNotification<RegistrationEvent> notification, CancellationToken cancellationToken)
    {
        var registration = await registrations.GetByIdAsync(notification.Event.RegistrationId, cancellationToken);
        if (registration is null)
        {
            index.Remove(notification.Event.RegistrationId);
        }
        else if (RegistrationLifecycle.ActiveClaim.Contains(registration.Status))
        {
            index.Upsert(CustomerClaim.ForRegistration(registration, normaliser), registration.Version);
        }
        else
        {
            index.Remove(registration.Id, registration.Version);
        }
    }
}
