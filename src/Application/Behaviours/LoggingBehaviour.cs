using System.Diagnostics;
using CoSell.Application.Abstractions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CoSell.Application.Behaviours;

public sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger, ICurrentUser user)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > TimeSpan.FromMilliseconds(500))
            {
                logger.LogWarning("{Request} for {User} took {Elapsed} ms", typeof(TRequest).Name, user.IsAuthenticated ? user.UserId : "anonymous", (long)elapsed.TotalMilliseconds);
            }
            else
            {
                logger.LogDebug("{Request} for {User} took {Elapsed} ms", typeof(TRequest).Name, user.IsAuthenticated ? user.UserId : "anonymous", elapsed.TotalMilliseconds);
            }
        }
    }
}
