using CoSell.Application.Abstractions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CoSell.Application.Behaviours;

/// <summary>Logs each request's duration: at Debug, or as a Warning when it took over half a second.</summary>
public sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger, ICurrentUser user, TimeProvider time)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = time.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            var who = request is IMadeForViewer { Viewer: var viewer } ? viewer.UserId : user.IsAuthenticated ? user.UserId : "anonymous";
            if (elapsed > TimeSpan.FromMilliseconds(500))
            {
                logger.LogWarning("{Request} for {User} took {Elapsed} ms", typeof(TRequest).Name, who, (long)elapsed.TotalMilliseconds);
            }
            else
            {
                logger.LogDebug("{Request} for {User} took {Elapsed} ms", typeof(TRequest).Name, who, (long)elapsed.TotalMilliseconds);
            }
        }
    }
}
