using System.Globalization;
using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Web.Http;

/// <summary>
/// Checks the query parameters every list shares before the route binds them: a binding failure would otherwise be a
/// bare 400 that does not say which parameter was wrong. <c>page</c> and <c>pageSize</c> are whole numbers from 1 (a
/// page size over 100 reads as 100), a parameter named <c>…Id</c> is one id, and none of them is given twice.
/// </summary>
public sealed class QueryParameters(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && context.Request.Query.Count > 0)
        {
            var failures = new List<ValidationFailure>();
            foreach (var (name, values) in context.Request.Query)
            {
                if (Problem(name, values) is { } problem)
                {
                    failures.Add(new ValidationFailure(name, problem));
                }
            }

            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }
        }

        return next(context);
    }

    private static string? Problem(string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        var counted = name.Equals("page", StringComparison.OrdinalIgnoreCase) || name.Equals("pageSize", StringComparison.OrdinalIgnoreCase);
        var id = name.EndsWith("Id", StringComparison.OrdinalIgnoreCase);
        if (!counted && !id)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return $"Give {name} once.";
        }

        var value = values.ToString();
        if (counted)
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
                ? null
                : $"{name} is a whole number from 1{(name.Equals("pageSize", StringComparison.OrdinalIgnoreCase) ? " (at most 100 are returned)" : string.Empty)}.";
        }

        return Guid.TryParse(value, out _) ? null : $"{name} is an id (a GUID).";
    }
}
