using System.Text.Json.Nodes;
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
        operation.Responses.TryAdd("default", new OpenApiResponse
        {
            Description = "An error, as an RFC 9457 problem with a stable code and a traceId (see the README's Errors section).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = Problem } },
        });
        return Task.CompletedTask;
    }

    private static readonly OpenApiSchema Problem = new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
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
        Examples = [JsonNode.Parse("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not found.","status":404,"detail":"No registration has this id.","code":"not_found","traceId":"00-…"}""")!],
    };
}
