using CoSell.Application.Abstractions;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>Commits a command's changes once, after its handler returned; then lets go of what the command held.</summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork, CommandCompletion completion) : IPipelineBehavior<TRequest, TResponse>
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
                await unitOfWork.CommitAsync(cancellationToken);
            }

            return response;
        }
        finally
        {
            completion.Finish();
        }
    }
}
