using FluentValidation;

namespace CoSell.Application.Abstractions;

/// <summary>
/// Reads an enum from a query string or a path by name, in any case (never by number). A filter is carried as the
/// caller wrote it and checked by the request's validator, so a role that may not list something learns that (403)
/// before anything about the value it sent (400). A filter sent empty names no member and is a 400, as an empty number,
/// id or cursor is.
/// </summary>
public static class EnumNames
{
    public static TEnum? Parse<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is null ? null
        : TryParse<TEnum>(value, out var parsed) ? parsed
        : throw new ArgumentException($"'{value}' is not a {typeof(TEnum).Name}; validate the request first.", nameof(value));

    /// <summary>"'x' is not one of: a, b, c." for a value that names no member.</summary>
    public static string NotOneOf<TEnum>(string? value)
        where TEnum : struct, Enum =>
        $"'{(value is { Length: > 40 } ? value[..40] : value)}' is not one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.";

    public static IRuleBuilderOptions<T, string?> EnumName<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum =>
        rule.Must(value => value is null || TryParse<TEnum>(value, out _)).WithMessage((_, value) => NotOneOf<TEnum>(value));

    /// <summary>A member's name in any case; digits, commas and blanks are no name.</summary>
    public static bool TryParse<TEnum>(string value, out TEnum parsed)
        where TEnum : struct, Enum
    {
        parsed = default;
        return value.All(char.IsAsciiLetter) && Enum.TryParse(value, ignoreCase: true, out parsed);
    }
}
