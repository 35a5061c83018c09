using System.Text.Json.Nodes;
using CoSell.Application.Conflicts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>An enum's schema is a string, one of the names <see cref="EnumNameConverter"/> reads and writes.</summary>
public sealed class EnumSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (!enumType.IsEnum)
        {
            // A role is text on the wire, but only CoSell's roles are taken.
            foreach (var property in context.JsonTypeInfo.Properties.Where(p => RoleSchema.IsRole(type, p.Name, p.PropertyType)))
            {
                if (schema.Properties?.TryGetValue(property.Name, out var described) == true && described is OpenApiSchema concrete)
                {
                    concrete.Enum = RoleSchema.Create().Enum;
                }
            }

            // A claim's status is text on the wire, drawn from several sets: the document lists them all.
            if (type == typeof(ConflictClaimDto) && context.JsonTypeInfo.Properties.FirstOrDefault(p => p.AttributeProvider is System.Reflection.PropertyInfo { Name: nameof(ConflictClaimDto.Status) }) is { } status
                && schema.Properties?.TryGetValue(status.Name, out var statusSchema) == true && statusSchema is OpenApiSchema listed)
            {
                listed.Enum = ConflictClaimDto.Names.Select(name => (JsonNode)JsonValue.Create(name)).ToList();
            }

            // The rule that fired on a case is text on the wire, one of the conflict rules' names.
            if (type == typeof(ConflictDto) && context.JsonTypeInfo.Properties.FirstOrDefault(p => p.AttributeProvider is System.Reflection.PropertyInfo { Name: nameof(ConflictDto.RuleFired) }) is { } rule
                && schema.Properties?.TryGetValue(rule.Name, out var ruleSchema) == true && ruleSchema is OpenApiSchema rules)
            {
                rules.Enum = [JsonValue.Create(CoSell.Domain.Conflicts.ConflictRules.DirectEngagement), JsonValue.Create(CoSell.Domain.Conflicts.ConflictRules.FirstToRegister)];
            }

            return Task.CompletedTask;
        }

        // One schema per enum, shared by every use of it: null, where a field may be, is said where the field is. A nullable
        // field given a default (`Stage = null`) is the one written out in place rather than as the shared schema: it says
        // there that it takes null.
        var inPlaceNullable = context.JsonPropertyInfo is { AssociatedParameter.HasDefaultValue: true } field && Nullable.GetUnderlyingType(field.PropertyType) is not null;
        schema.Type = inPlaceNullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        schema.Enum = EnumNameConverter.NamesOf(enumType).Select(name => (JsonNode)JsonValue.Create(name)).ToList();
        if (inPlaceNullable)
        {
            schema.Enum.Add(null!);
        }

        return Task.CompletedTask;
    }
}
