using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// Makes an object schema's <c>required</c> say what the API really requires. The generator lists every parameter of
/// a record's constructor, nullable or not; what a request needs is decided by its validator. A type with a validator
/// keeps the fields it refuses to do without (<c>NotNull</c>/<c>NotEmpty</c>, unconditionally); any other type keeps
/// only the fields that cannot be null. A body that becomes another request (<see cref="ValidatedAsAttribute"/>) is
/// held to that request's validator.
/// </summary>
public sealed class RequiredFieldsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is not { Count: > 0 } required || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        // A body is held to the validator of the request it becomes.
        var type = context.JsonTypeInfo.Type;
        var validated = type.GetCustomAttributes(typeof(ValidatedAsAttribute), inherit: false) is [ValidatedAsAttribute named] ? named.Request : type;
        using var scope = context.ApplicationServices.CreateScope();
        var kept = scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(validated)) is IValidator validator
            ? Demanded(validator)
            : context.JsonTypeInfo.Properties.Where(p => !AllowsNull(p) || IsMarkedRequired(p)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        required.IntersectWith(kept);
        return Task.CompletedTask;
    }

    /// <summary>The JSON names of the members the validator refuses to see missing, whatever else the request says.</summary>
    private static HashSet<string> Demanded(IValidator validator) =>
        validator.CreateDescriptor().GetMembersWithValidators()
            .Where(member => member.Any(v => v.Validator is INotNullValidator or INotEmptyValidator && !v.Options.HasCondition && !v.Options.HasAsyncCondition))
            .Select(member => JsonNamingPolicy.CamelCase.ConvertName(member.Key))
            .ToHashSet(StringComparer.Ordinal);

    private static bool IsMarkedRequired(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property) =>
        property.AttributeProvider?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), inherit: false) == true;

    private static bool AllowsNull(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || (!property.PropertyType.IsValueType && (property.IsGetNullable || property.IsSetNullable));
}
