using System.Globalization;
using System.Text;
using CoSell.Domain.SeedWork;
using FluentValidation;

namespace CoSell.Application.Abstractions;

/// <summary>What a person may write in a free-text field or a short label, the same on every route.</summary>
public static class TextRules
{
    /// <summary>
    /// Free text (notes, messages, comments, rationales): at most <paramref name="maximumLength"/> characters, counted
    /// as stored, without the white space around it; line breaks and tabs are fine, other control characters (NUL and
    /// the like, which break exports and terminals) are not.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> FreeText<T>(this IRuleBuilder<T, string?> rule, int maximumLength) =>
        rule.SetValidator(new TrimmedLengthValidator<T>(maximumLength, $"Write at most {maximumLength.ToString(CultureInfo.InvariantCulture)} characters (white space around the text aside)."))
            .Must(text => text is null || !text.Any(c => Characters.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            .WithMessage("Write text without control characters; line breaks and tabs are fine.")
            // A zero-width space is not blank to a computer, but says nothing to a reader: text given must show something.
            .Must(text => string.IsNullOrWhiteSpace(text) || ShowsSomething(text))
            .WithMessage("Write something a reader can see; spaces and invisible characters alone say nothing.")
            // Right-to-left text is welcome, with or without direction controls; one left open would reorder what follows.
            .Must(text => text is null || Characters.ClosesItsDirectionControls(text))
            .WithMessage("Pair up direction controls (U+202A–U+202E, U+2066–U+2069) on each line: close every embedding, override or isolate the text opens, and close none it did not open; one left open, or closing what surrounds the text, reorders what is written around it.");

    /// <summary>
    /// A name others read (a partner's, a customer's): something visible, without control characters (white space
    /// aside, which names fold into single spaces), free of the direction controls (U+202A–U+202E, U+2066–U+2069) that
    /// would make it read differently from what it is, and reorder the timeline line it appears in, and showing every
    /// character it holds as a partner's name must (<see cref="Characters.ShowsEverything"/>): an invisible character
    /// would make it another name than the one it reads as.
    /// </summary>
    public static IRuleBuilderOptions<T, TText> DisplayName<T, TText>(this IRuleBuilder<T, TText> rule)
        where TText : class? =>
        rule.Must(value => value is not string text || IsDisplayName(text))
            .WithMessage($"A name is visible text without control characters, direction controls or {InvisibleCharacters}.");

    /// <summary>The rule of <see cref="DisplayName{T, TText}"/>, for names read outside a validator (account-list rows).</summary>
    public static bool IsDisplayName(string text) =>
        ShowsSomething(text) && !Domain.Customers.CompanyName.HasControlCharacters(text) && !HasDirectionControl(text) && Characters.ShowsEverything(text, name: true);

    /// <summary>
    /// A label such as a product line: something visible, on one line, at most <paramref name="maximumLength"/>
    /// characters, and read as it is written, as a name is (no direction controls, every character showing).
    /// </summary>
    public static bool IsLabel(string? text, int maximumLength) =>
        text is { Length: > 0 } && text.Length <= maximumLength && !text.Any(Characters.IsControl) && !HasDirectionControl(text)
        && Characters.ShowsEverything(text, name: true) && ShowsSomething(text) && Characters.MarksOnlyRightToLeft(text);

    /// <summary>What <see cref="Characters.ShowsEverything"/> refuses in a name or a label, in the words of a validation message.</summary>
    public const string InvisibleCharacters =
        "characters that show nothing where they stand (a zero-width space, a word joiner, a soft hyphen, a byte-order mark and the like; a zero-width joiner or non-joiner only between letters of a script it shapes, a direction mark only at either end of a name or beside right-to-left text, white space, a digit, punctuation or a symbol, and in a product line only beside a right-to-left letter)";

    /// <summary>Whether the text carries a direction control (U+202A–U+202E, U+2066–U+2069), which reorders what follows it.</summary>
    public static bool HasDirectionControl(string text) => text.Any(Characters.IsDirectionControl);

    /// <summary>
    /// Whether the text shows a reader anything: at least one character that is not a space, a control, a format
    /// character (a zero-width space, a direction mark, a tag character), a combining mark on its own, or one of the
    /// letters that render blank (the Hangul fillers, the blank Braille pattern). Read by code point, so characters
    /// outside the Basic Multilingual Plane count as what they are.
    /// </summary>
    public static bool ShowsSomething(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsVisible(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsVisible(Rune rune) =>
        !Rune.IsWhiteSpace(rune) && !Rune.IsControl(rune) && rune.Value is not (0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
        && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse);
}
