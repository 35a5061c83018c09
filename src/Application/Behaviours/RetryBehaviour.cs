using CoSell.Application.Abstractions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace CoSell.Application.Behaviours;

/// <summary>
/// Decides a command marked <see cref="IRetriedOnConcurrentChange"/> again, from its validation on, when its commit lost
/// to a change its caller set no precondition against: what it read and staged is forgotten, and it reads afresh. Each
/// round of commits lets at least one of the commands racing on an aggregate through, so as many rounds as racers
/// settle them; past <see cref="Attempts"/> the caller gets the 409.
/// </summary>
public sealed class RetryBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork, IAnswerRecorder answers, ILogger<RetryBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public const int Attempts = 10;

    private static readonly bool IsRetried = typeof(IRetriedOnConcurrentChange).IsAssignableFrom(typeof(TRequest));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!IsRetried)
        {
            return await next();
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next();
            }
            catch (ConcurrentChangeException lost) when (attempt < Attempts && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug("{Request} lost to a concurrent change ({Code}) on attempt {Attempt}; deciding it again", typeof(TRequest).Name, lost.Code, attempt);
                unitOfWork.Discard();
                answers.Discard();
            }
        }
    }
}
