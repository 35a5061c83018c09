using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoSell.Application.Abstractions;

namespace CoSell.Web.Http;

public static class JsonSetup
{
    /// <summary>camelCase, enums as one of their names (anything else is a 400), instants in UTC with <c>Z</c>, no unknown or repeated field.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new EnumNameConverter());
        options.Converters.Add(new UtcInstantConverter());
        options.Converters.Add(new ExactDecimalConverter());
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.MaxDepth = 32;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // A field given twice is refused rather than the last one silently winning.
        options.AllowDuplicateProperties = false;
    }
}

/// <summary>Writes every instant as ISO 8601 UTC with <c>Z</c>; reads any ISO 8601 instant.</summary>
public sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

/// <summary>
/// An enum is one member's name, read in any case and written as <see cref="EnumNames.Of{TEnum}"/> names it. <see cref="JsonStringEnumConverter"/> also reads a comma-separated list
/// of names as the members' bitwise union, so <c>"competitor, noDecision"</c> became another reason altogether; none of
/// the API's enums is a set of flags, so a list, a number or an unknown name is a 400 naming the field.
/// </summary>
public sealed class EnumNameConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>The names a schema lists for the enum, as they are written.</summary>
    public static IEnumerable<string> NamesOf(Type enumType) => EnumNames.All(enumType);

    private sealed class Converter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly FrozenDictionary<TEnum, JsonEncodedText> Names =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => JsonEncodedText.Encode(EnumNames.Of(v)));

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return name is not null && EnumNames.TryParse<TEnum>(name, out var value)
                ? value
                : throw new EnumNameException(name is null ? $"Give one of: {string.Join(", ", NamesOf(typeof(TEnum)))}." : EnumNames.NotOneOf<TEnum>(name));
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
        {
            if (!Names.TryGetValue(value, out var name))
            {
                throw new JsonException($"{value} is not a member of {typeof(TEnum).Name}.");
            }

            writer.WriteStringValue(name);
        }
    }
}

/// <summary>A value that names no member of an enum; its message lists the names, for the caller to pick one.</summary>
public sealed class EnumNameException(string message) : UnreadableValueException(message);

/// <summary>A value the reader refuses with a message written for the caller, which the problem's detail repeats.</summary>
public class UnreadableValueException(string message) : JsonException(message);

/// <summary>
/// Reads a <see cref="decimal"/> only when it holds the number sent exactly. System.Text.Json rounds a number with more
/// digits than a decimal keeps (<c>999.99999999999999999999999999</c> becomes 1000, <c>0.00999…9</c> becomes 0.01), which
/// would carry an amount past the checks made on it afterwards (its currency's decimals, a tier's minimum); such a number is
/// refused, naming the field. Writes as the default does.
/// </summary>
public sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
        {
            throw new JsonException();
        }

        var sent = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        Span<byte> held = stackalloc byte[64];
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(value, held, out var written) || JsonNumber.TryRead(sent) != JsonNumber.TryRead(held[..written]))
        {
            throw new UnreadableValueException("The number cannot be kept exactly: give at most 28 significant digits, none finer than 1e-28.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
