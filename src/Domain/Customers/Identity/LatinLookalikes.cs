using System.Text;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Reads letters of other scripts that look like Latin ones as those Latin letters inside a word that mixes them with
/// Latin letters: "Асme" with a Cyrillic А and с is the "Acme" a reader sees, not the "Asme" its sounds would spell, and
/// "Ꭺcme" with a Cherokee Ꭺ is not "Gocme". The scripts are those whose letters pass for Latin ones in common fonts:
/// Cyrillic, Greek and Coptic, Armenian, Georgian, Cherokee, Canadian Syllabics, Tifinagh and Lisu. A word wholly in one
/// of them is read by sound, as its own people read it, whatever words stand beside it ("ВЕКТОР Group" is "Vektor
/// Group", "Сахар LLC" is "Sakhar"), so a word written wholly in look-alike letters to pass for a Latin one is not
/// caught here (README, Limits). The letters are those Unicode's confusables (UTS #39) map to a single Latin letter.
/// Scripts no Latin letter is mistaken for (kana, Han, Hangul, Arabic, Hebrew, Devanagari …) mix with Latin freely:
/// "NTTドコモ" is one word.
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

        // Coptic.
        ['Ⲏ'] = 'H', ['Ⲓ'] = 'l', ['Ⲕ'] = 'K', ['Ⲙ'] = 'M', ['Ⲛ'] = 'N', ['Ⲟ'] = 'O', ['Ⲣ'] = 'P', ['Ⲥ'] = 'C', ['Ⲧ'] = 'T',
        ['Ⲩ'] = 'Y', ['Ⲭ'] = 'X', ['Ⳑ'] = 'L', ['ⲅ'] = 'r', ['ⲟ'] = 'o', ['ⲣ'] = 'p', ['ⲥ'] = 'c',

        // Armenian.
        ['Ս'] = 'U', ['Տ'] = 'S', ['Օ'] = 'O',
        ['ա'] = 'w', ['գ'] = 'q', ['զ'] = 'q', ['հ'] = 'h', ['ո'] = 'n', ['ռ'] = 'n', ['ս'] = 'u', ['ց'] = 'g', ['ք'] = 'f', ['օ'] = 'o',

        // Georgian.
        ['ყ'] = 'y', ['ჿ'] = 'o',

        // Cherokee capitals and small letters.
        ['Ꭰ'] = 'D', ['Ꭱ'] = 'R', ['Ꭲ'] = 'T', ['Ꭵ'] = 'i', ['Ꭹ'] = 'Y', ['Ꭺ'] = 'A', ['Ꭻ'] = 'J', ['Ꭼ'] = 'E', ['Ꮃ'] = 'W',
        ['Ꮇ'] = 'M', ['Ꮋ'] = 'H', ['Ꮍ'] = 'Y', ['Ꮐ'] = 'G', ['Ꮒ'] = 'h', ['Ꮓ'] = 'Z', ['Ꮟ'] = 'b', ['Ꮢ'] = 'R', ['Ꮤ'] = 'W',
        ['Ꮥ'] = 'S', ['Ꮩ'] = 'V', ['Ꮪ'] = 'S', ['Ꮮ'] = 'L', ['Ꮯ'] = 'C', ['Ꮲ'] = 'P', ['Ꮶ'] = 'K', ['Ꮷ'] = 'd', ['Ᏻ'] = 'G',
        ['Ᏼ'] = 'B',
        ['ꭵ'] = 'i', ['ꮁ'] = 'r', ['ꮃ'] = 'w', ['ꮓ'] = 'z', ['ꮩ'] = 'v', ['ꮪ'] = 's', ['ꮯ'] = 'c',

        // Canadian Syllabics.
        ['ᐯ'] = 'V', ['ᑌ'] = 'U', ['ᑭ'] = 'P', ['ᑯ'] = 'd', ['ᑲ'] = 'b', ['ᒍ'] = 'J', ['ᒪ'] = 'L', ['ᕁ'] = 'x', ['ᕼ'] = 'H',
        ['ᕽ'] = 'x', ['ᖇ'] = 'R', ['ᖯ'] = 'b', ['ᖴ'] = 'F', ['ᗅ'] = 'A', ['ᗞ'] = 'D', ['ᗪ'] = 'D', ['ᗰ'] = 'M', ['ᗷ'] = 'B',

        // Tifinagh.
        ['ⴸ'] = 'V', ['ⴹ'] = 'E', ['ⵏ'] = 'l', ['ⵔ'] = 'O', ['ⵕ'] = 'Q', ['ⵝ'] = 'X',

        // Lisu.
        ['ꓐ'] = 'B', ['ꓑ'] = 'P', ['ꓒ'] = 'd', ['ꓓ'] = 'D', ['ꓔ'] = 'T', ['ꓖ'] = 'G', ['ꓗ'] = 'K', ['ꓙ'] = 'J', ['ꓚ'] = 'C',
        ['ꓜ'] = 'Z', ['ꓝ'] = 'F', ['ꓟ'] = 'M', ['ꓠ'] = 'N', ['ꓡ'] = 'L', ['ꓢ'] = 'S', ['ꓣ'] = 'R', ['ꓦ'] = 'V', ['ꓧ'] = 'H',
        ['ꓪ'] = 'W', ['ꓫ'] = 'X', ['ꓬ'] = 'Y', ['ꓮ'] = 'A', ['ꓰ'] = 'E', ['ꓲ'] = 'l', ['ꓳ'] = 'O', ['ꓴ'] = 'U',
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

    /// <summary>
    /// Whether a word mixes Latin letters with letters of a script whose letters pass for Latin ones (Cyrillic, Greek and
    /// Coptic, Armenian, Georgian, Cherokee, Canadian Syllabics, Tifinagh, Lisu): no word of a real name does. Latin
    /// beside kana, Han or Hangul ("NTTドコモ") is no such mix.
    /// </summary>
    public static bool MixesLatinWithLookalikeScript(string text)
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
            other |= IsLookalikeScript(c);
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
    /// its ASCII form, <c>xn--pple-43d</c>, decoded to <c>аpple</c> with a Cyrillic а), passes for Latin, or mixes Latin
    /// letters with letters of a look-alike script, whichever of them look Latin (<c>microsofт</c> with a Cyrillic т, as
    /// <see cref="Uri"/> writes <c>MICROSOFТ</c>); or a label in that form decodes to nothing. A public suffix a rule of
    /// the Public Suffix List names is no one's choice and is not read (<c>.рус</c> is Cyrillic letters alone); a last
    /// label it does not name (a made-up <c>сom</c>), or one a wildcard rule stands for, is read as any other.
    /// </summary>
    public static bool HostPassesForLatin(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.TrimEnd('.'); // a fully qualified name's last dot ends no label
        var labels = host.Split('.');
        var read = labels.Length - ListedSuffixLabels(host);
        for (var i = 0; i < read; i++)
        {
            if (Readable(labels[i]) is not { } shown || SeedWork.Characters.FoldLetterVariants(shown) is var folded && (PassesForLatin(folded) || MixesLatinWithLookalikeScript(folded)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many last labels of the host are a public suffix the list names; none where it names none.</summary>
    private static int ListedSuffixLabels(string host)
    {
        var list = PublicSuffixList.Default;
        if (list.Resolve(host) is not { } registrable)
        {
            return 0;
        }

        var suffix = registrable[(registrable.IndexOf('.', StringComparison.Ordinal) + 1)..];
        return list.Lists(suffix) ? suffix.Count('.') + 1 : 0;
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

    /// <summary>
    /// The blocks of the scripts whose letters pass for Latin ones: Greek and Coptic, Cyrillic and its supplement,
    /// Armenian, Georgian (with its Mtavruli capitals and supplement), Cherokee and its small letters, Canadian Syllabics
    /// and their extension, Cyrillic Extended-B and -C (old letter shapes such as the narrow ᲂ), Greek Extended, Coptic,
    /// Tifinagh, Lisu.
    /// </summary>
    private static bool IsLookalikeScript(char c) =>
        c is (>= '\u0370' and <= '\u03FF') or (>= '\u0400' and <= '\u052F') or (>= '\u0530' and <= '\u058F')
            or (>= '\u10A0' and <= '\u10FF') or (>= '\u13A0' and <= '\u13FF') or (>= '\u1400' and <= '\u167F')
            or (>= '\u18B0' and <= '\u18FF') or (>= '\u1C80' and <= '\u1CBF') or (>= '\u1F00' and <= '\u1FFF')
            or (>= '\u2C80' and <= '\u2CFF') or (>= '\u2D00' and <= '\u2D7F') or (>= '\uA4D0' and <= '\uA4FF')
            or (>= '\uA640' and <= '\uA69F') or (>= '\uAB70' and <= '\uABBF');
}
