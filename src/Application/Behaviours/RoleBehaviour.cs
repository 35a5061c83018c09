using System.Collections.Concurrent;
using System.Reflection;
using CoSell.Application.Abstractions;
using MediatR;

namespace CoSell.Application.Behaviours;

/// <summary>
/// Checks the caller's role before anything looks at the request (401/403): a caller who may not send it learns
/// nothing from how its content would have been judged, not even from a validator that looks something up.
/// </summary>
public sealed class RoleBehaviour<TRequest, TResponse>(ICurrentUser user) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly ConcurrentDictionary<Type, AuthorizeAttribute?> Attributes = new();

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
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

        return next();
    }
}
