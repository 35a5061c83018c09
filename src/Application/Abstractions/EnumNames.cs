using System.Text.Json;
using FluentValidation;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.Abstractions;

/// <summary>
/// Reads an enum from a query string or a path by name, in any case (never by number). A filter is carried as the
/// caller wrote it and checked by the request's validator, so a role that may not list something learns that (403)
/// before anything about the value it sent (400). A filter sent empty names no member and is a 400, as an empty number,
/// id or cursor is. A member is written by <see cref="Of{TEnum}"/>, in camelCase (<c>underReview</c>, <c>closedWon</c>), the
/// one name both directions share.
/// </summary>
public static class EnumNames
{
    /// <summary>A member's name as the API writes it, in a body, a push, an export or a list of allowed values: camelCase.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Of(value.ToString());

    /// <summary>The API's name for a member named <paramref name="memberName"/> (as C# spells it, or as stored).</summary>
    public static string Of(string memberName) => JsonNamingPolicy.CamelCase.ConvertName(memberName);

    /// <summary>Every member's name as the API writes it, in declaration order.</summary>
    public static IEnumerable<string> All(Type enumType) => Enum.GetNames(enumType).Select(Of);

    public static TEnum? Parse<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is null ? null
        : TryParse<TEnum>(value, out var parsed) ? parsed
        : throw new ArgumentException($"'{value}' is not a {typeof(TEnum).Name}; validate the request first.", nameof(value));

    /// <summary>"'x' is not one of: a, b, c." for a value that names no member.</summary>
    public static string NotOneOf<TEnum>(string? value)
        where TEnum : struct, Enum =>
        $"'{Characters.Shown(value)}' is not one of: {string.Join(", ", All(typeof(TEnum)))}.";

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
