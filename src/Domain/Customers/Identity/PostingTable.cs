namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Blocking keys (64-bit hashes) to the claims filed under them. The keys live in one open-addressed
/// array (linear probing, at most three quarters full, growing by half), each entry holding its key, the head of its list
/// and the list's length in 16 bytes; the lists are chained through one array of (slot, next) pairs. A key held by one
/// claim only (most keys: a domain, a DUNS number, a rare name) keeps that slot in its entry instead of a list. A
/// lookup and each step along a list cost one memory read each, which is what a check at a million
/// claims pays for.
/// </summary>
internal sealed class PostingTable
{
    public const int End = -1;

    // A head at or below this holds the key's only slot itself: Inline(slot) = -2 - slot.
    private const int FirstInline = -2;

    private Entry[] _entries;
    private int _keys;

    private int[] _postings; // pairs: [2p] = slot, [2p + 1] = next posting
    private int _postingCount;
    private int _freePosting = End;

    public PostingTable(int expectedKeys, int expectedPostings)
    {
        _entries = new Entry[Capacity(expectedKeys)];
        _postings = new int[Math.Max(16, expectedPostings) * 2];
    }

    public int KeyCount => _keys;

    public long SizeInBytes => ((long)_entries.Length * 16) + ((long)_postings.Length * sizeof(int));

    /// <summary>Makes room for this many keys and postings without growing on the way.</summary>
    public void Reserve(int keys, int postings)
    {
        if (keys > _entries.Length * 3L / 4)
        {
            Rehash(Capacity(keys));
        }

        if (postings * 2 > _postings.Length)
        {
            Array.Resize(ref _postings, postings * 2);
        }
    }

    public void Clear()
    {
        Array.Clear(_entries);
        _keys = 0;
        _postingCount = 0;
        _freePosting = End;
    }

    /// <summary>The number of slots filed under the key, and the first posting of its list.</summary>
    public int Find(ulong key, out int head)
    {
        var i = Home(key);
        while (true)
        {
            ref var entry = ref _entries[i];
            if (entry.Count == 0)
            {
                head = End;
                return 0;
            }

            if (entry.Key == key)
            {
                head = entry.Head;
                return entry.Count;
            }

            i = Next(i);
        }
    }

    /// <summary>Follows a list: the slot at <paramref name="posting"/> and the posting after it.</summary>
    public int Read(int posting, out int next)
    {
        if (posting <= FirstInline)
        {
            next = End;
            return Inline(posting);
        }

        next = _postings[(2 * posting) + 1];
        return _postings[2 * posting];
    }

    public void Add(ulong key, int slot)
    {
        if (_keys + 1 > _entries.Length * 3L / 4)
        {
            Rehash(Capacity(_entries.Length));
        }

        var i = Home(key);
        while (true)
        {
            ref var entry = ref _entries[i];
            if (entry.Count == 0)
            {
                entry.Key = key;
                entry.Head = Inline(slot);
                entry.Count = 1;
                _keys++;
                return;
            }

            if (entry.Key == key)
            {
                if (entry.Head <= FirstInline)
                {
                    // A second claim under the key: the one held in the entry moves to a list.
                    entry.Head = Push(Inline(entry.Head), End);
                }

                entry.Head = Push(slot, entry.Head);
                entry.Count++;
                return;
            }

            i = Next(i);
        }
    }

    /// <summary>Takes <paramref name="slot"/> off the key's list, and the key out of the table when its list is empty.</summary>
    public void Remove(ulong key, int slot)
    {
        var i = Home(key);
        while (true)
        {
            ref var entry = ref _entries[i];
            if (entry.Count == 0)
            {
                return;
            }

            if (entry.Key == key)
            {
                break;
            }

            i = Next(i);
        }

        ref var found = ref _entries[i];
        if (found.Head <= FirstInline)
        {
            if (Inline(found.Head) == slot)
            {
                DeleteAt(i);
            }

            return;
        }

        var previous = End;
        var posting = found.Head;
        while (posting != End)
        {
            var next = _postings[(2 * posting) + 1];
            if (_postings[2 * posting] == slot)
            {
                if (previous == End)
                {
                    found.Head = next;
                }
                else
                {
                    _postings[(2 * previous) + 1] = next;
                }

                _postings[(2 * posting) + 1] = _freePosting;
                _freePosting = posting;
                found.Count--;
            }
            else
            {
                previous = posting;
            }

            posting = next;
        }

        if (found.Count == 0)
        {
            DeleteAt(i);
        }
    }

    /// <summary>
    /// Lays every list out in one run of the posting array, so reading a list is a sequential scan rather
    /// than a chain of dependent reads scattered over the array (done after a bulk load). The arrays are cut down to
    /// what the lists and keys hold plus an eighth, giving back what a reservation for the load left unused.
    /// </summary>
    public void Compact()
    {
        if (Capacity(_keys + (_keys / 8)) < _entries.Length)
        {
            Rehash(Capacity(_keys + (_keys / 8)));
        }

        // Lists of one move into their entries; the others are laid out one after another.
        var listed = 0;
        foreach (var entry in _entries)
        {
            listed += entry.Count > 1 ? entry.Count : 0;
        }

        var compacted = new int[Math.Max(16, listed + (listed / 8)) * 2];
        var next = 0;
        for (var i = 0; i < _entries.Length; i++)
        {
            ref var entry = ref _entries[i];
            if (entry.Count == 0 || entry.Head <= FirstInline)
            {
                continue;
            }

            if (entry.Count == 1)
            {
                entry.Head = Inline(_postings[2 * entry.Head]);
                continue;
            }

            var start = next;
            for (var posting = entry.Head; posting != End; posting = _postings[(2 * posting) + 1])
            {
                compacted[2 * next] = _postings[2 * posting];
                compacted[(2 * next) + 1] = next + 1;
                next++;
            }

            compacted[(2 * (next - 1)) + 1] = End;
            entry.Head = start;
        }

        _postings = compacted;
        _postingCount = next;
        _freePosting = End;
    }

    /// <summary>A slot held in an entry's head, and back: the two are the same map (-2 - x).</summary>
    private static int Inline(int slotOrHead) => FirstInline - slotOrHead;

    private int Push(int slot, int next)
    {
        var posting = NewPosting();
        _postings[2 * posting] = slot;
        _postings[(2 * posting) + 1] = next;
        return posting;
    }

    private int NewPosting()
    {
        if (_freePosting != End)
        {
            var reused = _freePosting;
            _freePosting = _postings[(2 * reused) + 1];
            return reused;
        }

        if ((_postingCount + 1) * 2 > _postings.Length)
        {
            Array.Resize(ref _postings, (int)Math.Min(Array.MaxLength, (long)_postings.Length * 3 / 2) & ~1);
        }

        return _postingCount++;
    }

    /// <summary>Backward-shift deletion: later entries of the same probe run move up, so no tombstones are needed.</summary>
    private void DeleteAt(int i)
    {
        var j = i;
        while (true)
        {
            j = Next(j);
            if (_entries[j].Count == 0)
            {
                break;
            }

            var home = Home(_entries[j].Key);
            var stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays)
            {
                _entries[i] = _entries[j];
                i = j;
            }
        }

        _entries[i] = default;
        _keys--;
    }

    private void Rehash(int capacity)
    {
        var old = _entries;
        _entries = new Entry[capacity];
        foreach (var entry in old)
        {
            if (entry.Count == 0)
            {
                continue;
            }

            var i = Home(entry.Key);
            while (_entries[i].Count != 0)
            {
                i = Next(i);
            }

            _entries[i] = entry;
        }
    }

    /// <summary>Room for the keys at three quarters full; any size, not a power of two, so little is wasted.</summary>
    private static int Capacity(int keys) => (int)Math.Min(Array.MaxLength, Math.Max(16, (keys * 4L / 3) + 1));

    /// <summary>Maps the high half of the (well mixed) hash onto the table without a division (Lemire's reduction).</summary>
    private int Home(ulong key) => (int)(((key >> 32) * (ulong)_entries.Length) >> 32);

    private int Next(int i) => i + 1 == _entries.Length ? 0 : i + 1;

    private struct Entry
    {
        public ulong Key;
        public int Head;
        public int Count;
    }
}
