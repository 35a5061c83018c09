using CoSell.Application.Abstractions;
using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Web.Http;

/// <summary>Reads an enum from a route value by name, in any case; anything else is a 400 naming the allowed values.</summary>
public static class QueryEnum
{
    public static T? Parse<T>(string? value, string name)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        return EnumNames.TryParse<T>(value, out var parsed) ? parsed : throw new ValidationException([new ValidationFailure(name, EnumNames.NotOneOf<T>(value))]);
    }
}
