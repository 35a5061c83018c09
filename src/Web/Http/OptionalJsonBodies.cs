using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace CoSell.Web.Http;

/// <summary>
/// A route whose JSON body may be left out is handed JSON <c>null</c> as if no body came. A body of <c>null</c> that was
/// sent is JSON of the wrong type, refused (400 <c>malformed_json</c>) as a number or an array is, and as a route that
/// needs its body refuses it; no body at all still means "nothing to add".
/// </summary>
public static class OptionalJsonBodies
{
    public static EndpointFilterDelegate RefuseJsonNull(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var parameters = context.MethodInfo.GetParameters();
        var nullability = new NullabilityInfoContext();
        // Only a handler taking an object that may be null can be handed a body of null: the others pass straight on.
        if (!parameters.Any(p => p.ParameterType is { IsClass: true, IsAbstract: false } type && type != typeof(string) && nullability.Create(p).ReadState == NullabilityState.Nullable))
        {
            return next;
        }

        return invocation =>
        {
            var http = invocation.HttpContext;
            if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { IsOptional: true, RequestType: { } bodyType }
                && Array.FindIndex(parameters, p => p.ParameterType == bodyType) is >= 0 and var body
                && invocation.Arguments[body] is null
                && ProblemExceptionHandler.BodySent(http))
            {
                throw new JsonNullBodyException();
            }

            return next(invocation);
        };
    }
}

/// <summary>A body of JSON <c>null</c> sent to a route whose body may be left out.</summary>
public sealed class JsonNullBodyException() : Exception("The body is JSON null: send the JSON object this route reads, or no body at all.");
