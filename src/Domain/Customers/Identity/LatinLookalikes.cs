using System.Text;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Reads Cyrillic and Greek letters that look like Latin ones as those Latin letters inside a word that mixes them with
/// Latin letters: "Асme" with a Cyrillic А and с is the "Acme" a reader sees, not the "Asme" its sounds would spell. A
/// word wholly in Cyrillic or Greek is read by sound, as its own people read it, whatever words stand beside it
/// ("ВЕКТОР Group" is "Vektor Group", "Сахар LLC" is "Sakhar"), so a word written wholly in look-alike letters to pass
/// for a Latin one is not caught here (README, Limits). The letters are those Unicode's confusables (UTS #39) map to a
/// single Latin letter in common fonts.
/// </summary>
public static class LatinLookalikes
{
    private static readonly Dictionary<char, char> Latin = new()
    {
        // Cyrillic capitals and small letters.
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C',
        ['Т'] = 'T', ['У'] = 'Y', ['Х'] = 'X', ['Ѕ'] = 'S', ['І'] = 'I', ['Ј'] = 'J', ['Ԛ'] = 'Q', ['Ԝ'] = 'W', ['Ү'] = 'Y',
        ['Һ'] = 'H', ['Ӏ'] = 'I',
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i',
        ['ј'] = 'j', ['һ'] = 'h', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ӏ'] = 'l', ['ү'] = 'y', ['\u1C82'] = 'o',

        // Greek capitals and small letters.
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N',
        ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
        ['ο'] = 'o', ['ν'] = 'v', ['ι'] = 'i', ['ρ'] = 'p', ['α'] = 'a', ['γ'] = 'y', ['υ'] = 'u', ['ϲ'] = 'c', ['ϳ'] = 'j',
    };

    /// <summary>The name with the Latin look-alikes of its mixed words read as Latin; otherwise as given.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(Latin.ContainsKey) || !text.Any(IsLatinLetter))
        {
            return text;
        }

        var builder = new StringBuilder(text);
        var start = 0;
        while (start < text.Length)
        {
            if (!char.IsLetterOrDigit(text[start]))
            {
                start++;
                continue;
            }

            var end = start;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || char.GetUnicodeCategory(text[end]) == System.Globalization.UnicodeCategory.NonSpacingMark))
            {
                end++;
            }

            if (ReadsAsLatin(text.AsSpan(start, end - start)))
            {
                for (var i = start; i < end; i++)
                {
                    if (Latin.TryGetValue(text[i], out var latin))
                    {
                        builder[i] = latin;
                    }
                }
            }

            start = end;
        }

        return builder.ToString();
    }

    /// <summary>Whether a word mixes Latin letters with Cyrillic or Greek ones: no word of a real name does.</summary>
    public static bool MixesLatinWithCyrillicOrGreek(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var latin = false;
        var other = false;
        foreach (var c in text)
        {
            if (!char.IsLetter(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                if (latin && other)
                {
                    return true;
                }

                latin = other = false;
                continue;
            }

            latin |= IsLatinLetter(c);
            other |= IsCyrillicOrGreek(c);
        }

        return latin && other;
    }

    /// <summary>
    /// Whether a word (a web host's label, say) would pass for Latin while it is not: every letter Latin or a look-alike,
    /// and at least one look-alike ("аррӏе" in Cyrillic reads as "apple").
    /// </summary>
    public static bool PassesForLatin(ReadOnlySpan<char> word)
    {
        var lookalike = false;
        foreach (var c in word)
        {
            if (Latin.ContainsKey(c))
            {
                lookalike = true;
            }
            else if (char.IsLetter(c) && !IsLatinLetter(c))
            {
                return false;
            }
        }

        return lookalike;
    }

    /// <summary>
    /// Whether a host name would pass for a Latin one it is not: a label of it, read as a browser shows it (one written in
    /// its ASCII form, <c>xn--pple-43d</c>, decoded to <c>аpple</c> with a Cyrillic а), passes for Latin; or a label in
    /// that form decodes to nothing.
    /// </summary>
    public static bool HostPassesForLatin(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var label in host.Split('.'))
        {
            if (Readable(label) is not { } read || PassesForLatin(SeedWork.Characters.FoldLetterVariants(read)))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly System.Globalization.IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The label as a browser shows it: decoded from its ASCII (<c>xn--</c>) form; null when that decodes to nothing.</summary>
    private static string? Readable(string label)
    {
        if (!label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return label;
        }

        try
        {
            var read = Idn.GetUnicode(label);
            return read.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) ? null : read;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool ReadsAsLatin(ReadOnlySpan<char> word)
    {
        var latin = false;
        var lookalike = false;
        foreach (var c in word)
        {
            latin |= IsLatinLetter(c);
            lookalike |= Latin.ContainsKey(c);
        }

        return latin && lookalike;
    }

    private static bool IsLatinLetter(char c) => char.IsAsciiLetter(c) || (c is >= '\u00C0' and <= '\u024F' && char.IsLetter(c));

    /// <summary>Greek and Coptic, Cyrillic and its supplement, Cyrillic Extended-C (old letter shapes such as the narrow ᲂ), Greek Extended.</summary>
    private static bool IsCyrillicOrGreek(char c) =>
        c is (>= '\u0370' and <= '\u03FF') or (>= '\u0400' and <= '\u052F') or (>= '\u1C80' and <= '\u1C8F') or (>= '\u1F00' and <= '\u1FFF');
}
