using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// An instant is a JSON string (ISO 8601, written in UTC). The schema generator describes a type read by a converter of
/// its own (<see cref="UtcInstantConverter"/>) with its format alone, so this says its type again.
/// </summary>
public sealed class InstantSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
        }

        return Task.CompletedTask;
    }
}
