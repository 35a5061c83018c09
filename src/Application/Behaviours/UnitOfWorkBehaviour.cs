using CoSell.Application.Abstractions;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>Commits a command's changes once, after its handler returned.</summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        if (IsCommand)
        {
            await unitOfWork.CommitAsync(cancellationToken);
        }

        return response;
    }
}
