using System.Text.Json.Nodes;
using CoSell.Application.Abstractions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// Tells the OpenAPI document (and so the Scalar UI) that the API takes a bearer token, except on the routes that
/// need none, and that every operation answers its errors as an RFC 9457 problem.
/// </summary>
public sealed class OpenApiConventions(IHostEnvironment environment) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = environment.IsDevelopment()
                ? "In Development, get a token from POST /api/v1/dev/token."
                : "A JWT from the identity provider named by Auth:Authority or signed with Auth:SigningKey: sub, role and, for partner users, partner_id.",
        };
        // A path is appended to a server's address as written: one ending in a slash would make every address "//api/v1/…".
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }

        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            // An empty list overrides the document's requirement: this route takes no token.
            operation.Security = [];
        }

        operation.Responses ??= [];
        var fallback = ProblemResponse("An error, as an RFC 9457 problem with a stable code and a traceId (see the README's Errors section).", 404, "not_found", "Nothing with this id exists for you.");
        fallback.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = RetryAfter("On a 503 (storage_unavailable, not_ready): the seconds to wait before trying again.") };
        operation.Responses.TryAdd("default", fallback);

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (operation.RequestBody?.Content is { } bodies)
        {
            // A body that may be left out is not null when sent (OptionalJsonBodies): the description names the object alone.
            foreach (var (_, body) in bodies)
            {
                if (body is OpenApiMediaType { Schema.OneOf: [_, _] oneOf } media && oneOf.Any(s => s.Type == JsonSchemaType.Null))
                {
                    media.Schema = oneOf.Single(s => s.Type != JsonSchemaType.Null);
                }
            }
        }

        if (metadata.OfType<IfMatchMetadata>().FirstOrDefault() is { } ifMatch)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("If-Match", ifMatch.Required, ifMatch.Required
                    ? "The ETag you read (a strong tag, or a list of them). Required: the change is refused without it or with * (428), and when the resource has moved on (412)."
                    : "The ETag you read, to make the change only if nothing else changed the resource meanwhile (412 when it did)."));
            operation.Responses.TryAdd("412", Stale("The If-Match names an older version: read again (the problem's currentVersion and the ETag header say the current one) and retry.", "If-Match does not match the current version 3 of the resource. Read it again and retry with its ETag."));

            // A change answers the version it made, which the next change names.
            foreach (var (_, response) in operation.Responses.Where(r => ifMatch.AnswersETag && r.Key.StartsWith('2')))
            {
                if (response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers.TryAdd("ETag", new OpenApiHeader { Description = "The resource's version after the change (a strong tag), for the next If-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                }
            }

            if (ifMatch.Required)
            {
                operation.Responses.TryAdd("428", ProblemResponse("If-Match is missing, or is * (which names no version): read the resource with a GET of this path and send its ETag.", 428, "precondition_required", "If-Match is missing: this change needs one with the ETag of the resource as you read it."));
            }
        }

        if (metadata.OfType<IfNoneMatchMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("If-None-Match", false, "* to make it only where there is none yet, or the ETags it must not find (compared weakly): 412 when it finds one."));
            operation.Responses.TryAdd("412", Stale("If-None-Match found what it names (with *, a list already there): the problem's currentVersion and the ETag header say the version found.", "A list is already there at version 3; If-None-Match: * makes one only where there is none."));
        }

        if (metadata.OfType<IdempotentMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Header("Idempotency-Key", false, "Makes a retry safe for 24 hours: the same key with the same body answers the first response again; with another body, 422.", new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 }));
            operation.Responses.TryAdd("422", ProblemResponse("The Idempotency-Key was used with another body (idempotency_key_reused).", 422, "idempotency_key_reused", "This Idempotency-Key was first used with a different request; use a new key for a new request.",
                title: ProblemExceptionHandler.IdempotencyKeyReusedTitle));

            // A retry under the key is answered from the first response, and says so (Idempotency.Replay).
            foreach (var (_, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
            {
                if (response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers.TryAdd("Idempotent-Replayed", new OpenApiHeader { Description = "true when this is the first response to the Idempotency-Key, answered again (and nothing was made or changed this time); absent otherwise.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] } });
                }
            }
        }

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
        {
            var limited = ProblemResponse("Too many requests of this kind in the last minute, for your partner organisation (or you, in a vendor role): wait for Retry-After.", 429, "duplicate_check.rate_limited", "Duplicate checks are limited to 30 in any minute for each partner organisation; try again in 12 seconds.",
                title: "Too many duplicate checks.");
            limited.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = RetryAfter("The seconds until a request is let through again.") };
            operation.Responses.TryAdd("429", limited);
        }

        // Every create answers where what it made is read (ETags.SendCreated).
        if (operation.Responses.TryGetValue("201", out var created) && created is OpenApiResponse createdResponse)
        {
            createdResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
            createdResponse.Headers.TryAdd("Location", new OpenApiHeader { Description = "Where a GET reads what was created: the resource itself, or what holds it where it has no address of its own (a note's opportunity timeline, an invitation's opportunity).", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        DescribePaging(operation);
        DescribeVersionedAnswers(operation, context);
        DescribeNamedValues(operation, metadata);
        return Task.CompletedTask;
    }

    /// <summary>A request header the operation reads, a string unless <paramref name="schema"/> says otherwise.</summary>
    private static OpenApiParameter Header(string name, bool required, string description, OpenApiSchema? schema = null) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = schema ?? new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiHeader RetryAfter(string description) => new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };

    /// <summary>A 412: the problem says the version the resource is at (<c>currentVersion</c>), as does its <c>ETag</c> header.</summary>
    private static OpenApiResponse Stale(string description, string detail)
    {
        var stale = ProblemResponse(description, 412, "precondition_failed", detail, schema: PreconditionFailed);
        stale.Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = new OpenApiHeader { Description = "The resource's current version (a strong tag).", Schema = new OpenApiSchema { Type = JsonSchemaType.String } } };
        return stale;
    }

    /// <summary>An answer that carries a resource's version carries it as its ETag too (<see cref="ETags.SendVersioned"/>), for the next If-Match.</summary>
    private static void DescribeVersionedAnswers(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        foreach (var answer in context.Description.SupportedResponseTypes.Where(r => r.StatusCode is >= 200 and < 300 && r.Type?.IsAssignableTo(typeof(IVersionedDto)) == true))
        {
            if (operation.Responses!.TryGetValue(answer.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers.TryAdd("ETag", new OpenApiHeader { Description = "The resource's version (a strong tag), for the next If-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }

            // A read of one resource answers 304 to an If-None-Match naming its version (NotModifiedFilter).
            if (context.Description.HttpMethod == HttpMethods.Get && answer.StatusCode == StatusCodes.Status200OK && !operation.Responses.ContainsKey("304"))
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(Header("If-None-Match", false, "The ETag of the copy you keep (or *): 304 with no body while the resource is at that version."));
                operation.Parameters.Add(Header("If-Match", false, "The ETag of the version you want (or *): 412, with the current ETag, when the resource is at another."));
                operation.Responses.TryAdd("412", Stale("If-Match names a version the resource is no longer (or never was) at: the problem's currentVersion and the ETag header say the one it is at.", "If-Match does not match the current version 3 of the resource. Read it again and retry with its ETag."));
                operation.Responses.Add("304", new OpenApiResponse
                {
                    Description = "Not modified: the resource is at the version If-None-Match names.",
                    Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = new OpenApiHeader { Description = "The resource's version.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                });
            }
        }
    }

    /// <summary>A page's number and size are whole numbers from 1 (PageRequest): a size over 100 is served as 100.</summary>
    private static void DescribePaging(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query) ?? [])
        {
            if (parameter is { Name: "page" or "pageSize", Schema: OpenApiSchema number })
            {
                number.Minimum = "1";
                number.Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameter.Description ??= parameter.Name == "page"
                    ? "The page to read, from 1 (20 items a page unless pageSize says otherwise)."
                    : $"Items a page, from 1; more than {Application.Abstractions.PageRequest.MaximumPageSize} is served as {Application.Abstractions.PageRequest.MaximumPageSize}.";
            }
        }
    }

    /// <summary>A query or route value read as an enum's name (<see cref="NamesOfAttribute"/>) lists the names it takes.</summary>
    private static void DescribeNamedValues(OpenApiOperation operation, IList<object> metadata)
    {
        if (metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault() is not { } handler || operation.Parameters is not { } parameters)
        {
            return;
        }

        foreach (var parameter in handler.GetParameters())
        {
            if (parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == parameter.Name) is not { } described)
            {
                continue;
            }

            if (parameter.GetCustomAttributes(typeof(NamesOfAttribute), false) is [NamesOfAttribute names, ..])
            {
                described.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = EnumNameConverter.NamesOf(names.EnumType).Select(name => (JsonNode)JsonValue.Create(name)).ToList(),
                };
                described.Description ??= "One of the names listed, in any case; anything else is a 400 that lists them.";
            }
            else if (RoleSchema.IsRole(metadata.OfType<SendsMetadata>().FirstOrDefault()?.Request, parameter.Name, parameter.ParameterType))
            {
                described.Schema = RoleSchema.Create();
                described.Description ??= "One of CoSell's roles, as written; anything else is a 400 that lists them.";
            }
        }
    }

    /// <summary>
    /// A problem answer, with an example of its own status, code and title rather than one example for every status: the
    /// title is the status's own unless the problem has another (<paramref name="title"/>), and the schema the common
    /// problem's unless it carries more (<paramref name="schema"/>).
    /// </summary>
    internal static OpenApiResponse ProblemResponse(string description, int status, string code, string detail, string? title = null, OpenApiSchema? schema = null) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = schema ?? Problem,
                Example = new JsonObject
                {
                    ["type"] = ProblemSetup.TypeFor(status),
                    ["title"] = title ?? ProblemSetup.TitleFor(status),
                    ["status"] = status,
                    ["detail"] = detail,
                    ["code"] = code,
                    ["traceId"] = "00-…",
                },
            },
        },
    };

    private static readonly OpenApiSchema Problem = ProblemWith();

    private static readonly OpenApiSchema PreconditionFailed = ProblemWith(new()
    {
        ["currentVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The version the resource is at, as its ETag says, for clients that cannot read an error's headers." },
    });

    /// <summary>An account-list upload refused whole (422): the common problem, with its rows' counts and the bad rows by line.</summary>
    internal static readonly OpenApiSchema UploadRefused = ProblemWith(new()
    {
        ["totalRows"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The rows the upload held." },
        ["badRows"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The rows that could not be read as accounts." },
        ["repeatedRows"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The rows that repeat an account of the list." },
        ["rows"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Each bad row by its line, and why.",
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["line"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        },
    });

    private static OpenApiSchema ProblemWith(Dictionary<string, IOpenApiSchema>? more = null) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>(more ?? [])
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable and machine-readable, e.g. registration.illegal_transition." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For 400 validation_failed: the messages per field.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };
}

/// <summary>A query or route value read as one of an enum's names: the OpenAPI document lists them.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class NamesOfAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}

/// <summary>
/// A user's role is text on the wire, but only CoSell's roles are taken: the document lists them for the user's role in the
/// users API and the development sign-in (an opportunity participant's role is another thing, <c>sourced</c> or <c>influenced</c>).
/// </summary>
internal static class RoleSchema
{
    private static readonly HashSet<Type> UserRoleHolders =
    [
        typeof(Application.Users.UserDto), typeof(Application.Users.CreateUser), typeof(Application.Users.ListUsers), typeof(Endpoints.DevTokenEndpoints.TokenResponse),
    ];

    /// <summary>Whether the member <paramref name="name"/> of <paramref name="holder"/> (a body's type, or the request a route sends) is a user's role.</summary>
    public static bool IsRole(Type? holder, string? name, Type type) =>
        holder is not null && UserRoleHolders.Contains(holder) && string.Equals(name, "role", StringComparison.OrdinalIgnoreCase) && type == typeof(string);

    public static OpenApiSchema Create() => new()
    {
        Type = JsonSchemaType.String,
        Enum = Domain.Users.Roles.All.Select(role => (JsonNode)JsonValue.Create(role)).ToList(),
    };
}
