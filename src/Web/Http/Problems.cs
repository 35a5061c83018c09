using System.Diagnostics;
using System.Text.Json;
using CoSell.Application.AccountMapping;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CoSell.Web.Http;

/// <summary>The one map from an exception to an RFC 9457 problem: every error body carries a stable <c>code</c> and the <c>traceId</c>.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, StorageDamage damage, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        damage.Observe(exception);
        if (problem.Extensions["code"] is "bad_request" && exception is BadHttpRequestException { Message: var m } && m.Contains("no body was provided", StringComparison.Ordinal) && BodySent(httpContext))
        {
            // The framework says the same of a body that reads as JSON null: JSON of the wrong type, as a number would be.
            problem = Problem(400, "malformed_json", "The request body is not valid JSON for this route.",
                httpContext.Request.ContentLength > 0
                    ? "The body is JSON null: send the JSON object this route reads."
                    : "The body is empty or JSON null: send the JSON object this route reads.");
        }

        if (exception is PreconditionRequiredException)
        {
            problem.Detail = RequestConditions.PreconditionRequired(httpContext.Request);
        }

        if (problem.Status >= 500)
        {
            // The traceId the answer asks the caller to quote, in the line itself: found with grep, whatever the log's format.
            logger.LogError(exception, "{Outcome} ({Code}) on {Method} {Path}, traceId {TraceId}", problem.Status == 503 ? "Unavailable" : "Unhandled error",
                problem.Extensions["code"], httpContext.Request.Method, httpContext.Request.Path, ProblemSetup.TraceIdOf(httpContext));
        }

        Answer(httpContext.Response, problem);
        if (exception is ContentCodingRefusedException)
        {
            httpContext.Response.Headers.AcceptEncoding = "identity";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem's status on the response, and on a 503 the <c>Retry-After</c> every 503 of the API carries.</summary>
    internal static void Answer(HttpResponse response, ProblemDetails problem)
    {
        response.StatusCode = problem.Status!.Value;
        if (problem.Status == 503)
        {
            response.Headers.RetryAfter = Health.ReadinessAnswer.RetryAfterSeconds;
        }
    }

    internal const string IdempotencyKeyReusedTitle = "The Idempotency-Key was used for another request.";

    /// <summary>The title of a 412 that If-None-Match, not If-Match, made.</summary>
    internal const string IfNoneMatchTitle = "If-None-Match refuses the current version.";

    internal static ProblemDetails Map(Exception exception) => exception switch
    {
        ValidationException v => Validation(v.Errors.GroupBy(e => Camel(e.PropertyName)).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
        UploadRefusedException u => Refused(u),
        AccountListFormatException f => Problem(400, f.Code, "The account list cannot be read.", f.Message),
        Endpoints.AccountMappingEndpoints.UnsupportedUploadTypeException m => Problem(415, "unsupported_media_type", "The upload's content type is not supported.", m.Message),
        AccountListTooLargeException t => Problem(413, "account_list.too_many_rows", "The account list is too large.", t.Message),
        DomainValidationException d => Problem(400, d.Code, "The request is not valid.", d.Message, d.Errors.ToDictionary(e => e.Key, e => new[] { e.Value })),
        DomainException d => Problem(409, d.Code, ProblemSetup.TitleFor(409)!, d.Message),
        NotFoundException n => Problem(404, "not_found", ProblemSetup.TitleFor(404)!, n.Message),
        ForbiddenException f => Problem(403, "forbidden", ProblemSetup.TitleFor(403)!, f.Message),
        UnauthenticatedException u => Problem(401, "unauthenticated", ProblemSetup.TitleFor(401)!, u.Message),
        PreconditionFailedException { Exists: false } p => Problem(412, "precondition_failed", ProblemSetup.TitleFor(412)!, p.Message),
        PreconditionFailedException { OfIfNoneMatch: true } p => WithCurrentVersion(Problem(412, "precondition_failed", IfNoneMatchTitle, p.Message), p.CurrentVersion),
        PreconditionFailedException p => WithCurrentVersion(Problem(412, "precondition_failed", ProblemSetup.TitleFor(412)!, p.Message), p.CurrentVersion),
        PreconditionRequiredException p => Problem(428, "precondition_required", ProblemSetup.TitleFor(428)!, p.Message),
        IdempotencyKeyReusedException i => Problem(422, "idempotency_key_reused", IdempotencyKeyReusedTitle, i.Message),
        JsonNullBodyException n => Problem(400, "malformed_json", "The request body is not valid JSON for this route.", n.Message),
        BadHttpRequestException { StatusCode: 413 } b => Problem(413, "payload_too_large", ProblemSetup.TitleFor(413)!, b.Message),
        BadHttpRequestException { InnerException: UndecodableBodyException u } => Problem(400, "malformed_json", "The request body is not valid JSON for this route.", u.Message),
        BadHttpRequestException b when b.InnerException is JsonException j => Problem(400, "malformed_json", "The request body is not valid JSON for this route.", Describe(j)),
        BadHttpRequestException { Message: var m } when m.Contains("no body was provided", StringComparison.Ordinal) =>
            Malformed(400, "The request needs a JSON body."),
        BadHttpRequestException b => Malformed(b.StatusCode is >= 400 and < 500 ? b.StatusCode : 400, SaidBack(b.Message)),
        UndecodableBodyException u => Problem(400, "malformed_json", "The request body is not valid JSON for this route.", u.Message),
        JsonException j => Problem(400, "malformed_json", "The request body is not valid JSON for this route.", Describe(j)),
        ClaimsIndexUnavailableException c => Problem(503, "claims_index_unavailable", "The service cannot judge registrations now.", c.Message),
        Identity.IdentityProviderKeysUnavailableException k => Problem(503, "identity_provider_unavailable", "The service cannot verify tokens now.", k.Message),
        _ when StorageErrorOf(exception) is { } storage => storage is 5 or 6
            ? Problem(503, "database_busy", "The database is busy.", "Another process holds the database's lock, and nothing was done. Try again shortly.")
            : Problem(503, "storage_unavailable", "The service cannot reach its data now.", "The database could not be read or written (the disk full, the file read-only, damaged or gone). A change may or may not have been stored: read it before you send it again. The error has been logged; quote the traceId when you report it."),
        _ => Problem(500, "internal_error", ProblemSetup.TitleFor(500)!, "The error has been logged; quote the traceId when you report it."),
    };

    /// <summary>Whether the request came with a body, as the framework judges it (a length above 0, a chunked body, or an HTTP/2 or HTTP/3 stream not ended with its headers).</summary>
    internal static bool BodySent(HttpContext context) =>
        context.Request.ContentLength is { } length ? length > 0 : context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    /// <summary>
    /// The SQLite error of a failure of the storage rather than of the request, anywhere in the chain: busy or locked by
    /// another process (5, 6), read-only (8), an I/O error (10), the file damaged (11, 26), the disk full (13), the file
    /// unopenable (14).
    /// </summary>
    private static int? StorageErrorOf(Exception? exception) =>
        SqliteFailure.Of(exception) is { SqliteErrorCode: 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 } sqlite ? sqlite.SqliteErrorCode : null;

    /// <summary>
    /// The framework's message with the values it quotes from the request said back as any refused value is: a
    /// Content-Type of 8,000 characters, or one with markup in it, was quoted whole.
    /// </summary>
    internal static string SaidBack(string message)
    {
        const string UnsupportedType = "Expected a supported JSON media type but got \"";
        if (message.StartsWith(UnsupportedType, StringComparison.Ordinal) && message.EndsWith("\".", StringComparison.Ordinal))
        {
            // The header may hold quotes of its own: all between the first quote and the last is the value.
            return $"{UnsupportedType}{Characters.Shown(message[UnsupportedType.Length..^2])}\".";
        }

        return System.Text.RegularExpressions.Regex.Replace(
            message, "\"([^\"]*)\"", m => $"\"{Characters.Shown(m.Groups[1].Value)}\"", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    // The code and title follow the status, so a 415 reads the same whether the framework or our binding refused the body.
    private static ProblemDetails Malformed(int status, string detail) => Problem(status, ProblemSetup.CodeFor(status), ProblemSetup.TitleFor(status) ?? "The request is malformed.", detail);

    /// <summary>A refused upload: 422 with the counts and the bad rows by line, so the file can be fixed.</summary>
    private static ProblemDetails Refused(UploadRefusedException u)
    {
        var problem = Problem(422, u.Code, "The account list was refused; the previous list is unchanged.", u.Message);
        problem.Extensions["totalRows"] = u.Summary.TotalRows;
        problem.Extensions["badRows"] = u.Summary.BadRows;
        problem.Extensions["repeatedRows"] = u.Summary.RepeatedRows;
        problem.Extensions["rows"] = u.Summary.Problems.Select(p => new { line = p.Line, reason = p.Reason }).ToList();
        return problem;
    }

    private static HttpValidationProblemDetails Validation(IDictionary<string, string[]> errors)
    {
        var problem = new HttpValidationProblemDetails(errors) { Status = 400, Title = "The request is not valid.", Detail = "See errors for each field." };
        problem.Extensions["code"] = "validation_failed";
        return problem;
    }

    private static ProblemDetails Problem(int status, string code, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>The body names the current version too, for clients that cannot read the ETag header of an error.</summary>
    private static ProblemDetails WithCurrentVersion(ProblemDetails problem, long version)
    {
        problem.Extensions["currentVersion"] = version;
        return problem;
    }

    // The reader names an unknown field only in its message (with the .NET type, which is not the caller's business).
    /// <remarks>The path is said back as far as a reader needs it: a field's name of any length is shown in a line.</remarks>
    private static string Describe(JsonException j) => j.Path is { Length: > 0 } whole && Characters.Shown(whole, PathShown) is var path
        ? JsonProblems.IsUnknownField(j)
            ? $"'{path}' is not a field of this request: check its spelling against the API description."
            : JsonProblems.IsRepeatedField(j)
                ? $"'{path}' is given more than once; give each field once."
                : j is UnreadableValueException
                    ? $"The value at '{path}' cannot be read: {j.Message}"
                    : $"The value at '{path}' cannot be read: check its type, format or allowed values."
        : "The body cannot be read as JSON.";

    /// <summary>The longest path said back whole: deeper than any field of a request, too short to carry a body back.</summary>
    private const int PathShown = 120;

    private static string Camel(string name) =>
        string.Join('.', name.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}

public static class ProblemSetup
{
    private static readonly Dictionary<int, string> Codes = new()
    {
        [400] = "bad_request",
        [401] = "unauthenticated",
        [403] = "forbidden",
        [404] = "not_found",
        [405] = "method_not_allowed",
        [408] = "request_timeout",
        [409] = "conflict",
        [412] = "precondition_failed",
        [413] = "payload_too_large",
        [415] = "unsupported_media_type",
        [422] = "unprocessable",
        [428] = "precondition_required",
        [429] = "too_many_requests",
        [500] = "internal_error",
    };

    // The framework's links for the statuses it knows (clients may match on them), and links of the same form to RFC 9110 and RFC 6585 for the others CoSell answers.
    private static readonly Dictionary<int, string> Types = new()
    {
        [400] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [401] = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        [403] = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        [404] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        [405] = "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        [406] = "https://tools.ietf.org/html/rfc9110#section-15.5.7",
        [408] = "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        [409] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        [412] = "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        [413] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [415] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        [422] = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        [426] = "https://tools.ietf.org/html/rfc9110#section-15.5.22",
        [428] = "https://tools.ietf.org/html/rfc6585#section-3",
        [429] = "https://tools.ietf.org/html/rfc6585#section-4",
        [500] = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        [502] = "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        [503] = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        [504] = "https://tools.ietf.org/html/rfc9110#section-15.6.5",
    };

    // One title per status wherever the problem comes from (a handler, the framework's status pages, SignalR's
    // transports), so a 403 or a 413 reads the same on every route; a cause that says more brings its own title.
    private static readonly Dictionary<int, string> Titles = new()
    {
        [400] = "The request is malformed.",
        [401] = "Sign in first.",
        [403] = "Forbidden.",
        [404] = "Not found.",
        [405] = "The method is not allowed here.",
        [408] = "The request body stopped arriving.",
        [409] = "The request breaks a business rule.",
        [412] = "If-Match does not match the current version.",
        [413] = "The request body is too large.",
        [415] = "Unsupported media type.",
        [428] = "An If-Match naming the version is required.",
        [429] = "Too many requests.",
        [500] = "Something went wrong on our side.",
    };

    internal static string CodeFor(int status) => Codes.GetValueOrDefault(status, "error");

    /// <summary>A problem's <c>type</c> for its status: the RFC section that defines it, or "about:blank".</summary>
    internal static string TypeFor(int status) => Types.GetValueOrDefault(status, "about:blank");

    internal static string? TitleFor(int status) =>
        Titles.TryGetValue(status, out var title) ? title
        : Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : null;

    /// <summary>The id an error body names and the log line of a 500 carries.</summary>
    internal static string TraceIdOf(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;

    public static IServiceCollection AddCoSellProblems(this IServiceCollection services)
    {
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Registered before the framework's writer, which answers only clients that accept JSON: an error reaches a
        // client that asked for CSV (or anything else) as problem+json too, never as a 500 or an empty body.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = TraceIdOf(context.HttpContext);
            // RFC 9457: a problem whose type names nothing more than its status is "about:blank".
            problem.Type ??= TypeFor(status);
            problem.Title ??= TitleFor(status);
            // A body over the limit that the route's own reading met (no length was stated) leaves only the status.
            if (status == StatusCodes.Status413PayloadTooLarge && problem.Detail is null && RequestLimits.ExceededLimit(context.HttpContext) is { } limit)
            {
                problem.Detail = RequestLimits.TooLarge(limit).Message;
            }
            if (status == StatusCodes.Status401Unauthorized && problem.Detail is null)
            {
                problem.Detail = Identity.TokenRefusal.Of(context.HttpContext);
            }

            if (!problem.Extensions.ContainsKey("code"))
            {
                problem.Extensions["code"] = CodeFor(status);
            }
        });
        return services;
    }
}

/// <summary>Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c> header asked for.</summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, json.Value.SerializerOptions.GetTypeInfo(problem.GetType()), "application/problem+json", context.HttpContext.RequestAborted));
    }
}
