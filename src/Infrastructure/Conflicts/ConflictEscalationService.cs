using CoSell.Application.Conflicts;
using CoSell.Infrastructure.Jobs;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoSell.Infrastructure.Conflicts;

public sealed class EscalationOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Escalates conflict cases past their SLA to the admins, once each.</summary>
public sealed class ConflictEscalationService(IServiceScopeFactory scopes, TimeProvider time, IOptions<EscalationOptions> options, ILogger<ConflictEscalationService> logger)
    : PeriodicBatchService(scopes, time, options.Value.Interval, logger)
{
    protected override string Work => "Escalated overdue conflict cases to the admins";

    protected override IRequest<int> NextBatch() => new EscalateOverdueConflicts();
}
