using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Jobs;

/// <summary>A periodic job whose batch is one Application command.</summary>
public abstract class PeriodicBatchService(IServiceScopeFactory scopes, TimeProvider time, TimeSpan interval, ILogger logger)
    : PeriodicJob(scopes, time, interval, logger)
{
    /// <summary>The command for the next batch; it answers how many rows it handled.</summary>
    protected abstract IRequest<int> NextBatch();

    protected sealed override Task<int> HandleNextBatchAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IMediator>().Send(NextBatch(), cancellationToken);
}
