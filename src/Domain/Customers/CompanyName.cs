using System.Text;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>A customer's company name as a person wrote it: trimmed, single-spaced, free of control characters.</summary>
public sealed record CompanyName
{
    public const int MaximumLength = 200;

    private CompanyName(string value) => Value = value;

    public string Value { get; }

    /// <summary>Line breaks and tabs from a pasted name fold into spaces; other control characters are no part of a name.</summary>
    public static bool HasControlCharacters(string? value) => value is not null && value.Any(c => Characters.IsControl(c) && !char.IsWhiteSpace(c));

    public static CompanyName From(string? value)
    {
        if (HasControlCharacters(value))
        {
            throw new DomainValidationException("customer.name_invalid", "name", "A company name cannot contain control characters.");
        }

        var cleaned = Characters.FoldWhiteSpace(value, MaximumLength);
        // Characters, not UTF-16 units: 𠮷 alone is one character, as 中 is.
        if (cleaned.EnumerateRunes().Take(2).Count() < 2)
        {
            throw new DomainValidationException("customer.name_too_short", "name", "A company name needs at least two characters.");
        }

        if (cleaned.Length > MaximumLength)
        {
            throw new DomainValidationException("customer.name_too_long", "name", $"A company name has at most {MaximumLength} characters.");
        }

        // By Unicode scalar: a letter beyond the Basic Multilingual Plane (Adlam, Osage, CJK Extension B) is two UTF-16
        // units, neither of them a letter.
        if (!cleaned.EnumerateRunes().Any(Rune.IsLetterOrDigit))
        {
            throw new DomainValidationException("customer.name_invalid", "name", "A company name needs at least one letter or digit.");
        }

        return new CompanyName(cleaned);
    }

    public override string ToString() => Value;
}
