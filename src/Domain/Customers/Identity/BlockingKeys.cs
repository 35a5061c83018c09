namespace CoSell.Domain.Customers.Identity;

internal enum KeyKind : byte
{
    Domain = 1,
    Duns = 2,
    Letters = 3,
    WordPair = 4,
    Word = 5,
    WordStart = 6,
    WordEnd = 7,
}

/// <summary>A 64-bit hash of one blocking key; claims that share one are candidates for each other.</summary>
internal readonly record struct BlockingKey(ulong Hash, KeyKind Kind)
{
    public bool IsStrong => Kind is KeyKind.Domain or KeyKind.Duns;
}

/// <summary>
/// The keys under which a claim is filed and a check looks: the registrable domain, the DUNS number,
/// and within the country the letters of the name in sorted order (equal for names that differ only in
/// spacing or a swapped pair of letters), every two of its first four words, each word, and for a name of
/// one telling word the first and last four letters of that word, so that one typo in it (deloite,
/// mircosoft) leaves a key in common. Small and weak words ("of", "group") are not keys.
/// </summary>
internal static class BlockingKeys
{
    public const int MaximumKeys = 2 + 1 + MaximumNameWords + (MaximumPairedWords * (MaximumPairedWords - 1) / 2) + 2;

    /// <summary>Every two of this many first words are a key.</summary>
    private const int MaximumPairedWords = 4;

    /// <summary>The letters at each end of the first word that are keys; shorter words must match exactly anyway.</summary>
    private const int WordEndLength = 4;

    private const int MaximumNameWords = 8;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Weak = NameVocabulary.WeakWords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Stop = NameVocabulary.StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static int Compute(ulong seed, ReadOnlySpan<char> nameKey, ReadOnlySpan<char> domain, int duns, ushort country, Span<BlockingKey> keys)
    {
        var count = 0;
        if (!domain.IsEmpty)
        {
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.Domain, 0, domain, default), KeyKind.Domain);
        }

        if (duns >= 0)
        {
            Span<char> digits = stackalloc char[9];
            duns.TryFormat(digits, out _, "D9", System.Globalization.CultureInfo.InvariantCulture);
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.Duns, 0, digits, default), KeyKind.Duns);
        }

        if (nameKey.IsEmpty)
        {
            return count;
        }

        Span<char> letters = stackalloc char[nameKey.Length];
        var length = 0;
        foreach (var c in nameKey)
        {
            if (c != ' ')
            {
                letters[length++] = c;
            }
        }

        letters = letters[..length];
        letters.Sort();
        keys[count++] = new BlockingKey(Hash(seed, KeyKind.Letters, country, letters, default), KeyKind.Letters);

        var first = count;
        Span<Range> paired = stackalloc Range[MaximumPairedWords];
        var words = 0;
        foreach (var range in nameKey.Split(' '))
        {
            var word = nameKey[range];
            if (word.IsEmpty || Stop.Contains(word) || Weak.Contains(word))
            {
                continue;
            }

            if (words == MaximumNameWords)
            {
                break;
            }

            var wordKey = new BlockingKey(Hash(seed, KeyKind.Word, country, word, default), KeyKind.Word);
            if (!keys[first..count].Contains(wordKey))
            {
                keys[count++] = wordKey;
            }

            // Every two of the first words, in order: "Royal Jizo Industries" shares "royal industries" with "Royal Industries".
            if (words < MaximumPairedWords)
            {
                for (var i = 0; i < words; i++)
                {
                    var pair = new BlockingKey(Hash(seed, KeyKind.WordPair, country, nameKey[paired[i]], word), KeyKind.WordPair);
                    if (!keys[first..count].Contains(pair))
                    {
                        keys[count++] = pair;
                    }
                }

                paired[words] = range;
            }

            words++;
        }

        // A name of one telling word finds its misspellings only through the ends of that word.
        if (words == 1 && nameKey[paired[0]].Length >= NameSimilarity.MinimumFuzzyLength)
        {
            var word = nameKey[paired[0]];
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.WordStart, country, word[..WordEndLength], default), KeyKind.WordStart);
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.WordEnd, country, word[^WordEndLength..], default), KeyKind.WordEnd);
        }

        return count;
    }

    /// <summary>FNV-1a over the kind, country and text, finished with MurmurHash3's mixer and salted per index.</summary>
    private static ulong Hash(ulong seed, KeyKind kind, ushort country, ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        const ulong prime = 1099511628211;
        var hash = 14695981039346656037 ^ seed;
        hash = (hash ^ (byte)kind) * prime;
        hash = (hash ^ country) * prime;
        foreach (var c in first)
        {
            hash = (hash ^ c) * prime;
        }

        if (!second.IsEmpty)
        {
            hash = (hash ^ ' ') * prime;
            foreach (var c in second)
            {
                hash = (hash ^ c) * prime;
            }
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }
}
