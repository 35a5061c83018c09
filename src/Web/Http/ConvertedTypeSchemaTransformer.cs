using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// The schema generator describes a type read by a converter of the service's own without a type, so this says it
/// again: a decimal is a JSON number (<see cref="ExactDecimalConverter"/>), an instant a string of ISO 8601, written
/// in UTC (<see cref="UtcInstantConverter"/>).
/// </summary>
public sealed class ConvertedTypeSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<Type, (JsonSchemaType Type, string Format)> Converted = new()
    {
        [typeof(decimal)] = (JsonSchemaType.Number, "double"),
        [typeof(DateTimeOffset)] = (JsonSchemaType.String, "date-time"),
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (Converted.TryGetValue(underlying, out var described))
        {
            schema.Type = underlying == type ? described.Type : described.Type | JsonSchemaType.Null;
            schema.Format = described.Format;
        }

        return Task.CompletedTask;
    }
}
