using System.Reflection;
using CoSell.Application.Abstractions;
using CoSell.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using RequestAuthorize = CoSell.Application.Abstractions.AuthorizeAttribute;

namespace CoSell.Web.Http;

/// <summary>The request an endpoint sends, for endpoints whose parameters do not name it (a list read from the query).</summary>
public sealed record SendsMetadata(Type Request);

/// <summary>
/// Gives an endpoint the roles of the request it sends, read from the request's <see cref="RequestAuthorize"/>: the
/// body's own type when it is the request, the request its <see cref="ValidatedAsAttribute"/> names, or the one
/// <see cref="Sends{TRequest}"/> names. ASP.NET Core's authorisation then answers a role that may not act with 403
/// before the body or the query is read, so a malformed body or a bad page number from that role is a 403, not a 400.
/// The pipeline's authorisation behaviour still checks the same roles, and the resource.
/// </summary>
public static class RequestRoles
{
    /// <summary>Names the request an endpoint without a request body sends.</summary>
    public static RouteHandlerBuilder Sends<TRequest>(this RouteHandlerBuilder builder)
    {
        builder.WithMetadata(new SendsMetadata(typeof(TRequest)));
        return builder;
    }

    /// <summary>Adds the role requirement to every endpoint of <paramref name="builder"/> whose request names roles.</summary>
    public static TBuilder RequireRequestRoles<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (RequestOf(endpoint.Metadata)?.GetCustomAttribute<RequestAuthorize>() is { Roles.Count: > 0 } authorize)
            {
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = string.Join(',', authorize.Roles) });
            }
        });
        return builder;
    }

    /// <summary>
    /// RFC 9110 9.3.2: HEAD is GET without the body, and a general-purpose server answers it wherever it answers GET.
    /// Every GET route of the builder takes HEAD too, through the same roles, checks and handler; the server sends the
    /// status and headers (the ETag among them) and leaves the body out.
    /// </summary>
    public static TBuilder AnswerHeadLikeGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().LastOrDefault() is { } methods &&
                methods.HttpMethods.Contains(HttpMethods.Get) && !methods.HttpMethods.Contains(HttpMethods.Head))
            {
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Routing.HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
            }
        });
        return builder;
    }

    /// <summary>The request type an endpoint sends, as far as its metadata tells.</summary>
    internal static Type? RequestOf(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        if (items.OfType<SendsMetadata>().LastOrDefault() is { } sends)
        {
            return sends.Request;
        }

        return items.OfType<MethodInfo>().FirstOrDefault()?.GetParameters()
            .Select(p => p.ParameterType.GetCustomAttribute<ValidatedAsAttribute>()?.Request
                ?? (p.ParameterType.GetCustomAttribute<RequestAuthorize>() is not null ? p.ParameterType : null))
            .FirstOrDefault(t => t is not null);
    }
}

/// <summary>
/// Says why an endpoint's role requirement (<see cref="RequestRoles"/>) refused a signed-in user, in the words the
/// pipeline's own role check uses; every other outcome is the framework's.
/// </summary>
public sealed class RoleRefusal(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _framework = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true &&
            policy.Requirements.OfType<RolesAuthorizationRequirement>().FirstOrDefault() is { } roles && !roles.AllowedRoles.Any(context.User.IsInRole))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            var role = context.User.FindFirst(CoSellClaims.Role)?.Value;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Detail = $"The {role} role may not do this; it is for {string.Join(", ", roles.AllowedRoles)}." },
            });
            return;
        }

        await _framework.HandleAsync(next, context, policy, authorizeResult);
    }
}
