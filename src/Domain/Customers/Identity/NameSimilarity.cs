namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// How alike two name keys are, from 0 to 1. Words are paired one to one, best pairs first: equal
/// words count fully, long words a typo apart (Jaro-Winkler ≥ 0.9) count for their similarity, other
/// words not at all. Every word on either side that finds no partner lowers the score, so "Delta Air
/// Lines" and "Delta Dental" stay apart; words like "group", "international" or a country weigh less,
/// and "of", "and" nothing. Names equal but for spacing ("cocacola" / "coca cola") are equal, and an acronym that spells the other name's initials ("ibm") counts as a partial match.
/// </summary>
public static class NameSimilarity
{
    /// <summary>The weight of a word such as "group", "holdings" or "usa" against 1 for any other word.</summary>
    public const double WeakWordWeight = 0.3;

    /// <summary>Words shorter than this must be equal to count: a letter apart, short names are other companies (Acme / Acne, Aviva / Avivo).</summary>
    public const int MinimumFuzzyLength = 6;

    /// <summary>The Jaro-Winkler similarity from which two long words count as the same word misspelt.</summary>
    public const double FuzzyWordThreshold = 0.9;

    /// <summary>The score of an acronym that spells the other name's initials: worth a look, never sure.</summary>
    public const double AcronymScore = 0.75;

    /// <summary>The shortest acronym read as one.</summary>
    public const int MinimumAcronymLength = 2;

    /// <summary>The longest acronym read as one.</summary>
    public const int MaximumAcronymLength = 6;

    private const int MaximumWords = 12;

    /// <summary>
    /// The similarity of two words alike but for an e after an a, o or u (duerr / durr): one word with its umlauts
    /// written out, as near as a typo apart; blue and blu read so too.
    /// </summary>
    public const double UmlautWrittenOut = 0.95;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Weak = NameVocabulary.WeakWords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Stop = NameVocabulary.StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static double Score(string? keyA, string? keyB) => Score((keyA ?? "").AsSpan(), (keyB ?? "").AsSpan());

    /// <summary>Compares two name keys as made by <see cref="CustomerNormaliser"/> (words joined by single spaces).</summary>
    public static double Score(ReadOnlySpan<char> keyA, ReadOnlySpan<char> keyB)
    {
        if (keyA.IsEmpty || keyB.IsEmpty)
        {
            return 0;
        }

        if (keyA.SequenceEqual(keyB))
        {
            return 1;
        }

        Span<Range> wordsA = stackalloc Range[MaximumWords];
        Span<Range> wordsB = stackalloc Range[MaximumWords];
        Span<double> weightsA = stackalloc double[MaximumWords];
        Span<double> weightsB = stackalloc double[MaximumWords];
        var countA = Split(keyA, wordsA, weightsA, out var totalA);
        var countB = Split(keyB, wordsB, weightsB, out var totalB);

        var words = WordScore(keyA, wordsA[..countA], weightsA[..countA], totalA, keyB, wordsB[..countB], weightsB[..countB], totalB);
        var joined = JoinedScore(keyA, keyB);
        var acronym = countA == 1 || countB == 1 ? AcronymOf(keyA, wordsA[..countA], keyB, wordsB[..countB]) : 0;
        return Math.Max(words, Math.Max(joined, acronym));
    }

    /// <summary>Whether the word holds an e after an a, o or u, which <see cref="UmlautsRead"/> would leave out.</summary>
    private static bool HasUmlautE(ReadOnlySpan<char> word)
    {
        for (var i = word.IndexOf('e'); i >= 0; i = word[(i + 1)..].IndexOf('e') is var next and >= 0 ? i + 1 + next : -1)
        {
            if (i > 0 && word[i - 1] is 'a' or 'o' or 'u')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A word with every e after an a, o or u left out, as German writes ä, ö and ü where it has none (Dürr is Duerr,
    /// Kühne Kuehne), while the name key folds ä to a: two words alike so are one word with its umlauts written out
    /// (<see cref="UmlautWrittenOut"/>), and a word is filed under this form too. Written into <paramref name="buffer"/>,
    /// at least as long as the word.
    /// </summary>
    public static ReadOnlySpan<char> UmlautsRead(ReadOnlySpan<char> word, Span<char> buffer)
    {
        var length = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] == 'e' && i > 0 && word[i - 1] is 'a' or 'o' or 'u')
            {
                continue;
            }

            buffer[length++] = word[i];
        }

        return buffer[..length];
    }

    /// <summary>
    /// Whether two words differ only in an e after an a, o or u (duerr / durr), neither of them nor what they read being a
    /// small word ("doe" is not "do", "does" not "dos"), which counts for nothing and is filed under no key.
    /// </summary>
    private static bool SameOnceUmlautsRead(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        // A word with no e after an a, o or u reads as written: two such words are alike so only when equal, which the
        // caller has already asked. Most pairs end here, on the scorer's hot path.
        if ((!HasUmlautE(a) && !HasUmlautE(b)) || a.Length > 64 || b.Length > 64 || Stop.Contains(a) || Stop.Contains(b))
        {
            return false;
        }

        Span<char> bufferA = stackalloc char[a.Length];
        Span<char> bufferB = stackalloc char[b.Length];
        var read = UmlautsRead(a, bufferA);
        return read.SequenceEqual(UmlautsRead(b, bufferB)) && !Stop.Contains(read);
    }

    private static int Split(ReadOnlySpan<char> key, Span<Range> words, Span<double> weights, out double total)
    {
        var count = 0;
        total = 0;
        foreach (var range in key.Split(' '))
        {
            if (count == MaximumWords)
            {
                break;
            }

            var word = key[range];
            if (word.IsEmpty)
            {
                continue;
            }

            // Past the words compared one by one, the rest of the name is compared as one word, so that names alike
            // only in their first words ("… for Region One" / "… for Region Nine") are not read as the same name.
            var last = count == MaximumWords - 1;
            words[count] = last ? new Range(range.Start, Index.End) : range;
            word = key[words[count]];
            weights[count] = last && word.Contains(' ') ? 1 : Stop.Contains(word) ? 0 : Weak.Contains(word) ? WeakWordWeight : 1;
            total += weights[count];
            count++;
        }

        if (total == 0)
        {
            // A name made only of small words ("the and"): every word counts.
            weights[..count].Fill(1);
            total = count;
        }

        return count;
    }

    private static double WordScore(
        ReadOnlySpan<char> keyA, ReadOnlySpan<Range> wordsA, ReadOnlySpan<double> weightsA, double totalA,
        ReadOnlySpan<char> keyB, ReadOnlySpan<Range> wordsB, ReadOnlySpan<double> weightsB, double totalB)
    {
        Span<double> pairs = stackalloc double[MaximumWords * MaximumWords];
        for (var i = 0; i < wordsA.Length; i++)
        {
            for (var j = 0; j < wordsB.Length; j++)
            {
                pairs[(i * MaximumWords) + j] = weightsA[i] + weightsB[j] == 0 ? 0 : WordSimilarity(keyA[wordsA[i]], keyB[wordsB[j]]);
            }
        }

        // Greedy one-to-one pairing, best pair first: "johnson johnson" pairs only one word of "johnson controls".
        Span<bool> usedA = stackalloc bool[MaximumWords];
        Span<bool> usedB = stackalloc bool[MaximumWords];
        var agreed = 0.0;
        while (true)
        {
            var best = 0.0;
            int bestI = -1, bestJ = -1;
            for (var i = 0; i < wordsA.Length; i++)
            {
                if (usedA[i])
                {
                    continue;
                }

                for (var j = 0; j < wordsB.Length; j++)
                {
                    var similarity = pairs[(i * MaximumWords) + j];
                    if (!usedB[j] && similarity > best)
                    {
                        best = similarity;
                        bestI = i;
                        bestJ = j;
                    }
                }
            }

            if (bestI < 0)
            {
                break;
            }

            usedA[bestI] = true;
            usedB[bestJ] = true;
            agreed += (weightsA[bestI] + weightsB[bestJ]) * best;
        }

        return agreed / (totalA + totalB);
    }

    /// <summary>
    /// 1 for equal words; for a word that continues another, the Jaro-Winkler similarity when the rest is
    /// a plural ending or a doubled last letter (motor / motors, qualcom / qualcomm) and otherwise 0, since
    /// it is another word (america / american, gazprom / gazprombank); for other words of six letters or
    /// more, the Jaro-Winkler similarity from 0.9 (a typo); otherwise 0.
    /// </summary>
    public static double WordSimilarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b))
        {
            return 1;
        }

        if (SameOnceUmlautsRead(a, b))
        {
            return UmlautWrittenOut;
        }

        if (ContainsDigit(a) || ContainsDigit(b))
        {
            return 0;
        }

        var shorter = a.Length <= b.Length ? a : b;
        var longer = a.Length <= b.Length ? b : a;
        if (longer.StartsWith(shorter))
        {
            var rest = longer[shorter.Length..];
            var variant = shorter.Length >= 3 && (rest is "s" or "es" || (rest.Length == 1 && rest[0] == shorter[^1]));
            return variant ? JaroWinkler.Similarity(a, b) : 0;
        }

        if (shorter.Length < MinimumFuzzyLength)
        {
            return 0;
        }

        var similarity = JaroWinkler.Similarity(a, b);
        return similarity >= FuzzyWordThreshold ? similarity : 0;
    }

    /// <summary>1 when the names are the same written with different spacing ("coca cola" / "cocacola", "micro soft" / "microsoft").</summary>
    private static double JoinedScore(ReadOnlySpan<char> keyA, ReadOnlySpan<char> keyB)
    {
        Span<char> a = stackalloc char[keyA.Length];
        Span<char> b = stackalloc char[keyB.Length];
        var lengthA = Join(keyA, a);
        var lengthB = Join(keyB, b);
        return lengthA == lengthB && a[..lengthA].SequenceEqual(b[..lengthB]) ? 1 : 0;
    }

    private static int Join(ReadOnlySpan<char> key, Span<char> into)
    {
        var length = 0;
        foreach (var c in key)
        {
            if (c != ' ')
            {
                into[length++] = c;
            }
        }

        return length;
    }

    private static double AcronymOf(ReadOnlySpan<char> keyA, ReadOnlySpan<Range> wordsA, ReadOnlySpan<char> keyB, ReadOnlySpan<Range> wordsB)
    {
        if (wordsA.Length == 1 && wordsB.Length >= 2 && Spells(keyA[wordsA[0]], keyB, wordsB))
        {
            return AcronymScore;
        }

        return wordsB.Length == 1 && wordsA.Length >= 2 && Spells(keyB[wordsB[0]], keyA, wordsA) ? AcronymScore : 0;
    }

    private static bool Spells(ReadOnlySpan<char> acronym, ReadOnlySpan<char> key, ReadOnlySpan<Range> words)
    {
        if (acronym.Length is < MinimumAcronymLength or > MaximumAcronymLength)
        {
            return false;
        }

        Span<char> initials = stackalloc char[MaximumWords];
        Span<char> withSmallWords = stackalloc char[MaximumWords];
        int count = 0, all = 0;
        foreach (var range in words)
        {
            var word = key[range];
            withSmallWords[all++] = word[0];
            if (!Stop.Contains(word))
            {
                initials[count++] = word[0];
            }
        }

        return acronym.SequenceEqual(initials[..count]) || acronym.SequenceEqual(withSmallWords[..all]);
    }

    private static bool ContainsDigit(ReadOnlySpan<char> text) => text.IndexOfAnyInRange('0', '9') >= 0;
}
