using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>A Dun &amp; Bradstreet number: nine digits, written with or without dashes.</summary>
public readonly record struct Duns
{
    private Duns(string value) => Value = value;

    public string Value { get; }

    public static Duns From(string? value)
    {
        var digits = value is null ? string.Empty : new string(value.Where(c => c is not ('-' or ' ')).ToArray());
        if (digits.Length != 9 || !digits.All(char.IsAsciiDigit))
        {
            throw new DomainValidationException("customer.duns_invalid", "duns", "A DUNS number has exactly nine digits.");
        }

        return new Duns(digits);
    }

    public override string ToString() => Value;
}
