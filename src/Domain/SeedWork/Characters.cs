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
    /// unassigned, or a letter or mark that shows nothing (<see cref="IsBlank"/>).
    /// </summary>
    public static bool ShowsEverything(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(text, out var rune, out var used) != System.Buffers.OperationStatus.Done
                || System.Text.Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.PrivateUse
                    or System.Globalization.UnicodeCategory.OtherNotAssigned
                || IsBlank(rune.Value))
            {
                return false;
            }

            text = text[used..];
        }

        return true;
    }

    /// <summary>Letters and marks that show nothing: the combining grapheme joiner, variation selectors, Hangul fillers, the blank Braille pattern.</summary>
    public static bool IsBlank(int codePoint) =>
        codePoint is 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

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
