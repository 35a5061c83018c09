using CoSell.Application.Registrations;
using CoSell.Infrastructure.Jobs;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Registrations;

public sealed class ExpiryOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Expires approved registrations whose protection window has ended.</summary>
public sealed class RegistrationExpiryService(IServiceScopeFactory scopes, TimeProvider time, IOptions<ExpiryOptions> options, ILogger<RegistrationExpiryService> logger)
    : PeriodicBatchService(scopes, time, options.Value.Interval, logger)
{
    protected override string Work => "Expired registrations";

    protected override IRequest<int> NextBatch() => new ExpireRegistrations();
}
