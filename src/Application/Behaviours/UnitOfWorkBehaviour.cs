using CoSell.Application.Abstractions;
using CoSell.Domain.SeedWork;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>
/// Commits a command's changes once, after its handler returned, with what its caller records of the answer (the first
/// answer to an Idempotency-Key); then lets go of what the command held.
/// </summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork, CommandCompletion completion, IAnswerRecorder answers) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            var response = await next();
            if (IsCommand)
            {
                answers.BeforeCommit(response);
                await CommitAsync(request, cancellationToken);
            }

            return response;
        }
        finally
        {
            completion.Finish();
        }
    }

    /// <summary>
    /// A precondition the handler found failed (If-Match, If-None-Match) is the caller's, and answered so; one the commit
    /// found failed is judged here by what the caller set.
    /// </summary>
    private async Task CommitAsync(TRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }
        catch (PreconditionFailedException stale) when (stale.Exists && (
            request is not IVersionedCommand { ExpectedVersion: not null } versioned ||
            (stale.AggregateId is { } moved && versioned.VersionedId is { } named && moved != named)))
        {
            // Lost to a change committed a moment earlier. A caller who sent no If-Match set no precondition, and one
            // whose commit failed on another aggregate (a rival registration the conflict opener flagged) held a
            // precondition that did not fail: either is told of the conflict (409), not of a failed precondition (412).
            throw new ConcurrentChangeException("conflict.concurrent_change", "Someone changed this at the same moment; read it again and retry.");
        }
    }
}
