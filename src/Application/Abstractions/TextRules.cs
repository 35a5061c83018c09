using System.Globalization;
using FluentValidation;

namespace CoSell.Application.Abstractions;

/// <summary>What a person may write in a free-text field or a short label, the same on every route.</summary>
public static class TextRules
{
    /// <summary>
    /// Free text (notes, messages, comments, rationales): at most <paramref name="maximumLength"/> characters; line
    /// breaks and tabs are fine, other control characters (NUL and the like, which break exports and terminals) are not.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> FreeText<T>(this IRuleBuilder<T, string?> rule, int maximumLength) =>
        rule.MaximumLength(maximumLength)
            .Must(text => text is null || !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            .WithMessage("Write text without control characters; line breaks and tabs are fine.")
            // A zero-width space is not blank to a computer, but says nothing to a reader: text given must show something.
            .Must(text => string.IsNullOrWhiteSpace(text) || text.Any(IsVisible))
            .WithMessage("Write something a reader can see; spaces and invisible characters alone say nothing.");

    /// <summary>
    /// A name others read (a partner's, a customer's): something visible, without control characters (white space
    /// aside, which names fold into single spaces), and free of the direction
    /// controls (U+202A–U+202E, U+2066–U+2069) that would make it read differently from what it is, and reorder the
    /// timeline line it appears in.
    /// </summary>
    public static IRuleBuilderOptions<T, TText> DisplayName<T, TText>(this IRuleBuilder<T, TText> rule)
        where TText : class? =>
        rule.Must(value => value is not string text || (text.Any(IsVisible) && !text.Any(c => (char.IsControl(c) && !char.IsWhiteSpace(c)) || IsDirectionControl(c))))
            .WithMessage("A name is visible text without control characters or direction controls.");

    /// <summary>A label such as a product line: something visible, on one line, at most <paramref name="maximumLength"/> characters.</summary>
    public static bool IsLabel(string? text, int maximumLength) =>
        text is { Length: > 0 } && text.Length <= maximumLength && !text.Any(char.IsControl) && text.Any(IsVisible);

    private static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    // Spaces, control and format characters (a zero-width space, a direction mark) show nothing on their own.
    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
