using System.Globalization;
using System.Text;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Reduces a customer to the identifiers duplicate detection and account mapping compare: the name
/// folded to ASCII (Unicode compatibility folding, Latin diacritics removed, other scripts
/// transliterated, case and punctuation folded, signs such as ™ ® © left out, <c>&amp;</c> read as "and", legal forms,
/// leading articles and a closing parenthetical removed), the registrable web domain unless it is a free-mail provider's
/// or the address is a page on a shared platform, the DUNS number and the ISO country. Pure: the same input always gives the same output.
/// </summary>
public sealed class CustomerNormaliser
{
    /// <summary>Characters of a name that are read; the rest is ignored (company names have at most 200).</summary>
    public const int MaximumInputLength = 512;

    /// <summary>The longest name key produced.</summary>
    public const int MaximumKeyLength = 200;

    /// <summary>
    /// The version of the rules that make a name key and a company domain: raised with every change to what either is
    /// made of, so that keys stored from them (the tokens of uploaded account lists) are made again at the next start.
    /// The claims index makes its keys from the stored names and domains at every start, and needs no version.
    /// </summary>
    public const int KeyRulesVersion = 10;

    private static readonly Phrases Trailing = new(NameVocabulary.TrailingLegalForms);
    private static readonly Phrases Leading = new(NameVocabulary.LeadingLegalForms);

    // Tokens that mark where a parenthetical opens and closes; no word is written so, and none is left in a key.
    private const string Open = "(";
    private const string Close = ")";

    private readonly ITransliterator _transliterator;
    private readonly IRegistrableDomainResolver _resolver;

    public CustomerNormaliser(ITransliterator transliterator, IRegistrableDomainResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(transliterator);
        _transliterator = transliterator;
        _resolver = resolver ?? PublicSuffixList.Default;
    }

    /// <summary>Normalises a customer whose parts have already been validated.</summary>
    public NormalisedCustomer Normalise(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return Normalise(StoredCustomer.Of(customer));
    }

    /// <summary>Normalises a customer's validated values as they are stored.</summary>
    public NormalisedCustomer Normalise(StoredCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        // A placeholder stored before they were refused identifies no company.
        var duns = customer.Duns is { } stored && !Duns.IsPlaceholder(stored) ? stored : null;
        return new NormalisedCustomer(NameKey(customer.Name), CompanyDomain(customer.RegistrableDomain), duns, customer.Country);
    }

    /// <summary>
    /// Normalises raw input leniently, as from an uploaded account list: a domain, URL or e-mail address
    /// that cannot be read, a DUNS that is not nine digits and an unknown country become null.
    /// </summary>
    public NormalisedCustomer Normalise(string? name, string? domain, string? country, string? duns) =>
        new(NameKey(name), RegistrableDomain(domain), DunsDigits(duns), Country(country));

    /// <summary>The name key: folded tokens without legal forms or leading articles, joined by single spaces.</summary>
    public string NameKey(string? name) => string.Join(' ', NameTokens(name));

    /// <summary>
    /// The company's registrable domain from a domain, URL or e-mail address; null when unreadable, free mail, or a page
    /// or site on a shared platform (<see cref="SharedPlatforms"/>).
    /// </summary>
    public string? RegistrableDomain(string? domain) =>
        WebDomain.TryFrom(domain, _resolver, out var web) && !web.IsPageOnSharedPlatform ? CompanyDomain(web.Registrable) : null;

    /// <summary>The registrable domain itself, or null for a free-mail provider.</summary>
    public static string? CompanyDomain(string? registrableDomain) =>
        string.IsNullOrEmpty(registrableDomain) || FreeMailDomains.Contains(registrableDomain) ? null : registrableDomain;

    /// <summary>The nine digits of a DUNS number as <see cref="Duns.Digits"/> reads them; null for anything else or a placeholder.</summary>
    public static string? DunsDigits(string? duns) =>
        Duns.Digits(duns) is { } digits && !Duns.IsPlaceholder(digits) ? digits : null;

    public static string? Country(string? country)
    {
        var code = country?.Trim();
        return CountryCode.IsValid(code) ? code!.ToUpperInvariant() : null;
    }

    /// <summary>The tokens of the name key, cut at <see cref="MaximumKeyLength"/> characters for the claims index.</summary>
    public IReadOnlyList<string> NameTokens(string? name) => Cap(WholeNameTokens(name));

    /// <summary>
    /// The name key without the cut: a name whose letters spell out longer (Chinese, Japanese, Cyrillic written in Latin
    /// letters) can pass <see cref="MaximumKeyLength"/>, and two such names that differ only past it are two companies.
    /// Account mapping hashes this key whole.
    /// </summary>
    public string WholeNameKey(string? name) => string.Join(' ', WholeNameTokens(name));

    private List<string> WholeNameTokens(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var text = Sanitise(name);
        if (!Ascii.IsValid(text))
        {
            text = FoldLatinDiacritics(text);
            text = RemoveNativeLegalForms(text);
            text = LatinLookalikes.Fold(text);
            text = SeparateCjkRuns(text);
            text = _transliterator.ToAscii(text);
        }

        var tokens = Tokenise(text.ToLowerInvariant());
        tokens = MergeInitials(tokens);
        tokens = WriteOutAbbreviations(tokens);
        return RemoveLegalFormsAndArticles(tokens);
    }

    /// <summary>
    /// Cuts overlong input, drops format characters and turns control characters, broken surrogates and signs
    /// (<see cref="IsSign"/>) into spaces.
    /// </summary>
    private static string Sanitise(string name)
    {
        var span = name.AsSpan();
        if (span.Length > MaximumInputLength)
        {
            span = span[..MaximumInputLength];
        }

        var builder = new StringBuilder(span.Length);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            UnicodeCategory category;
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                // Judged as the code point it is: the tag characters (U+E0020–U+E007F) are invisible format characters
                // that transliteration would otherwise read as the letters they tag.
                category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, span[i + 1]));
                if (category == UnicodeCategory.Format)
                {
                    i++;
                    continue;
                }

                if (category is not (UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                    && !(category == UnicodeCategory.OtherSymbol && IsSign(char.ConvertToUtf32(c, span[i + 1]))))
                {
                    builder.Append(c).Append(span[i + 1]);
                    i++;
                    continue;
                }

                builder.Append(' ');
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                builder.Append(' ');
                continue;
            }

            switch (char.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Format:
                    break; // soft hyphens, zero-width joiners, direction marks
                case UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.SpaceSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned:
                case UnicodeCategory.OtherSymbol when IsSign(c):
                    builder.Append(' ');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Whether a symbol is a sign a name carries rather than a part of it: the trade and service mark signs (™ ℠, and
    /// the raised MC, MD and MR signs), which compatibility folding would spell as letters glued to the word before them,
    /// and every other symbol whose compatibility form holds no letter or digit (® and ©, which transliteration would
    /// spell "(R)" and "(C)", ℗, emoji, dingbats). A symbol that stands for letters or digits (№, ①, ㈱) is read as them.
    /// </summary>
    private static bool IsSign(int codePoint)
    {
        if (codePoint is 0x2122 or 0x2120 or (>= 0x1F16A and <= 0x1F16C))
        {
            return true;
        }

        foreach (var c in char.ConvertFromUtf32(codePoint).Normalize(NormalizationForm.FormKD))
        {
            if (char.IsLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// NFKD, then drops the combining marks of Latin and Greek letters (é → e), then recomposes. Marks on
    /// other scripts stay: they change the sound (Japanese ガ is not カ, Cyrillic й is not и).
    /// </summary>
    private static string FoldLatinDiacritics(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var latinBase = false;
        foreach (var c in decomposed)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                if (!latinBase)
                {
                    builder.Append(c);
                }

                continue;
            }

            latinBase = IsLatinOrGreek(c);
            builder.Append(c);
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsLatinOrGreek(char c) =>
        c < '\u0250' || c is (>= '\u0370' and <= '\u03FF') or (>= '\u1E00' and <= '\u1FFF') or (>= '\u2C60' and <= '\u2C7F') or (>= '\uA720' and <= '\uA7FF');

    private static string RemoveNativeLegalForms(string text)
    {
        foreach (var form in NameVocabulary.NativeLegalForms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, " ", StringComparison.Ordinal);
            }
        }

        foreach (var (native, english) in NameVocabulary.NativeWeakWords)
        {
            if (text.Contains(native, StringComparison.Ordinal))
            {
                text = text.Replace(native, $" {english} ", StringComparison.Ordinal);
            }
        }

        var trimmed = text.TrimEnd();
        foreach (var form in NameVocabulary.NativeTrailingLegalForms)
        {
            if (trimmed.Length > form.Length && trimmed.EndsWith(form, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^form.Length];
            }
        }

        return trimmed;
    }

    private enum ScriptRun
    {
        Other,
        Han,
        Kana,
        Hangul,
    }

    /// <summary>
    /// Chinese, Japanese and Korean are written without spaces; a transliterator glues their syllables to
    /// the neighbouring words ("三菱UFJ銀行" → "SanLingUFJYinXing"). Runs of kana and hangul become words,
    /// and each Han character becomes its own syllable, since the word boundaries are unknown: "中国石油"
    /// and "中国石化" (two companies) then share three syllables of four, not a long common prefix.
    /// </summary>
    private static string SeparateCjkRuns(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        var previous = ScriptRun.Other;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x30FB)
            {
                builder.Append(' '); // the katakana middle dot separates words
                previous = ScriptRun.Other;
                continue;
            }

            var run = RunOf(rune.Value);
            if ((run != previous && (run != ScriptRun.Other || previous != ScriptRun.Other)) || (run == ScriptRun.Han && previous == ScriptRun.Han))
            {
                builder.Append(' ');
            }

            builder.Append(rune.ToString());
            previous = run;
        }

        return builder.ToString();
    }

    private static ScriptRun RunOf(int c) => c switch
    {
        >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0xFF66 and <= 0xFF9F => ScriptRun.Kana,
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7AF => ScriptRun.Hangul,
        >= 0x2E80 and <= 0x2FDF or >= 0x3005 and <= 0x3007 or >= 0x3021 and <= 0x3029 or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF => ScriptRun.Han,
        _ => ScriptRun.Other,
    };

    /// <summary>
    /// Splits lower-case ASCII into words. Apostrophes join (McDonald's → mcdonalds); dots and slashes
    /// join short abbreviations (S.p.A. → spa, A/S → as) and otherwise separate; <c>&amp;</c> and <c>+</c>
    /// join initials (AT&amp;T → att) and otherwise read "and"; brackets separate and are kept as the tokens
    /// <see cref="Open"/> and <see cref="Close"/>; every other symbol separates.
    /// </summary>
    private static List<string> Tokenise(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var partOfChunk = char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '&' or '+' or '\'';
            if (partOfChunk)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                AddChunk(text.AsSpan(start, i - start), tokens);
                start = -1;
            }

            if (c is '(' or '[' or '{')
            {
                tokens.Add(Open);
            }
            else if (c is ')' or ']' or '}')
            {
                tokens.Add(Close);
            }
        }

        return tokens;
    }

    private static bool IsBracket(string token) => ReferenceEquals(token, Open) || ReferenceEquals(token, Close);

    private static bool IsInitial(string token) => token.Length == 1 && char.IsAsciiLetterOrDigit(token[0]);

    private static void AddChunk(ReadOnlySpan<char> chunk, List<string> tokens)
    {
        Span<char> buffer = stackalloc char[chunk.Length];
        var length = 0;
        foreach (var c in chunk)
        {
            if (c != '\'')
            {
                buffer[length++] = c;
            }
        }

        var text = buffer[..length];
        if (!text.ContainsAny('&', '+'))
        {
            AddDotted(text.ToString(), tokens);
            return;
        }

        var parts = SplitParts(text, "&+");
        if (parts.Count >= 2 && parts.TrueForAll(p => p.Length <= 3))
        {
            AddDotted(string.Concat(parts), tokens);
            return;
        }

        var first = true;
        foreach (var range in text.SplitAny('&', '+'))
        {
            if (!first)
            {
                tokens.Add("and");
            }

            AddDotted(text[range].ToString(), tokens);
            first = false;
        }
    }

    private static void AddDotted(string text, List<string> tokens)
    {
        if (text.AsSpan().IndexOfAny('.', '/') < 0)
        {
            if (text.Length > 0)
            {
                tokens.Add(text);
            }

            return;
        }

        var parts = SplitParts(text, "./");
        if (parts.Count >= 2 && parts.TrueForAll(p => p.Length <= 2))
        {
            tokens.Add(string.Concat(parts)); // s.p.a, a/s, u.s.a
        }
        else if (parts.Count == 2 && NameVocabulary.WebSuffixes.Contains(parts[1]) && text.Contains('.', StringComparison.Ordinal))
        {
            tokens.Add(parts[0]); // amazon.com
        }
        else
        {
            tokens.AddRange(parts);
        }
    }

    private static List<string> SplitParts(ReadOnlySpan<char> text, string separators)
    {
        var parts = new List<string>();
        foreach (var range in text.SplitAny(separators))
        {
            if (range.End.GetOffset(text.Length) > range.Start.GetOffset(text.Length))
            {
                parts.Add(text[range].ToString());
            }
        }

        return parts;
    }

    /// <summary>
    /// Runs of single letters or digits are initials: "I B M" → ibm, "H and M" → hm, "3 M" → 3m; and
    /// "and" between two words of one or two letters joins them, as in "AT &amp; T" → att.
    /// </summary>
    private static List<string> MergeInitials(List<string> tokens)
    {
        if (!tokens.Exists(IsInitial))
        {
            return tokens;
        }

        for (var at = tokens.Count - 2; at >= 1; at = Math.Min(at - 1, tokens.Count - 2))
        {
            if (tokens[at] == "and" && !IsBracket(tokens[at - 1]) && !IsBracket(tokens[at + 1]) && tokens[at - 1].Length <= 2 && tokens[at + 1].Length <= 2
                && (tokens[at - 1].Length == 1 || tokens[at + 1].Length == 1))
            {
                tokens[at - 1] += tokens[at + 1];
                tokens.RemoveRange(at, 2);
            }
        }

        var merged = new List<string>(tokens.Count);
        var i = 0;
        while (i < tokens.Count)
        {
            if (!IsInitial(tokens[i]))
            {
                merged.Add(tokens[i++]);
                continue;
            }

            var run = new StringBuilder(tokens[i++]);
            while (i < tokens.Count)
            {
                if (IsInitial(tokens[i]))
                {
                    run.Append(tokens[i++]);
                }
                else if (tokens[i] == "and" && i + 1 < tokens.Count && IsInitial(tokens[i + 1]))
                {
                    run.Append(tokens[i + 1]);
                    i += 2;
                }
                else
                {
                    break;
                }
            }

            merged.Add(run.ToString());
        }

        return merged;
    }

    private static List<string> WriteOutAbbreviations(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (NameVocabulary.Abbreviations.TryGetValue(token, out var full))
            {
                result.AddRange(full.Split(' '));
            }
            else
            {
                result.Add(token);
            }
        }

        return result;
    }

    /// <summary>
    /// Removes legal forms from both ends, leading articles and a parenthetical that closes the name (a country, a
    /// division, a former name: "Acme GmbH (Germany)", "Acme (China) Co., Ltd.") until none is left, never removing the
    /// last word: a name that is only a legal form ("Inc.") keeps it as its key, and one that is only a parenthetical
    /// keeps its words. The brackets of a parenthetical inside the name ("ABC (Asia) Holdings") are dropped, its words kept.
    /// </summary>
    private static List<string> RemoveLegalFormsAndArticles(List<string> tokens)
    {
        var start = 0;
        var end = tokens.Count;
        var changed = true;
        while (changed && end - start > 1)
        {
            changed = false;
            if (NameVocabulary.LeadingArticles.Contains(tokens[start]) && HasWord(tokens, start + 1, end))
            {
                start++;
                changed = true;
                continue;
            }

            if (ReferenceEquals(tokens[end - 1], Close))
            {
                var open = OpeningOf(tokens, start, end - 1);
                if (open < 0 || HasWord(tokens, start, open))
                {
                    // A closing bracket that no bracket opens is dropped alone.
                    end = open < 0 ? end - 1 : open;
                    changed = true;
                    continue;
                }
            }

            var trailing = Trailing.LongestAtEnd(tokens, start, end);
            if (trailing > 0 && HasWord(tokens, start, end - trailing))
            {
                end -= trailing;
                while (HasWord(tokens, start, end - 1) && NameVocabulary.Connectors.Contains(tokens[end - 1]))
                {
                    end--;
                }

                changed = true;
                continue;
            }

            var leading = Leading.LongestAtStart(tokens, start, end);
            if (leading > 0 && HasWord(tokens, start + leading, end))
            {
                start += leading;
                changed = true;
            }
        }

        var kept = tokens.GetRange(start, end - start);
        if (kept.Exists(IsBracket))
        {
            kept.RemoveAll(IsBracket);
        }

        return kept;
    }

    /// <summary>Where the parenthetical that <c>tokens[close]</c> closes opens, or -1 when no bracket opens it.</summary>
    private static int OpeningOf(List<string> tokens, int start, int close)
    {
        var depth = 0;
        for (var i = close; i >= start; i--)
        {
            if (ReferenceEquals(tokens[i], Close))
            {
                depth++;
            }
            else if (ReferenceEquals(tokens[i], Open) && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasWord(List<string> tokens, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!IsBracket(tokens[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Cap(List<string> tokens)
    {
        var kept = new List<string>(tokens.Count);
        var length = 0;
        foreach (var token in tokens)
        {
            var room = MaximumKeyLength - length - (kept.Count > 0 ? 1 : 0);
            if (room <= 0)
            {
                break;
            }

            kept.Add(token.Length <= room ? token : token[..room]);
            length += kept[^1].Length + (kept.Count > 1 ? 1 : 0);
        }

        return kept;
    }

    /// <summary>Multi-word phrases indexed by their last (or first) word.</summary>
    private sealed class Phrases
    {
        private readonly Dictionary<string, List<string[]>> _byLast = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string[]>> _byFirst = new(StringComparer.Ordinal);

        public Phrases(IEnumerable<string> phrases)
        {
            foreach (var phrase in phrases.Distinct(StringComparer.Ordinal))
            {
                var words = phrase.Split(' ');
                Add(_byLast, words[^1], words);
                Add(_byFirst, words[0], words);
            }
        }

        /// <summary>The number of words of the longest phrase that ends <c>tokens[start..end]</c>, or 0.</summary>
        public int LongestAtEnd(List<string> tokens, int start, int end)
        {
            if (!_byLast.TryGetValue(tokens[end - 1], out var candidates))
            {
                return 0;
            }

            var best = 0;
            foreach (var words in candidates)
            {
                if (words.Length > best && words.Length <= end - start && Matches(tokens, end - words.Length, words))
                {
                    best = words.Length;
                }
            }

            return best;
        }

        public int LongestAtStart(List<string> tokens, int start, int end)
        {
            if (!_byFirst.TryGetValue(tokens[start], out var candidates))
            {
                return 0;
            }

            var best = 0;
            foreach (var words in candidates)
            {
                if (words.Length > best && words.Length <= end - start && Matches(tokens, start, words))
                {
                    best = words.Length;
                }
            }

            return best;
        }

        private static bool Matches(List<string> tokens, int at, string[] words)
        {
            for (var i = 0; i < words.Length; i++)
            {
                if (!string.Equals(tokens[at + i], words[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private static void Add(Dictionary<string, List<string[]>> map, string key, string[] words)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            list.Add(words);
        }
    }
}
