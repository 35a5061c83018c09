using Microsoft.AspNetCore.Routing.Template;

namespace CoSell.Web.Http;

/// <summary>
/// A path nothing answers is a 404, whatever the method. ASP.NET Core's method check picks its 405 from the routes whose
/// template the path fits before a route's <c>{id:guid}</c> constraint is weighed, so a wrong method on
/// <c>/registrations/nope/approve</c> was a 405 whose <c>Allow</c> named a method that then answered 404. Where every
/// route the path fits refuses its id, the 405 is let go and the request answered as one for a path nothing answers.
/// </summary>
public sealed class UnmatchedIds(RequestDelegate next, EndpointDataSource endpoints)
{
    private const string MethodNotAllowed = "405 HTTP Method Not Supported";

    private readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string[] Guids)>> _routes = new(() => endpoints.Endpoints.OfType<RouteEndpoint>()
        .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()),
            e.RoutePattern.Parameters.Where(p => p.ParameterPolicies.Any(policy => policy.Content == "guid")).Select(p => p.Name).ToArray()))
        .ToList());

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { DisplayName: MethodNotAllowed } && !AnyRouteTakes(context.Request.Path))
        {
            context.SetEndpoint(null);
            context.Request.RouteValues.Clear();
        }

        return next(context);
    }

    /// <summary>Whether the path fits a route, its ids as the route reads them; a path that fits only routes whose ids it refuses does not.</summary>
    private bool AnyRouteTakes(PathString path)
    {
        var fitsAny = false;
        foreach (var (matcher, guids) in _routes.Value)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(path, values))
            {
                continue;
            }

            fitsAny = true;
            if (guids.All(name => Guid.TryParse(values[name]?.ToString(), out _)))
            {
                return true;
            }
        }

        // A path no template fits as this reads them is left as ASP.NET Core found it.
        return !fitsAny;
    }
}
