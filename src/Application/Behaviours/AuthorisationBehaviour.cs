using CoSell.Application.Abstractions;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>
/// Runs every resource authoriser of a valid request (404 for a resource the caller may not know of, 403 for one it
/// may know but not act on). The caller's role was checked before validation (<see cref="RoleBehaviour{TRequest,TResponse}"/>).
/// </summary>
public sealed class AuthorisationBehaviour<TRequest, TResponse>(ICurrentUser user, IEnumerable<IResourceAuthorizer<TRequest>> authorizers)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        foreach (var authorizer in authorizers)
        {
            await authorizer.AuthorizeAsync(request, user, cancellationToken);
        }

        return await next();
    }
}
