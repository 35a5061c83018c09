using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>A Dun &amp; Bradstreet number: nine digits, written with or without dashes.</summary>
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
    public static Duns Stored(string? value)
    {
        var digits = value is null ? string.Empty : new string(value.Where(c => c is not ('-' or ' ')).ToArray());
        if (digits.Length != 9 || !digits.All(char.IsAsciiDigit))
        {
            throw new DomainValidationException("customer.duns_invalid", "duns", "A DUNS number has exactly nine digits.");
        }

        return new Duns(digits);
    }

    /// <summary>
    /// Nine times the same digit (000000000, 999999999) is what people type when they do not know the number; as an
    /// identifier it would make every customer given it the same company.
    /// </summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> digits) => digits.Length == 9 && !digits.ContainsAnyExcept(digits[0]);

    public override string ToString() => Value;
}
