using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>A Dun &amp; Bradstreet number: nine digits, written with or without dashes or spaces.</summary>
public readonly record struct Duns
{
    private Duns(string value) => Value = value;

    public string Value { get; }

    /// <summary>A DUNS number as a customer gives it: nine digits, and not a placeholder such as 000000000.</summary>
    public static Duns From(string? value)
    {
        var duns = Stored(value);
        if (IsPlaceholder(duns.Value))
        {
            throw new DomainValidationException("customer.duns_invalid", "duns",
                $"'{duns.Value}' is a placeholder, not a DUNS number; leave duns out when the number is not known.");
        }

        return duns;
    }

    /// <summary>
    /// A DUNS number as it was stored: nine digits. A placeholder stored before they were refused still reads; the
    /// matcher leaves it out.
    /// </summary>
    public static Duns Stored(string? value) =>
        Digits(value) is { } digits ? new Duns(digits)
            : throw new DomainValidationException("customer.duns_invalid", "duns", "A DUNS number has exactly nine digits, written with or without dashes or spaces.");

    /// <summary>
    /// The nine digits of a DUNS number written with or without dashes or spaces (<c>12-345-6789</c>, <c>123 456 789</c>);
    /// null for anything else. The one reading of a DUNS number: registrations, duplicate checks and account lists alike.
    /// </summary>
    public static string? Digits(string? value)
    {
        if (value is null)
        {
            return null;
        }

        Span<char> digits = stackalloc char[9];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == 9)
                {
                    return null;
                }

                digits[count++] = c;
            }
            else if (c is not ('-' or ' '))
            {
                return null;
            }
        }

        return count == 9 ? new string(digits) : null;
    }

    /// <summary>
    /// Nine times the same digit (000000000, 999999999) is what people type when they do not know the number; as an
    /// identifier it would make every customer given it the same company.
    /// </summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> digits) => digits.Length == 9 && !digits.ContainsAnyExcept(digits[0]);

    public override string ToString() => Value;
}
