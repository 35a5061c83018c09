using CoSell.Application.Opportunities;
using CoSell.Infrastructure.Jobs;
using CoSell.Infrastructure.Registrations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Opportunities;

/// <summary>Expires co-sell invitations left unanswered past the rules' SLA.</summary>
public sealed class InvitationExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<InvitationExpiryService> logger)
    : PeriodicBatchService(scopes, time, options.Value.Interval, logger)
{
    protected override string Work => "Expired co-sell invitations";

    protected override IRequest<int> NextBatch() => new ExpireInvitations();
}
