using System.Globalization;
using CoSell.Application.Abstractions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CoSell.Web.Http;

/// <summary>The ETag of a resource is its version: <c>"7"</c>.</summary>
public static class ETags
{
    /// <summary>Sends the request and answers the resource it gives, with its version as the ETag.</summary>
    public static async Task<Ok<T>> SendVersioned<T>(this IMediator mediator, IRequest<T> request, HttpContext http, CancellationToken ct)
        where T : IVersionedDto
    {
        AnswerRecorder.Expect<T>(http, dto => new StoredAnswer(StatusCodes.Status200OK, null, dto.Version));
        var dto = await mediator.Send(request, ct);
        Set(http.Response, dto.Version);
        return TypedResults.Ok(dto);
    }

    /// <summary>Sends the create and answers 201 with the resource's address and its version as the ETag.</summary>
    public static Task<Created<T>> SendCreated<T>(this IMediator mediator, IRequest<T> request, Func<T, string> location, HttpContext http, CancellationToken ct)
        where T : IVersionedDto =>
        mediator.SendCreated(request, location, dto => dto.Version, http, ct);

    /// <summary>
    /// Sends the create and answers 201 with the address <paramref name="location"/> gives and the version
    /// <paramref name="version"/> names as the ETag (none when it names none); an Idempotency-Key's first answer is
    /// recorded from the same two with the command's commit.
    /// </summary>
    public static async Task<Created<T>> SendCreated<T>(this IMediator mediator, IRequest<T> request, Func<T, string> location, Func<T, long?> version, HttpContext http, CancellationToken ct)
    {
        AnswerRecorder.Expect<T>(http, dto => new StoredAnswer(StatusCodes.Status201Created, location(dto), version(dto)));
        var dto = await mediator.Send(request, ct);
        if (version(dto) is { } current)
        {
            Set(http.Response, current);
        }

        return TypedResults.Created(location(dto), dto);
    }

    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The versions If-Match names; null when the header is absent or <c>*</c>. Every strong tag of the list counts
    /// (RFC 9110 13.1.1), compared character for character with the tags this service issues. A weak tag never
    /// matches, and neither does a tag this service did not issue (<c>"007"</c> is not <c>"7"</c>) or a header that
    /// is not a well-formed list, so those name no version.
    /// </summary>
    public static IfMatch? ParseIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header.ToString()))
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0)
        {
            return IfMatch.NoVersion;
        }

        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            // "*" stands alone or not at all.
            return tags.Count == 1 ? null : IfMatch.NoVersion;
        }

        return IfMatch.Of(tags.Where(tag => !tag.IsWeak).Select(VersionOf).OfType<long>());
    }

    /// <summary>
    /// What If-None-Match names; null when the header is absent. Tags are compared weakly (RFC 9110 13.1.2): <c>W/"3"</c>
    /// names version 3. A header that is not a well-formed list is read, for a change, as <c>*</c>, so that a precondition
    /// meant but mistyped never lets the change overwrite what it meant to spare; for a read, as absent, so that it is
    /// answered in full.
    /// </summary>
    public static IfNoneMatch? ParseIfNoneMatch(HttpRequest request)
    {
        var header = request.Headers.IfNoneMatch;
        if (string.IsNullOrWhiteSpace(header.ToString()))
        {
            return null;
        }

        var tags = EntityTagHeaderValue.TryParseStrictList(header, out var parsed) && parsed.Count > 0 ? parsed : null;
        if (tags is null && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return null;
        }

        if (tags is null)
        {
            return IfNoneMatch.UnreadableAsAny;
        }

        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return IfNoneMatch.Any;
        }

        return new IfNoneMatch(false, [.. tags.Select(VersionOf).OfType<long>()]);
    }

    /// <summary>The version a tag names, weak or strong, written as this service writes it (<c>"007"</c> is not <c>"7"</c>); none otherwise.</summary>
    private static long? VersionOf(EntityTagHeaderValue tag)
    {
        var quoted = tag.Tag.AsSpan();
        return quoted.Length > 2 && long.TryParse(quoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && quoted.SequenceEqual(Format(version))
            ? version
            : null;
    }

    /// <summary>Whether If-Match is <c>*</c>, which any version matches and so names none (<see cref="ParseIfMatch"/> reads it as absent).</summary>
    public static bool NamesAnyVersion(HttpRequest request) =>
        EntityTagHeaderValue.TryParseStrictList(request.Headers.IfMatch, out var tags) && tags is [var tag] && tag.Equals(EntityTagHeaderValue.Any);

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = Format(version);
}

/// <summary>
/// Answers a read whose If-None-Match names the version it would answer (or is <c>*</c>) 304 Not Modified, with the
/// ETag and no body (RFC 9110 13.1.2, 15.4.5): a client that keeps a copy by its ETag reads it again only when it moved.
/// A read whose If-Match names none of the versions it would answer is refused 412 with the current ETag (13.1.1), as a
/// change is: a client asking for the version it knows is not handed another. Only reads are given the filter: a
/// change runs without it.
/// </summary>
public static class NotModifiedFilter
{
    /// <summary>Gives every read of the group the filter.</summary>
    public static void AnswerNotModifiedOnReads(this RouteGroupBuilder group) => ((IEndpointConventionBuilder)group).Add(endpoint =>
    {
        if (endpoint.Metadata.OfType<IHttpMethodMetadata>().Any(m => m.HttpMethods.Contains(HttpMethods.Get)))
        {
            endpoint.FilterFactories.Add((_, next) => async invocation => Answer(invocation.HttpContext, await next(invocation)));
        }
    });

    private static object? Answer(HttpContext http, object? result)
    {
        if (result is not IValueHttpResult { Value: IVersionedDto answer })
        {
            return result;
        }

        // If-Match is weighed first (RFC 9110 13.2.2); * (read as absent) matches any resource there is.
        if (ETags.ParseIfMatch(http.Request) is { } wanted && !wanted.Matches(answer.Version))
        {
            ETags.Set(http.Response, answer.Version);
            return TypedResults.Problem(ProblemExceptionHandler.Map(new PreconditionFailedException(answer.Version, namedNoVersion: !wanted.NamesAVersion)));
        }

        return answer.IsAnsweredByItsVersion() && ETags.ParseIfNoneMatch(http.Request) is { } named && named.Refuses(answer.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : result;
    }
}

/// <summary>
/// Answers a stale If-Match with 412 and the current ETag, so the caller can re-read and retry. It cannot be
/// left to the exception handler: ASP.NET Core's exception middleware strips ETag from every response it writes.
/// </summary>
public sealed class StaleETagFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PreconditionFailedException stale)
        {
            if (stale.Exists)
            {
                ETags.Set(context.HttpContext.Response, stale.CurrentVersion);
            }

            return TypedResults.Problem(ProblemExceptionHandler.Map(stale));
        }
    }
}
