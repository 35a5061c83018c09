using System.Buffers;
using System.Globalization;
using System.Text;

namespace CoSell.Domain.SeedWork;

/// <summary>The characters people's text is judged by, the same for every name, label and free text.</summary>
public static class Characters
{
    /// <summary>
    /// A refused value as a message says it back: its first <paramref name="limit"/> characters (40 unless said; never
    /// half of a pair that makes one character), with those that show nothing where they stand (controls, format
    /// characters such as a zero-width space, separators other than the space, blank letters, selectors, and a half of a
    /// pair standing alone) written as <c>\uXXXX</c>, so the reader sees what was refused rather than a value that reads
    /// as a good one, and a value of any length is said back in a line.
    /// </summary>
    public static string Shown(string? value, int limit = 40)
    {
        if (value is null)
        {
            return "";
        }

        var end = Math.Min(value.Length, limit);
        if (end < value.Length && end > 0 && char.IsHighSurrogate(value[end - 1]) && char.IsLowSurrogate(value[end]))
        {
            end--;
        }

        var shown = new StringBuilder();
        var text = value.AsSpan(0, end);
        while (!text.IsEmpty)
        {
            var read = Rune.DecodeFromUtf16(text, out var rune, out var used) == OperationStatus.Done;
            var whole = text[..Math.Max(used, 1)];
            if (!read || ShowsNothing(rune))
            {
                foreach (var unit in whole)
                {
                    shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)unit:X4}");
                }
            }
            else
            {
                shown.Append(whole);
            }

            text = text[whole.Length..];
        }

        return end == value.Length ? shown.ToString() : shown.Append('…').ToString();
    }

    /// <summary>A character that shows nothing where it stands, as <see cref="Shown"/> writes it out.</summary>
    private static bool ShowsNothing(Rune rune) =>
        (rune.IsBmp && IsControl((char)rune.Value))
        || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
        || (Rune.IsWhiteSpace(rune) && rune.Value != ' ')
        || IsBlank(rune.Value)
        || IsSelector(rune.Value);

    /// <summary>
    /// A control character (C0, DEL, C1 such as NEL U+0085) or a line or paragraph separator (U+2028, U+2029). The two
    /// separators are no controls to <see cref="char.IsControl(char)"/>, yet break a line as NEL does, in a timeline, an
    /// export or a terminal.
    /// </summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>
    /// Whether text that names something to a reader (an address, a link, a partner's name) is well-formed and shows
    /// every character it holds: none is a format character (zero-width, direction, soft hyphen, tag), private-use,
    /// unassigned, a letter that shows nothing (<see cref="IsBlank"/>), or a selector (<see cref="IsSelector"/>). A name
    /// or a label (<paramref name="name"/>) may hold a selector where it chooses a variant of the character before it, a
    /// joiner where it shapes the characters either side, and a direction mark where it places the characters beside it
    /// (<see cref="Fits"/>); an address or a link none of them. Anywhere else such a character shows nothing, and would
    /// make two names that read alike two different names.
    /// </summary>
    public static bool ShowsEverything(ReadOnlySpan<char> text, bool name = false)
    {
        Rune? previous = null;
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var used) != OperationStatus.Done)
            {
                return false;
            }

            var rest = text[used..];
            Rune? next = Rune.DecodeFromUtf16(rest, out var following, out _) == OperationStatus.Done ? following : null;
            var shaping = IsShaping(rune.Value);
            if ((shaping && !(name && Fits(rune.Value, previous, next)))
                || (!shaping && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                || IsBlank(rune.Value))
            {
                return false;
            }

            previous = rune;
            text = rest;
        }

        return true;
    }

    /// <summary>
    /// Whether text a reader follows as one piece (an address, a link) shows every character it holds
    /// (<see cref="ShowsEverything"/>) and has no white space or control character in it.
    /// </summary>
    public static bool IsOneVisibleRun(string text) =>
        ShowsEverything(text) && !text.Any(c => char.IsWhiteSpace(c) || IsControl(c));

    /// <summary>
    /// Whether a host name as written parts its labels with anything but ASCII dots: an ideographic, full-width or
    /// half-width full stop is a dot to a browser or a mail client (<c>example.com。elsewhere.example</c>).
    /// </summary>
    public static bool HasOtherDots(ReadOnlySpan<char> host) => host.IndexOfAny('\u3002', '\uFF0E', '\uFF61') >= 0;

    /// <summary>Letters that show nothing: the Hangul fillers, the blank Braille pattern, the Khmer inherent vowels.</summary>
    public static bool IsBlank(int codePoint) =>
        codePoint is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x17B4 or 0x17B5;

    /// <summary>
    /// Marks that choose how the character before them shows: variation selectors (the emoji form of ❤, a kanji's
    /// variant glyph), Mongolian free variation selectors, the combining grapheme joiner.
    /// </summary>
    private static bool IsSelector(int codePoint) =>
        codePoint is 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or (>= 0x180B and <= 0x180D) or 0x180F;

    /// <summary>The zero-width non-joiner and joiner (U+200C, U+200D).</summary>
    private static bool IsJoiner(int codePoint) => codePoint is 0x200C or 0x200D;

    /// <summary>The left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F, U+061C).</summary>
    private static bool IsDirectionMark(int codePoint) => codePoint is 0x200E or 0x200F or 0x061C;

    /// <summary>A character that only chooses how its neighbours show: a selector, a joiner, a direction mark.</summary>
    private static bool IsShaping(int codePoint) => IsSelector(codePoint) || IsJoiner(codePoint) || IsDirectionMark(codePoint);

    /// <summary>
    /// Whether every direction mark in the text stands beside a right-to-left letter: the narrower rule of a label, which
    /// is compared as written, where a mark that only places a space or sits at an end would make a second label that
    /// reads as the first.
    /// </summary>
    public static bool MarksOnlyRightToLeft(string text)
    {
        if (text.AsSpan().IndexOfAny('\u200E', '\u200F', '\u061C') < 0)
        {
            return true;
        }

        Rune? previous = null;
        var runes = text.EnumerateRunes().ToList();
        for (var i = 0; i < runes.Count; i++)
        {
            if (IsDirectionMark(runes[i].Value) && !(IsRightToLeft(previous) || (i + 1 < runes.Count && IsRightToLeft(runes[i + 1]))))
            {
                return false;
            }

            previous = runes[i];
        }

        return true;
    }

    /// <summary>
    /// Whether a selector or joiner changes what shows where it stands; anywhere else it shows nothing. A variation
    /// selector follows a symbol (❤️), an ideograph (a kanji's variant), or a digit, <c>#</c> or <c>*</c> of a keycap
    /// (<c>1️⃣</c>); a Mongolian selector a Mongolian letter; a joiner stands between two letters or marks of a script it
    /// shapes (Arabic and Persian, the Indic scripts, Myanmar, Khmer, Mongolian), or joins emoji; a direction mark
    /// stands at either end of the text, or beside right-to-left text or a neutral character (white space, a digit,
    /// punctuation, a symbol) whose side it settles, not between two letters written left to right, nor beside another
    /// mark; a zero-width joiner also follows a virama, whose letter it shapes at the end of a word (a Malayalam chillu). The combining grapheme joiner never shows.
    /// </summary>
    private static bool Fits(int mark, Rune? previous, Rune? next)
    {
        if (IsDirectionMark(mark))
        {
            // At either end a mark settles how the name sits in the text around it (`\u200EIntel Israel`, `בנק HSBC\u200E`).
            return previous is null || next is null || IsPlacedByMarks(previous) || IsPlacedByMarks(next);
        }

        if (previous is not { } before)
        {
            return false;
        }

        return mark switch
        {
            >= 0xE0100 and <= 0xE01EF => IsIdeograph(before),
            >= 0xFE00 and <= 0xFE0F => IsSymbol(before) || IsIdeograph(before) || (before.Value is (>= '0' and <= '9') or '#' or '*' && next?.Value == 0x20E3),
            (>= 0x180B and <= 0x180D) or 0x180F => before.Value is >= 0x1800 and <= 0x18AF,
            0x200C or 0x200D => (mark == 0x200D && IsVirama(before)) || (next is { } after && ((IsShapedByJoiners(before) && IsShapedByJoiners(after)) || (IsEmojiPart(before) && IsSymbol(after)))),
            _ => false,
        };
    }

    /// <summary>
    /// The virama (halant) of an Indic script, Myanmar or Khmer: a joiner after it chooses the letter's form even at the end
    /// of a word, as in Malayalam's chillu letters (<c>ല്‍</c>).
    /// </summary>
    private static bool IsVirama(Rune rune) =>
        rune.Value is 0x094D or 0x09CD or 0x0A4D or 0x0ACD or 0x0B4D or 0x0BCD or 0x0C4D or 0x0CCD or 0x0D4D or 0x0DCA or 0x1039 or 0x103A or 0x17D2;

    /// <summary>
    /// The text without the characters that only choose how their neighbours show (selectors, joiners, direction marks):
    /// what a key that compares names as readers see them is made from.
    /// </summary>
    public static string WithoutShapingMarks(string text)
    {
        if (!text.EnumerateRunes().Any(r => IsShaping(r.Value)))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes().Where(r => !IsShaping(r.Value)))
        {
            kept.Append(rune.ToString());
        }

        return kept.ToString();
    }

    private static bool IsSymbol(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol;

    private static bool IsIdeograph(Rune rune) =>
        rune.Value is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    /// <summary>Arabic (with its presentation forms), Syriac, Thaana, the Indic scripts to Sinhala, Myanmar, Khmer and Mongolian.</summary>
    private static bool IsShapedByJoiners(Rune rune) =>
        rune.Value is (>= 0x0600 and <= 0x08FF) or (>= 0x0900 and <= 0x0DFF) or (>= 0x1000 and <= 0x109F) or (>= 0x1780 and <= 0x18AF)
            or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF);

    /// <summary>
    /// What a direction mark beside it places: a letter or mark of a right-to-left script (Hebrew, Arabic, Syriac,
    /// Thaana, N'Ko and the like, with their presentation forms), or a neutral character (white space, a digit,
    /// punctuation, a symbol) whose direction would otherwise follow what surrounds it.
    /// </summary>
    private static bool IsPlacedByMarks(Rune? rune) =>
        rune is { } r && !IsDirectionMark(r.Value)
        && (IsRightToLeft(r) || Rune.IsWhiteSpace(r) || Rune.IsDigit(r) || Rune.IsPunctuation(r) || Rune.IsSymbol(r));

    /// <summary>A letter or mark of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko and the like, with their presentation forms), not a direction mark.</summary>
    private static bool IsRightToLeft(Rune? rune) =>
        rune is { } r && !IsDirectionMark(r.Value)
        && r.Value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    /// <summary>What an emoji sequence joins from: an emoji, one in its emoji form (after U+FE0F), or one with a skin tone.</summary>
    private static bool IsEmojiPart(Rune rune) => IsSymbol(rune) || rune.Value is 0xFE0F or (>= 0x1F3FB and <= 0x1F3FF);

    /// <summary>
    /// The text with the letters made to look like other letters written as those letters: full-width and half-width
    /// forms (<c>Ｎ</c> is N), mathematical letters (<c>𝐍</c>, <c>ℕ</c>), enclosed ones (<c>Ⓝ</c>), Roman numerals (<c>Ⅽ</c> is C,
    /// <c>Ⅻ</c> is XII), and the Latin ligatures, digraphs and raised or lowered letters that are letters of their own only
    /// in Unicode (<c>ﬁ</c> is fi, <c>Ĳ</c> IJ, <c>Ǆ</c> DŽ, <c>ᴺ</c> N) take their compatibility form; everything else
    /// (™, №, µ, ², ß) stays as written, then all in composed form (NFC).
    /// </summary>
    public static string FoldLetterVariants(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is (>= 0xFF00 and <= 0xFFEF) or (>= 0x1D400 and <= 0x1D7FF) or (>= 0x2460 and <= 0x24FF) or (>= 0x1F100 and <= 0x1F1FF) or (>= 0x2160 and <= 0x217F))
            {
                folded.Append(rune.ToString().Normalize(NormalizationForm.FormKC));
            }
            else if (rune.Value is >= 0x2100 and <= 0x214F && rune.ToString().Normalize(NormalizationForm.FormKC) is [var letter] && char.IsLetter(letter))
            {
                // A letterlike symbol that is one letter (ℕ, ℋ, ℓ), not one that is a word or a sign (™, №, ℃).
                folded.Append(letter);
            }
            else if (IsLatinLetterVariant(rune) && rune.ToString().Normalize(NormalizationForm.FormKC) is var letters && letters.All(c => char.IsLetter(c) || c == '\u00B7'))
            {
                // Ŀ is L with the middle dot Catalan writes between two l's (L·l), as it shows.
                folded.Append(letters);
            }
            else
            {
                folded.Append(rune.ToString());
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// A Latin ligature or digraph (<c>ﬁ</c>, <c>Ĳ</c>, <c>Ŀ</c>, <c>ŉ</c>, <c>Ǆ</c>, <c>ǈ</c>, <c>Ǳ</c>), a long s, or a
    /// modifier, superscript or subscript letter (<c>ᴺ</c>, <c>ʰ</c>, <c>ⁿ</c>, <c>ₐ</c>): each shows as plain letters.
    /// </summary>
    private static bool IsLatinLetterVariant(Rune rune) => rune.Value is
        0x0132 or 0x0133 or 0x013F or 0x0140 or 0x0149 or 0x017F or (>= 0x01C4 and <= 0x01CC) or (>= 0x01F1 and <= 0x01F3)
        or (>= 0xFB00 and <= 0xFB06) or (>= 0x02B0 and <= 0x02B8) or (>= 0x1D2C and <= 0x1D6A) or 0x2071 or 0x207F or (>= 0x2090 and <= 0x209C);

    /// <summary>A direction control (U+202A–U+202E, U+2066–U+2069), which reorders what follows it.</summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Whether every direction embedding or override (U+202A, U+202B, U+202D, U+202E) and isolate (U+2066–U+2068) the
    /// text opens is closed in it (by U+202C, and by U+2069, which closes an isolate with what opened inside it), line by
    /// line, in order: so that the text cannot reorder what a timeline line, a push or a screen puts after it.
    /// </summary>
    public static bool ClosesItsDirectionControls(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('\u202A', '\u202E') < 0 && text.IndexOfAnyInRange('\u2066', '\u2069') < 0)
        {
            return true;
        }

        // Each entry is true for an isolate, false for an embedding or override. A closing mark with nothing of its own
        // to close is refused too: it would close what the line around the text opened.
        var open = new Stack<bool>();
        foreach (var c in text)
        {
            switch (c)
            {
                case '\u202A' or '\u202B' or '\u202D' or '\u202E':
                    open.Push(false);
                    break;
                case '\u2066' or '\u2067' or '\u2068':
                    open.Push(true);
                    break;
                case '\u202C':
                    if (!open.TryPeek(out var isolate) || isolate)
                    {
                        return false;
                    }

                    open.Pop();
                    break;
                case '\u2069':
                    if (!open.Contains(true))
                    {
                        return false;
                    }

                    while (!open.Pop())
                    {
                    }

                    break;
                case '\n' or '\r' or '\u0085' or '\u2029':
                    // A paragraph ends every embedding and isolate: each line closes what it opens.
                    if (open.Count > 0)
                    {
                        return false;
                    }

                    break;
            }
        }

        return open.Count == 0;
    }

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
