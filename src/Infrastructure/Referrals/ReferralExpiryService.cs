using CoSell.Application.Referrals;
using CoSell.Infrastructure.Jobs;
using CoSell.Infrastructure.Registrations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Referrals;

/// <summary>Expires referrals left unanswered past their accept-by deadline.</summary>
public sealed class ReferralExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<ReferralExpiryService> logger)
    : PeriodicBatchService(scopes, time, options.Value.Interval, logger)
{
    protected override string Work => "Expired referrals";

    protected override IRequest<int> NextBatch() => new ExpireReferrals();
}
