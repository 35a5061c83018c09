namespace CoSell.Domain.Customers.Identity;

internal enum KeyKind : byte
{
    Domain = 1,
    Duns = 2,
    Letters = 3,
    WordPair = 4,
    Word = 5,
    WordVariant = 6,
    WordStart = 7,
    DomainName = 8,
    Acronym = 9,
    Initials = 10,
}

/// <summary>A 64-bit hash of one blocking key; claims that share one are candidates for each other.</summary>
internal readonly record struct BlockingKey(ulong Hash, KeyKind Kind)
{
    public bool IsStrong => Kind is KeyKind.Domain or KeyKind.Duns;
}

/// <summary>
/// The keys under which a claim is filed and a check looks: the registrable domain, the DUNS number, the
/// domain's name (its label before the public suffix, in any country: acme.com and acme.de share it),
/// and within the country: the letters of the name's telling words in sorted order (equal for names that
/// differ only in spacing, a weak word such as "group" or a swapped pair of letters) and, where that drops a word or a
/// plural "s", the sorted letters of every word as written (names equal but for spacing are equal to the scorer:
/// "wells fargo" and "wellsfargo", "acme group" and "acmegroup"), every two of its
/// first four telling words, each telling word, and for a name of one telling word that word and every
/// form of it with one letter left out, so that one typo (deloite, mircosoft, broadcomm) leaves a key in
/// common, and its first four letters; a name of one word of two to six letters is filed as an acronym, a name
/// of several words under its initials, and a check of either looks up the other ("ibm" and "international
/// business machines", whom nothing else joins). Words lose a plural "s" in keys. A check also looks up each of its words as a whole name, so "Delta Dental"
/// finds a claim on "Delta" without reading every claim with the word "delta".
/// </summary>
internal static class BlockingKeys
{
    /// <summary>Every two of this many first words are a key.</summary>
    private const int MaximumPairedWords = 4;

    private const int MaximumNameWords = 8;

    /// <summary>The longest one-word name whose one-letter-short forms are keys.</summary>
    private const int MaximumVariantLength = 24;

    public const int MaximumKeys = 3 + 1 + 1 + MaximumNameWords + MaximumNameWords + (MaximumPairedWords * (MaximumPairedWords - 1) / 2) + MaximumVariantLength + 2 + MaximumPairedWords + 4;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Weak = NameVocabulary.WeakWords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Stop = NameVocabulary.StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Writes the keys of a customer into <paramref name="keys"/> and returns how many; <paramref name="words"/>
    /// is the number of telling words. With <paramref name="forQuery"/>, adds the keys only a check looks up.
    /// </summary>
    public static int Compute(
        ulong seed, ReadOnlySpan<char> nameKey, ReadOnlySpan<char> domain, int duns, ushort country, Span<BlockingKey> keys, bool forQuery, out int words)
    {
        var count = 0;
        words = 0;
        if (!domain.IsEmpty)
        {
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.Domain, 0, domain, default), KeyKind.Domain);
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.DomainName, 0, DomainName(domain), default), KeyKind.DomainName);
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

        Span<Range> telling = stackalloc Range[MaximumNameWords];
        foreach (var range in nameKey.Split(' '))
        {
            var word = nameKey[range];
            if (!word.IsEmpty && !Stop.Contains(word) && !Weak.Contains(word) && words < MaximumNameWords)
            {
                telling[words++] = range;
            }
        }

        telling = telling[..words];
        var letters = LettersKey(seed, country, nameKey, telling);
        keys[count++] = letters;
        // A name whose letters key drops a weak word or a plural "s" is filed under all its letters too, and a check
        // looks them up: the same name run together, whose letters key keeps them, then meets it either way round.
        if (LettersKey(seed, country, nameKey, default) is var all && all != letters)
        {
            keys[count++] = all;
        }

        var first = count;
        Span<char> read = stackalloc char[ClaimsIndex.NameKeyCap];
        for (var i = 0; i < telling.Length; i++)
        {
            var written = nameKey[telling[i]];
            var word = Stem(written);
            Add(new BlockingKey(Hash(seed, KeyKind.Word, country, word, default), KeyKind.Word), keys, first, ref count);
            if (written.Length <= read.Length && NameSimilarity.UmlautsRead(written, read) is var umlauts && umlauts.Length < written.Length && !Stop.Contains(umlauts))
            {
                // Filed as an umlaut written out (duerr) is compared: under the word it is with the umlaut folded (durr)
                // too, read from the word as written, as the scorer reads it (goes is gos), then stemmed as any word is.
                Add(new BlockingKey(Hash(seed, KeyKind.Word, country, Stem(umlauts), default), KeyKind.Word), keys, first, ref count);
            }

            for (var j = 0; j < i && i < MaximumPairedWords; j++)
            {
                Add(new BlockingKey(Hash(seed, KeyKind.WordPair, country, Stem(nameKey[telling[j]]), word), KeyKind.WordPair), keys, first, ref count);
            }
        }

        var only = words == 1 ? nameKey[telling[0]] : default;
        if (only.Length >= NameSimilarity.MinimumFuzzyLength && only.Length <= MaximumVariantLength)
        {
            // The word and its forms one letter short: two spellings one typo apart share one of them.
            // Its first four letters catch a transliteration two letters off (yandex / yandeks) where few names start so.
            keys[count++] = new BlockingKey(Hash(seed, KeyKind.WordStart, country, only[..4], default), KeyKind.WordStart);
            Span<char> shorter = stackalloc char[only.Length - 1];
            Add(new BlockingKey(Hash(seed, KeyKind.WordVariant, country, only, default), KeyKind.WordVariant), keys, first, ref count);
            for (var i = 0; i < only.Length; i++)
            {
                only[..i].CopyTo(shorter);
                only[(i + 1)..].CopyTo(shorter[i..]);
                Add(new BlockingKey(Hash(seed, KeyKind.WordVariant, country, shorter, default), KeyKind.WordVariant), keys, first, ref count);
            }
        }

        if (forQuery && words > 1)
        {
            for (var i = 0; i < Math.Min(words, MaximumPairedWords); i++)
            {
                Add(LettersKey(seed, country, nameKey, telling.Slice(i, 1)), keys, first, ref count);
            }
        }

        AddAcronymKeys(seed, country, nameKey, keys, first, ref count, forQuery);
        return count;
    }

    /// <summary>
    /// A one-word name that can be an acronym is filed as one, and a check of it looks for the names whose initials
    /// spell it (and for the same acronym); a name of several words is filed under its initials (without and with its
    /// small words: "bank of america" is "boa" and "ba"), and a check of it looks only for the acronyms they spell, not
    /// for its own initials: names sharing only their initials ("gs": every "Green Systems" and "Global Services") do not
    /// read each other. The two still share a key, the acronym's.
    /// </summary>
    private static void AddAcronymKeys(ulong seed, ushort country, ReadOnlySpan<char> nameKey, Span<BlockingKey> keys, int first, ref int count, bool forQuery)
    {
        if (nameKey.IndexOf(' ') < 0)
        {
            if (nameKey.Length is >= NameSimilarity.MinimumAcronymLength and <= NameSimilarity.MaximumAcronymLength)
            {
                Add(new BlockingKey(Hash(seed, KeyKind.Acronym, country, nameKey, default), KeyKind.Acronym), keys, first, ref count);
                if (forQuery)
                {
                    Add(new BlockingKey(Hash(seed, KeyKind.Initials, country, nameKey, default), KeyKind.Initials), keys, first, ref count);
                }
            }

            return;
        }

        Span<char> initials = stackalloc char[NameSimilarity.MaximumAcronymLength];
        Span<char> withSmallWords = stackalloc char[NameSimilarity.MaximumAcronymLength];
        int telling = 0, all = 0;
        foreach (var range in nameKey.Split(' '))
        {
            var word = nameKey[range];
            if (word.IsEmpty)
            {
                continue;
            }

            if (all++ < withSmallWords.Length)
            {
                withSmallWords[all - 1] = word[0];
            }

            if (!Stop.Contains(word) && telling++ < initials.Length)
            {
                initials[telling - 1] = word[0];
            }
        }

        if (telling is >= NameSimilarity.MinimumAcronymLength and <= NameSimilarity.MaximumAcronymLength)
        {
            AddInitials(seed, country, initials[..telling], keys, first, ref count, forQuery);
        }

        if (all != telling && all is >= NameSimilarity.MinimumAcronymLength and <= NameSimilarity.MaximumAcronymLength)
        {
            AddInitials(seed, country, withSmallWords[..all], keys, first, ref count, forQuery);
        }
    }

    private static void AddInitials(ulong seed, ushort country, ReadOnlySpan<char> initials, Span<BlockingKey> keys, int first, ref int count, bool forQuery)
    {
        var kind = forQuery ? KeyKind.Acronym : KeyKind.Initials;
        Add(new BlockingKey(Hash(seed, kind, country, initials, default), kind), keys, first, ref count);
    }

    /// <summary>A registrable domain's name: its first label, the one a company registers in front of the public suffix.</summary>
    internal static ReadOnlySpan<char> DomainName(ReadOnlySpan<char> registrableDomain)
    {
        var dot = registrableDomain.IndexOf('.');
        return dot < 0 ? registrableDomain : registrableDomain[..dot];
    }

    /// <summary>The sorted letters of the telling words (of all words when none is telling), plural "s" removed.</summary>
    private static BlockingKey LettersKey(ulong seed, ushort country, ReadOnlySpan<char> nameKey, ReadOnlySpan<Range> telling)
    {
        Span<char> letters = stackalloc char[nameKey.Length];
        var length = 0;
        if (telling.IsEmpty)
        {
            foreach (var c in nameKey)
            {
                if (c != ' ')
                {
                    letters[length++] = c;
                }
            }
        }
        else
        {
            foreach (var range in telling)
            {
                var word = Stem(nameKey[range]);
                word.CopyTo(letters[length..]);
                length += word.Length;
            }
        }

        letters = letters[..length];
        letters.Sort();
        return new BlockingKey(Hash(seed, KeyKind.Letters, country, letters, default), KeyKind.Letters);
    }

    /// <summary>"systems" → "system", "logistics" → "logistic"; "business" and short words stay.</summary>
    private static ReadOnlySpan<char> Stem(ReadOnlySpan<char> word) =>
        word.Length >= 4 && word[^1] == 's' && word[^2] != 's' ? word[..^1] : word;

    private static void Add(BlockingKey key, Span<BlockingKey> keys, int first, ref int count)
    {
        if (!keys[first..count].Contains(key))
        {
            keys[count++] = key;
        }
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
