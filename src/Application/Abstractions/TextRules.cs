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
            .WithMessage("Write text without control characters; line breaks and tabs are fine.");

    /// <summary>A label such as a product line: something visible, on one line, at most <paramref name="maximumLength"/> characters.</summary>
    public static bool IsLabel(string? text, int maximumLength) =>
        text is { Length: > 0 } && text.Length <= maximumLength && !text.Any(char.IsControl) && text.Any(IsVisible);

    // Spaces, control and format characters (a zero-width space, a direction mark) show nothing on their own.
    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
