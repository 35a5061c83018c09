using System.Buffers;
using System.Globalization;
using System.Text;

namespace CoSell.Domain.SeedWork;

/// <summary>The characters people's text is judged by, the same for every name, label and free text.</summary>
public static class Characters
{
    /// <summary>
    /// A control character (C0, DEL, C1 such as NEL U+0085) or a line or paragraph separator (U+2028, U+2029). The two
    /// separators are no controls to <see cref="char.IsControl(char)"/>, yet break a line as NEL does, in a timeline, an
    /// export or a terminal.
    /// </summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>
    /// Whether text that names something to a reader (an address, a link, a partner's name) is well-formed and shows
    /// every character it holds: none is a format character (zero-width, direction, soft hyphen, tag), private-use,
    /// unassigned, a letter that shows nothing (<see cref="IsBlank"/>), or a selector where it selects nothing
    /// (<see cref="IsSelector"/>). With <paramref name="joinersInWords"/> (names), a joiner between two characters that
    /// it may shape (<see cref="IsJoiner"/>) shows as their shaping.
    /// </summary>
    public static bool ShowsEverything(ReadOnlySpan<char> text, bool joinersInWords = false)
    {
        Rune? previous = null;
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var used) != OperationStatus.Done)
            {
                return false;
            }

            var rest = text[used..];
            var joins = joinersInWords && IsJoiner(rune.Value) && Selects(previous)
                && Rune.DecodeFromUtf16(rest, out var next, out _) == OperationStatus.Done && Selects(next);
            if ((!joins && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                || IsBlank(rune.Value)
                || (IsSelector(rune.Value) && !Selects(previous)))
            {
                return false;
            }

            previous = rune;
            text = rest;
        }

        return true;
    }

    /// <summary>
    /// The zero-width non-joiner and joiner (U+200C, U+200D), which shape the letters either side of them in scripts such
    /// as Persian and the Indic ones, and join emoji into one; between Latin, Greek or Cyrillic letters, or at a word's
    /// edge, they show nothing.
    /// </summary>
    private static bool IsJoiner(int codePoint) => codePoint is 0x200C or 0x200D;

    /// <summary>Letters that show nothing: the Hangul fillers, the blank Braille pattern, the Khmer inherent vowels.</summary>
    public static bool IsBlank(int codePoint) =>
        codePoint is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x17B4 or 0x17B5;

    /// <summary>
    /// Marks that choose how the character before them shows: variation selectors (the emoji form of ❤, a kanji's
    /// variant glyph), Mongolian free variation selectors, the combining grapheme joiner.
    /// </summary>
    private static bool IsSelector(int codePoint) =>
        codePoint is 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or (>= 0x180B and <= 0x180D) or 0x180F;

    /// <summary>
    /// A selector shows as the character before it: after a symbol, a digit (a keycap), an ideograph or a letter of a
    /// script that uses them it may change what shows; at the start, after a space, or after a Latin, Greek or Cyrillic
    /// letter (which have no variants to choose) it shows nothing.
    /// </summary>
    private static bool Selects(Rune? previous) =>
        previous is { } before && !Rune.IsWhiteSpace(before)
        && !(Rune.IsLetter(before) && before.Value is < 0x0530 or (>= 0x1C80 and <= 0x1C8F) or (>= 0x1D00 and <= 0x1FFF) or (>= 0xFF21 and <= 0xFF5A));

    /// <summary>
    /// The text with the letters made to look like other letters written as those letters: full-width and half-width
    /// forms (<c>Ｎ</c> is N), mathematical letters (<c>𝐍</c>) and enclosed ones (<c>Ⓝ</c>) take their compatibility form;
    /// everything else (™, №, µ, ligatures) stays as written, then all in composed form (NFC).
    /// </summary>
    public static string FoldLetterVariants(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is (>= 0xFF00 and <= 0xFFEF) or (>= 0x1D400 and <= 0x1D7FF) or (>= 0x2460 and <= 0x24FF) or (>= 0x1F100 and <= 0x1F1FF))
            {
                folded.Append(rune.ToString().Normalize(NormalizationForm.FormKC));
            }
            else
            {
                folded.Append(rune.ToString());
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A direction control (U+202A–U+202E, U+2066–U+2069), which reorders what follows it.</summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// A name as people write it: white space (a no-break space, a tab or line break from a paste, the line and paragraph
    /// separators) folded into single spaces and trimmed; an overlong name is cut a character or two past
    /// <paramref name="maximumLength"/>, so that it stays overlong for its check.
    /// </summary>
    public static string FoldWhiteSpace(string? value, int maximumLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder(Math.Min(value.Length, maximumLength + 1));
        var lastWasSpace = true;
        foreach (var c in value)
        {
            // Past the maximum, read on to the next visible character: a space there might be trailing, and trimmed away,
            // and an overlong name cut at it would then pass for one of the maximum length.
            if (builder.Length > maximumLength && !lastWasSpace)
            {
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }

                continue;
            }

            builder.Append(c);
            lastWasSpace = false;
        }

        return builder.ToString().TrimEnd();
    }
}
