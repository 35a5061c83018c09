using System.Collections.Concurrent;
using System.Reflection;
using CoSell.Application.Abstractions;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>Checks the caller's role (403) and then every resource authoriser of the request (404/403).</summary>
public sealed class AuthorisationBehaviour<TRequest, TResponse>(ICurrentUser user, IEnumerable<IResourceAuthorizer<TRequest>> authorizers)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly ConcurrentDictionary<Type, AuthorizeAttribute?> Attributes = new();

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var attribute = Attributes.GetOrAdd(typeof(TRequest), t => t.GetCustomAttribute<AuthorizeAttribute>());
        if (attribute is not null)
        {
            if (!user.IsAuthenticated)
            {
                throw new UnauthenticatedException();
            }

            if (attribute.Roles.Count > 0 && !attribute.Roles.Contains(user.Role))
            {
                throw new ForbiddenException($"The {user.Role} role may not do this; it is for {string.Join(", ", attribute.Roles)}.");
            }
        }

        // Partner scoping keys on the partner id: a partner sign-in without one must see nothing, not everything.
        if (user.IsAuthenticated && user.IsPartner() && user.PartnerId is null)
        {
            throw new ForbiddenException("Your sign-in names no partner organisation.");
        }

        foreach (var authorizer in authorizers)
        {
            await authorizer.AuthorizeAsync(request, user, cancellationToken);
        }

        return await next();
    }
}
