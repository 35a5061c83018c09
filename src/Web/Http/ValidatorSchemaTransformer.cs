using System.Globalization;
using System.Text.Json;
using CoSell.Application.Abstractions;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// Makes an object schema say what the API really takes, from the validator that holds a request to it rather than a
/// second list to keep in step. The generator lists every parameter of a record's constructor as required, nullable
/// or not. A type with a validator keeps as required the fields it refuses to do without (<c>NotNull</c>/<c>NotEmpty</c>,
/// unconditionally), which then take no null either, and each field states the bounds its unconditional rules hold it
/// to: lengths, numeric bounds, a list's item count and item length (<see cref="IListLimits"/>), and in words a bound no
/// keyword says exactly (<see cref="ITextLimit"/>). Any other type
/// keeps only the fields that cannot be null. A body that becomes another request (<see cref="ValidatedAsAttribute"/>)
/// is held to that request's validator.
/// </summary>
public sealed class ValidatorSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }

        // A body is held to the validator of the request it becomes.
        var type = context.JsonTypeInfo.Type;
        var validated = type.GetCustomAttributes(typeof(ValidatedAsAttribute), inherit: false) is [ValidatedAsAttribute named] ? named.Request : type;
        using var scope = context.ApplicationServices.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(validated)) is not IValidator validator)
        {
            schema.Required?.IntersectWith(context.JsonTypeInfo.Properties.Where(p => !AllowsNull(p) || IsMarkedRequired(p)).Select(p => p.Name));
            // A field marked [Required] is refused as null too, though its type may hold one.
            foreach (var marked in context.JsonTypeInfo.Properties.Where(IsMarkedRequired))
            {
                if (properties.TryGetValue(marked.Name, out var property))
                {
                    properties[marked.Name] = WithoutNull(property);
                }
            }

            return Task.CompletedTask;
        }

        var demanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in validator.CreateDescriptor().GetMembersWithValidators())
        {
            // A rule on the whole request (a cross-field check) has no member to describe.
            if (member.Key is not { Length: > 0 } key)
            {
                continue;
            }

            var name = JsonNamingPolicy.CamelCase.ConvertName(key);
            if (!properties.TryGetValue(name, out var property))
            {
                continue;
            }

            var rules = member.Where(v => !v.Options.HasCondition && !v.Options.HasAsyncCondition).Select(v => v.Validator).ToList();
            if (rules.Any(v => v is INotNullValidator or INotEmptyValidator))
            {
                demanded.Add(name);
                properties[name] = property = WithoutNull(property);
            }

            if (property is OpenApiSchema field)
            {
                foreach (var rule in rules)
                {
                    State(field, rule);
                }
            }
        }

        schema.Required?.IntersectWith(demanded);
        return Task.CompletedTask;
    }

    /// <summary>A field the validator demands takes no null: <c>["null","string"]</c> becomes <c>"string"</c>, a nullable reference its reference.</summary>
    private static IOpenApiSchema WithoutNull(IOpenApiSchema property)
    {
        if (property is not OpenApiSchema field)
        {
            return property;
        }

        // The generator makes a nullable member's schema take null after the transformers, where this mark says so.
        field.Metadata?.Remove(NullableProperty);
        if (field.OneOf is [_, _] oneOf && oneOf.Count(s => s.Type == JsonSchemaType.Null) == 1)
        {
            return oneOf.Single(s => s.Type != JsonSchemaType.Null);
        }

        if (field.Type is { } types && types != JsonSchemaType.Null)
        {
            field.Type = types & ~JsonSchemaType.Null;
        }

        return field;
    }

    private const string NullableProperty = "x-is-nullable-property";

    /// <summary>Writes on the field the bound one rule holds it to, where the rule states one.</summary>
    private static void State(OpenApiSchema field, IPropertyValidator rule)
    {
        var text = field.Type?.HasFlag(JsonSchemaType.String) == true;
        var list = field.Type?.HasFlag(JsonSchemaType.Array) == true;
        switch (rule)
        {
            case ILengthValidator length when text:
                if (length.Max > 0)
                {
                    field.MaxLength = field.MaxLength is { } max ? Math.Min(max, length.Max) : length.Max;
                }

                if (length.Min > 0)
                {
                    field.MinLength = Math.Max(field.MinLength ?? 0, length.Min);
                }

                break;
            case ITextLimit limit when text:
                field.Description = field.Description is { Length: > 0 } described ? $"{described} {limit.Stated}" : limit.Stated;
                break;
            case INotEmptyValidator when text:
                field.MinLength = Math.Max(field.MinLength ?? 0, 1);
                break;
            case INotEmptyValidator when list:
                field.MinItems = Math.Max(field.MinItems ?? 0, 1);
                break;
            case IListLimits limits when list:
                field.MinItems = Math.Max(field.MinItems ?? 0, limits.MinItems);
                field.MaxItems = limits.MaxItems;
                if (limits.ItemMaxLength is { } itemLength && field.Items is OpenApiSchema item)
                {
                    item.MaxLength = itemLength;
                    item.MinLength = 1;
                }

                break;
            case IBetweenValidator between when Number(between.From) is { } from && Number(between.To) is { } to:
                var exclusive = rule.GetType() is { IsGenericType: true } kind && kind.GetGenericTypeDefinition() == typeof(ExclusiveBetweenValidator<,>);
                if (exclusive)
                {
                    field.ExclusiveMinimum = from;
                    field.ExclusiveMaximum = to;
                }
                else
                {
                    field.Minimum = from;
                    field.Maximum = to;
                }

                break;
            case IComparisonValidator { MemberToCompare: null } comparison when Number(comparison.ValueToCompare) is { } bound:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThan:
                        field.ExclusiveMinimum = bound;
                        break;
                    case Comparison.GreaterThanOrEqual:
                        field.Minimum = bound;
                        break;
                    case Comparison.LessThan:
                        field.ExclusiveMaximum = bound;
                        break;
                    case Comparison.LessThanOrEqual:
                        field.Maximum = bound;
                        break;
                }

                break;
        }
    }

    /// <summary>A rule's bound as JSON writes a number, when it is one.</summary>
    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static bool IsMarkedRequired(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property) =>
        property.AttributeProvider?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), inherit: false) == true;

    private static bool AllowsNull(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || (!property.PropertyType.IsValueType && (property.IsGetNullable || property.IsSetNullable));
}
