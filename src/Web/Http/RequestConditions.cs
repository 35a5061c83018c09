using Microsoft.AspNetCore.Builder;

namespace CoSell.Web.Http;

/// <summary>
/// The route names the version it changes in <c>If-Match</c>: always (<see cref="Required"/>) or when the caller sends
/// one; <see cref="AnswersETag"/> when its answer carries the version after the change.
/// </summary>
public sealed record IfMatchMetadata(bool Required, bool AnswersETag = true);

/// <summary>The route, a create-or-replace, goes ahead only where <c>If-None-Match</c> finds none of the versions it names (<c>*</c>: none at all).</summary>
public sealed record IfNoneMatchMetadata;

/// <summary>The route replays its first answer to a repeated <c>Idempotency-Key</c> (<see cref="IdempotencyFilter"/>).</summary>
public sealed record IdempotentMetadata;

/// <summary>What a route takes besides its body, said once where the route is mapped, so the OpenAPI document can say it too.</summary>
public static class RequestConditions
{
    /// <summary>Honours <c>Idempotency-Key</c>.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder route) =>
        route.AddEndpointFilter<IdempotencyFilter>().WithMetadata(new IdempotentMetadata());

    /// <summary>
    /// Checks <c>If-Match</c> against the resource's version (412 when stale); with <paramref name="required"/>, 428
    /// without one that names a version (<see cref="PreconditionRequired"/>).
    /// </summary>
    public static RouteHandlerBuilder IfMatch(this RouteHandlerBuilder route, bool required = false, bool answersETag = true) =>
        route.WithMetadata(new IfMatchMetadata(required, answersETag));

    /// <summary>Takes <c>If-None-Match</c>: <c>*</c> makes the resource only where there is none yet (412 otherwise).</summary>
    public static RouteHandlerBuilder IfNoneMatch(this RouteHandlerBuilder route) => route.WithMetadata(new IfNoneMatchMetadata());

    /// <summary>
    /// What a 428 tells the caller of a route that needs If-Match: that it is missing, or, when it was <c>*</c>, that
    /// <c>*</c> names no version; and where the ETag to send comes from (every such route is read with a GET of its path).
    /// </summary>
    public static string PreconditionRequired(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var read = $"GET {request.PathBase}{request.Path} answers the resource with its ETag header; send that ETag back in If-Match.";
        return ETags.NamesAnyVersion(request)
            ? $"If-Match: * names no version, so it cannot say which version this change was made to. {read}"
            : $"If-Match is missing: this change needs the version it was made to. {read}";
    }
}
