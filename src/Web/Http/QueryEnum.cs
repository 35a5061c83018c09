using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Web.Http;

/// <summary>Reads an enum from the query string by name, in any case; anything else is a 400 naming the allowed values.</summary>
public static class QueryEnum
{
    public static T? Parse<T>(string? value, string name)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!value.All(char.IsAsciiLetter) || !Enum.TryParse<T>(value, ignoreCase: true, out var parsed))
        {
            throw new ValidationException([new ValidationFailure(name, $"'{(value.Length > 40 ? value[..40] : value)}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.")]);
        }

        return parsed;
    }
}
