using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// The live claims on customers, in memory, filed under blocking keys (<see cref="BlockingKeys"/>) so
/// that a duplicate check reads only the claims that share a key with the customer instead of every
/// claim. Safe for concurrent checks and updates: checks share a read lock, changes take a write lock.
/// </summary>
/// <remarks>
/// Built for a million claims in a few hundred megabytes: a claim is a 56-byte struct in one array, its
/// name key and domain are ASCII bytes in one shared buffer, partners, statuses and product-line sets
/// are numbered once, and blocking keys are 64-bit hashes in a <see cref="PostingTable"/>.
/// </remarks>
public sealed class ClaimsIndex : IDisposable
{
    /// <summary>Claims read from one domain or DUNS key at most (the most recent first).</summary>
    internal const int StrongKeyCap = 2_000;

    /// <summary>A name key held by more claims than this is too common to tell companies apart ("bank" in the US).</summary>
    internal const int NameKeyCap = 200;

    /// <summary>
    /// For a name of two or more telling words, a single shared word read at most from this many claims:
    /// sharing one word of several is no clue unless that word is the other name's whole name, which the
    /// whole-name lookups find; a rare shared word still finds a name whose other word is misspelt. The
    /// first four letters of a one-word name are read under the same limit.
    /// </summary>
    internal const int SharedWordCap = 20;

    /// <summary>Name-key candidates read at most per check, rarest keys first.</summary>
    internal const int NameCandidateBudget = 600;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Exception? _failedLoad;
    private readonly ulong _seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// How many of the latest versioned changes are remembered (<see cref="Upsert(CustomerClaim, long)"/>): a change
    /// published out of order arrives within moments of the one it crossed, long before this many others (some
    /// seconds of changes at the service's top rate); at most about a megabyte, counted in <see cref="ApproximateSizeInBytes"/>.
    /// </summary>
    internal const int RecentChangesKept = 16_384;

    private readonly Dictionary<Guid, long> _recentVersions = [];
    private readonly Queue<(Guid ClaimId, long Version)> _recentChanges = new();

    private readonly Dictionary<Guid, int> _slotOf;
    private readonly Stack<int> _freeSlots = new();
    private Record[] _records;
    private int _slotCount;

    private byte[] _text;
    private int _textLength;
    private int _deadText;

    private readonly PostingTable _postings;

    private readonly Dictionary<Guid, int> _partnerIds = [];
    private readonly List<Guid> _partners = [];
    private readonly Dictionary<string, byte> _statusIds = new(StringComparer.Ordinal);
    private readonly List<string> _statuses = [];
    // Product lines and the sets claims hold, each kept while some claim holds it: a line in as many sets as use it, a set
    // for as many claims as hold it (the empty set, 0, always). Edits that name ever new lines therefore hold no more than
    // the claims held now do; a freed number is given to the next new line or set.
    private readonly Dictionary<string, int> _productLineIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _productLines = [];
    private readonly List<int> _productLineUses = [];
    private readonly Stack<int> _freeProductLines = new();
    private readonly Dictionary<string, int> _productSetIds = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly List<int[]> _productSets = [[]];
    private readonly List<int> _productSetUses = [0];
    private readonly Stack<int> _freeProductSets = new();

    public ClaimsIndex(int expectedClaims = 0)
    {
        var claims = Math.Max(expectedClaims, 16);
        _slotOf = new Dictionary<Guid, int>(claims);
        _records = new Record[claims];
        _text = new byte[claims * 32];
        _postings = new PostingTable(claims * 6, claims * 2);
    }

    /// <summary>The number of claims held.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slotOf.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>The bytes held by the index's arrays and tables, estimated from their capacities.</summary>
    public long ApproximateSizeInBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return ((long)_records.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Record>())
                    + _text.Length
                    + _postings.SizeInBytes
                    + ((long)_slotOf.EnsureCapacity(0) * (28 + 4))
                    + ((long)_recentVersions.EnsureCapacity(0) * (28 + 8)) + ((long)_recentChanges.EnsureCapacity(0) * 24);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Files the claim as its owner stands at <paramref name="version"/>, unless a later version of it was applied
    /// already: requests publish their commits in no guaranteed order, so a claim closed just after it was approved must
    /// not be filed again when the approval's news comes last. False when the change was older and ignored.
    /// </summary>
    public bool Upsert(CustomerClaim claim, long version)
    {
        ArgumentNullException.ThrowIfNull(claim);
        Validate(claim);
        _lock.EnterWriteLock();
        try
        {
            ThrowIfLoadFailed();
            if (!IsLatestLocked(claim.ClaimId, version))
            {
                return false;
            }

            UpsertLocked(claim);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Takes the claim out as its owner stands at <paramref name="version"/> (no longer a live claim), unless a later
    /// version of it was applied already. False when the change was older and ignored, or the claim was not held.
    /// </summary>
    public bool Remove(Guid claimId, long version)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfLoadFailed();
            return IsLatestLocked(claimId, version) && RemoveLocked(claimId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Whether a change at this version is not older than the last applied to the claim; remembers it if so.</summary>
    private bool IsLatestLocked(Guid claimId, long version)
    {
        if (_recentVersions.TryGetValue(claimId, out var applied))
        {
            if (applied > version)
            {
                return false;
            }

            if (applied == version)
            {
                // Another event of the same commit: already remembered, and it takes no second place in the window.
                return true;
            }
        }

        while (_recentChanges.Count >= RecentChangesKept)
        {
            var (forgotten, at) = _recentChanges.Dequeue();
            if (_recentVersions.TryGetValue(forgotten, out var latest) && latest == at)
            {
                _recentVersions.Remove(forgotten);
            }
        }

        _recentVersions[claimId] = version;
        _recentChanges.Enqueue((claimId, version));
        return true;
    }

    /// <summary>Adds a claim, or replaces the claim with the same id, whatever was applied before.</summary>
    public void Upsert(CustomerClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        Validate(claim);
        _lock.EnterWriteLock();
        try
        {
            ThrowIfLoadFailed();
            UpsertLocked(claim);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds or replaces many claims under one lock, e.g. when the service starts, then lays the key lists out for fast reading.</summary>
    public void Load(IEnumerable<CustomerClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        _lock.EnterWriteLock();
        try
        {
            LoadLocked(claims);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Replaces every claim with those <paramref name="read"/> gives, holding the index from before the read until the
    /// claims are filed: a check or a change made meanwhile waits, then sees (or applies on top of) the loaded claims.
    /// <paramref name="held"/> is called once the index is held, so its caller can go on while the read runs; the
    /// lock is the calling thread's, so the read runs on it too.
    /// </summary>
    public void Reload(Func<IEnumerable<CustomerClaim>> read, Action? held = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        _lock.EnterWriteLock();
        try
        {
            held?.Invoke();
            var claims = read();
            ClearLocked();
            LoadLocked(claims);
            _failedLoad = null;
        }
        catch (Exception e)
        {
            // Whatever waited for the load must not judge against an empty or half-filled index: it is refused until a load succeeds.
            ClearLocked();
            _failedLoad = e;
            throw;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a claim (withdrawn, rejected, lost, expired); false when it was not held.</summary>
    public bool Remove(Guid claimId)
    {
        _lock.EnterWriteLock();
        try
        {
            ThrowIfLoadFailed();
            return RemoveLocked(claimId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private bool RemoveLocked(Guid claimId)
    {
        if (!_slotOf.Remove(claimId, out var slot))
        {
            return false;
        }

        Unfile(slot);
        ReleaseProducts(_records[slot].ProductSet);
        _records[slot] = default;
        _freeSlots.Push(slot);
        CompactTextIfWasteful();
        return true;
    }

    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            ClearLocked();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool Contains(Guid claimId)
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfLoadFailed();
            return _slotOf.ContainsKey(claimId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The claim as held by the index (product lines as first spelt), or null.</summary>
    public CustomerClaim? Find(Guid claimId)
    {
        _lock.EnterReadLock();
        try
        {
            ThrowIfLoadFailed();
            if (!_slotOf.TryGetValue(claimId, out var slot))
            {
                return null;
            }

            var view = View(slot);
            return new CustomerClaim(
                view.ClaimId,
                view.Kind,
                view.PartnerId,
                new NormalisedCustomer(Encoding.ASCII.GetString(view.NameKey), view.Domain.IsEmpty ? null : Encoding.ASCII.GetString(view.Domain),
                    view.Duns < 0 ? null : view.Duns.ToString("D9", System.Globalization.CultureInfo.InvariantCulture), CountryText(view.Country)),
                ProductLinesOf(view.ProductSet),
                view.Status,
                view.ClaimedAt,
                view.ProtectedUntil);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void LoadLocked(IEnumerable<CustomerClaim> claims)
    {
        if (claims.TryGetNonEnumeratedCount(out var count))
        {
            Reserve(_slotOf.Count + count);
        }

        foreach (var claim in claims)
        {
            Validate(claim);
            UpsertLocked(claim);
        }

        _postings.Compact();

        // The reservation guessed at the names' length: keep what the claims hold and an eighth more.
        CompactText();
        var keep = Math.Max(1024, _textLength + (_textLength / 8));
        if (_text.Length > keep)
        {
            Array.Resize(ref _text, keep);
        }
    }

    private void ClearLocked()
    {
        _slotOf.Clear();
        _freeSlots.Clear();
        Array.Clear(_records);
        _slotCount = 0;
        _textLength = 0;
        _deadText = 0;
        _postings.Clear();
        _productLineIds.Clear();
        _productLines.Clear();
        _productLineUses.Clear();
        _freeProductLines.Clear();
        _productSetIds.Clear();
        _productSetIds[""] = 0;
        _productSets.Clear();
        _productSets.Add([]);
        _productSetUses.Clear();
        _productSetUses.Add(0);
        _freeProductSets.Clear();
    }

    public void Dispose() => _lock.Dispose();

    private void ThrowIfLoadFailed()
    {
        if (_failedLoad is { } failed)
        {
            throw new ClaimsIndexUnavailableException(failed);
        }
    }

    internal void EnterRead()
    {
        _lock.EnterReadLock();
        if (_failedLoad is not null)
        {
            _lock.ExitReadLock();
            ThrowIfLoadFailed();
        }
    }

    internal void ExitRead() => _lock.ExitReadLock();

    /// <summary>Slots from 0 up to this may hold a claim (see <see cref="IsLive"/>); read under the read lock.</summary>
    internal int SlotCount => _slotCount;

    internal bool IsLive(int slot) => _records[slot].Live;

    internal ClaimView View(int slot) => new(this, slot);

    /// <summary>
    /// The keys a check of the customer looks up (which include those its claim is filed under, but for the initials of
    /// a name of several words, which only a check of an acronym reads): a claim can match the customer only if it is
    /// filed under one of them, so two customers that can match share a key.
    /// </summary>
    public ulong[] KeysOf(NormalisedCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        Span<BlockingKey> keys = stackalloc BlockingKey[BlockingKeys.MaximumKeys];
        var count = KeysOf(customer, keys, forQuery: true, out _);
        var hashes = new HashSet<ulong>(count);
        foreach (var key in keys[..count])
        {
            hashes.Add(key.Hash);
        }

        return [.. hashes];
    }

    internal int KeysOf(NormalisedCustomer customer, Span<BlockingKey> keys, bool forQuery, out int words) =>
        BlockingKeys.Compute(_seed, customer.NameKey, customer.RegistrableDomain, DunsNumber(customer.Duns), CountryNumber(customer.Country), keys, forQuery, out words);

    /// <summary>
    /// The slots filed under the keys, each once: every claim under a domain or DUNS key (up to a cap),
    /// then the claims under name keys, rarest key first, skipping keys too common to be telling
    /// (<paramref name="words"/> is the number of telling words of the name checked).
    /// </summary>
    internal void CollectCandidates(ReadOnlySpan<BlockingKey> keys, int words, List<int> into)
    {
        var wordCap = words > 1 ? SharedWordCap : NameKeyCap;
        Span<(int Count, int Head)> nameLists = stackalloc (int, int)[keys.Length];
        var names = 0;
        foreach (var key in keys)
        {
            var count = _postings.Find(key.Hash, out var head);
            if (count == 0)
            {
                continue;
            }

            if (key.IsStrong)
            {
                Read(head, StrongKeyCap, into);
            }
            else if (count <= key.Kind switch { KeyKind.Word => wordCap, KeyKind.WordStart => SharedWordCap, _ => NameKeyCap })
            {
                nameLists[names++] = (count, head);
            }
        }

        nameLists = nameLists[..names];
        nameLists.Sort(static (x, y) => x.Count.CompareTo(y.Count));
        var budget = NameCandidateBudget;
        foreach (var (count, head) in nameLists)
        {
            if (count > budget)
            {
                break;
            }

            Read(head, count, into);
            budget -= count;
        }

        if (into.Count > 1)
        {
            into.Sort();
            var unique = 1;
            for (var i = 1; i < into.Count; i++)
            {
                if (into[i] != into[unique - 1])
                {
                    into[unique++] = into[i];
                }
            }

            into.RemoveRange(unique, into.Count - unique);
        }
    }

    internal int ProductLineId(string productLine) =>
        _productLineIds.TryGetValue(ProductLineKey(productLine), out var id) ? id : -1;

    /// <summary>A product line as compared: trimmed and without invisible format characters, by code point ("Sec\u200Burity" is "Security"); case is ignored by the lookup.</summary>
    internal static string ProductLineKey(string productLine)
    {
        var trimmed = productLine.Trim();
        if (!trimmed.Any(c => char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return trimmed; // the common case, without a copy
        }

        var builder = new System.Text.StringBuilder(trimmed.Length);
        var dropped = false;
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (System.Text.Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format)
            {
                dropped = true;
                continue;
            }

            builder.Append(rune.ToString());
        }

        return dropped ? builder.ToString().Trim() : trimmed;
    }

    internal string ProductLineName(int id) => _productLines[id];

    internal ReadOnlySpan<int> ProductSet(int id) => _productSets[id];

    internal int PartnerNumber(Guid partnerId) => _partnerIds.TryGetValue(partnerId, out var number) ? number : int.MinValue;

    internal static int DunsNumber(string? duns) => duns is null ? -1 : int.Parse(duns, System.Globalization.CultureInfo.InvariantCulture);

    internal static ushort CountryNumber(string? country) =>
        country is { Length: 2 } ? (ushort)(((country[0] - 'A') * 26) + (country[1] - 'A') + 1) : (ushort)0;

    internal static string? CountryText(ushort number) =>
        number == 0 ? null : string.Create(2, number - 1, static (span, n) => { span[0] = (char)('A' + (n / 26)); span[1] = (char)('A' + (n % 26)); });

    private void Read(int posting, int limit, List<int> into)
    {
        for (var i = 0; i < limit && posting != PostingTable.End; i++)
        {
            into.Add(_postings.Read(posting, out posting));
        }
    }

    private static void Validate(CustomerClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(claim.Customer);
        if (claim.ClaimId == Guid.Empty)
        {
            throw new ArgumentException("A claim needs an id.", nameof(claim));
        }

        if (string.IsNullOrWhiteSpace(claim.Status) || claim.Status.Length > CustomerClaim.MaximumStatusLength)
        {
            throw new ArgumentException($"A claim's status is a word of at most {CustomerClaim.MaximumStatusLength} characters.", nameof(claim));
        }

        if (claim.ProductLines is null || claim.ProductLines.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A claim's product lines are non-empty names.", nameof(claim));
        }
    }

    private void UpsertLocked(CustomerClaim claim)
    {
        var heldProducts = -1;
        if (_slotOf.TryGetValue(claim.ClaimId, out var slot))
        {
            Unfile(slot);
            heldProducts = _records[slot].ProductSet;
        }
        else
        {
            slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NewSlot();
            _slotOf[claim.ClaimId] = slot;
        }

        // Before the product set is taken: a status the index cannot hold refuses the claim with no set counted for it.
        var status = InternStatus(claim.Status.Trim());
        var customer = claim.Customer;
        var domain = customer.RegistrableDomain ?? "";
        var offset = AppendText(customer.NameKey, domain);
        _records[slot] = new Record
        {
            ClaimId = claim.ClaimId,
            ClaimedAtTicks = claim.ClaimedAt.UtcTicks,
            ProtectedUntilTicks = claim.ProtectedUntil?.UtcTicks ?? 0,
            TextOffset = offset,
            Duns = DunsNumber(customer.Duns),
            Partner = claim.PartnerId is { } partner ? Intern(partner) : -1,
            ProductSet = InternProducts(claim.ProductLines),
            NameLength = (byte)customer.NameKey.Length,
            DomainLength = (byte)domain.Length,
            Country = CountryNumber(customer.Country),
            Kind = claim.Kind,
            Status = status,
            Live = true,
        };

        // Let go after the new set is taken, so a change that keeps the claim's lines does not free and make them again.
        if (heldProducts >= 0)
        {
            ReleaseProducts(heldProducts);
        }

        Span<BlockingKey> keys = stackalloc BlockingKey[BlockingKeys.MaximumKeys];
        var count = KeysOf(customer, keys, forQuery: false, out _);
        foreach (var key in keys[..count])
        {
            _postings.Add(key.Hash, slot);
        }

        CompactTextIfWasteful();
    }

    private int NewSlot()
    {
        if (_slotCount == _records.Length)
        {
            Array.Resize(ref _records, Grow(_records.Length));
        }

        return _slotCount++;
    }

    private void Reserve(int claims)
    {
        if (_records.Length < claims)
        {
            Array.Resize(ref _records, claims);
        }

        _slotOf.EnsureCapacity(claims);
        // About five keys a claim, most of them held by that claim alone (kept in the key's entry, not in a list).
        _postings.Reserve(claims * 6, claims * 2);

        if (_text.Length < claims * 32)
        {
            Array.Resize(ref _text, claims * 32);
        }
    }

    private static int Grow(int length) => (int)Math.Min(Array.MaxLength, Math.Max(16, length + (length / 2)));

    private int AppendText(string name, string domain)
    {
        var needed = name.Length + domain.Length;
        if (_textLength + needed > _text.Length)
        {
            CompactText();
            if (_textLength + needed > _text.Length)
            {
                Array.Resize(ref _text, Math.Max(Grow(_text.Length), _textLength + needed));
            }
        }

        var offset = _textLength;
        Encoding.ASCII.GetBytes(name, _text.AsSpan(offset));
        Encoding.ASCII.GetBytes(domain, _text.AsSpan(offset + name.Length));
        _textLength += needed;
        return offset;
    }

    private void CompactTextIfWasteful()
    {
        if (_deadText > 1 << 16 && _deadText > _textLength / 2)
        {
            CompactText();
        }
    }

    private void CompactText()
    {
        if (_deadText == 0)
        {
            return;
        }

        var text = new byte[Math.Max(_text.Length, 1024)];
        var length = 0;
        for (var slot = 0; slot < _slotCount; slot++)
        {
            ref var record = ref _records[slot];
            if (!record.Live)
            {
                continue;
            }

            var size = record.NameLength + record.DomainLength;
            _text.AsSpan(record.TextOffset, size).CopyTo(text.AsSpan(length));
            record.TextOffset = length;
            length += size;
        }

        _text = text;
        _textLength = length;
        _deadText = 0;
    }

    /// <summary>Takes a claim off every key it is filed under and marks its text as garbage.</summary>
    private void Unfile(int slot)
    {
        var view = View(slot);
        Span<char> name = stackalloc char[view.NameKey.Length];
        Span<char> domain = stackalloc char[view.Domain.Length];
        Encoding.ASCII.GetChars(view.NameKey, name);
        Encoding.ASCII.GetChars(view.Domain, domain);
        Span<BlockingKey> keys = stackalloc BlockingKey[BlockingKeys.MaximumKeys];
        var count = BlockingKeys.Compute(_seed, name, domain, view.Duns, view.Country, keys, forQuery: false, out _);
        foreach (var key in keys[..count])
        {
            _postings.Remove(key.Hash, slot);
        }

        _deadText += name.Length + domain.Length;
    }

    private int Intern(Guid partner)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(_partnerIds, partner, out var exists);
        if (!exists)
        {
            number = _partners.Count;
            _partners.Add(partner);
        }

        return number;
    }

    private byte InternStatus(string status)
    {
        if (_statusIds.TryGetValue(status, out var id))
        {
            return id;
        }

        if (_statuses.Count == byte.MaxValue)
        {
            throw new InvalidOperationException("A claims index holds at most 255 different status words.");
        }

        id = (byte)_statuses.Count;
        _statuses.Add(status);
        _statusIds[status] = id;
        return id;
    }

    /// <summary>The number of the set of <paramref name="productLines"/>, taken for one more claim.</summary>
    private int InternProducts(IReadOnlyList<string> productLines)
    {
        if (productLines.Count == 0)
        {
            return 0;
        }

        var ids = new SortedSet<int>();
        foreach (var line in productLines)
        {
            var name = ProductLineKey(line);
            if (!_productLineIds.TryGetValue(name, out var id))
            {
                id = Take(_freeProductLines, _productLines, name, _productLineUses);
                _productLineIds[name] = id;
            }

            ids.Add(id);
        }

        var signature = string.Join(',', ids);
        if (!_productSetIds.TryGetValue(signature, out var set))
        {
            set = Take(_freeProductSets, _productSets, [.. ids], _productSetUses);
            _productSetIds[signature] = set;
            foreach (var id in ids)
            {
                _productLineUses[id]++;
            }
        }

        _productSetUses[set]++;
        return set;
    }

    /// <summary>A claim no longer holds the set: once no claim does, the set goes, and so does each line no set holds.</summary>
    private void ReleaseProducts(int set)
    {
        if (set == 0 || --_productSetUses[set] > 0)
        {
            return;
        }

        var ids = _productSets[set];
        _productSetIds.Remove(string.Join(',', ids));
        foreach (var id in ids)
        {
            if (--_productLineUses[id] == 0)
            {
                _productLineIds.Remove(_productLines[id]);
                _productLines[id] = string.Empty;
                _freeProductLines.Push(id);
            }
        }

        _productSets[set] = [];
        _freeProductSets.Push(set);
    }

    /// <summary>A freed number for <paramref name="value"/>, or a new one, with no uses yet.</summary>
    private static int Take<T>(Stack<int> free, List<T> values, T value, List<int> uses)
    {
        if (free.TryPop(out var number))
        {
            values[number] = value;
            uses[number] = 0;
            return number;
        }

        values.Add(value);
        uses.Add(0);
        return values.Count - 1;
    }

    /// <summary>How many product lines and sets the index keeps (for tests and diagnostics).</summary>
    internal (int Lines, int Sets) ProductsKept
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (_productLineIds.Count, _productSetIds.Count);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    private string[] ProductLinesOf(int set) => [.. _productSets[set].Select(id => _productLines[id])];

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Record
    {
        public Guid ClaimId;
        public long ClaimedAtTicks;
        public long ProtectedUntilTicks;
        public int TextOffset;
        public int Duns;
        public int Partner;
        public int ProductSet;
        public ushort Country;
        public byte NameLength;
        public byte DomainLength;
        public ClaimKind Kind;
        public byte Status;
        public bool Live;
    }

    /// <summary>A claim read in place; valid only under the read lock.</summary>
    internal readonly ref struct ClaimView
    {
        private readonly ClaimsIndex _index;
        private readonly ref readonly Record _record;

        public ClaimView(ClaimsIndex index, int slot)
        {
            _index = index;
            _record = ref index._records[slot];
        }

        public Guid ClaimId => _record.ClaimId;

        public ClaimKind Kind => _record.Kind;

        public int Partner => _record.Partner;

        public Guid? PartnerId => _record.Partner < 0 ? null : _index._partners[_record.Partner];

        public ReadOnlySpan<byte> NameKey => _index._text.AsSpan(_record.TextOffset, _record.NameLength);

        public ReadOnlySpan<byte> Domain => _index._text.AsSpan(_record.TextOffset + _record.NameLength, _record.DomainLength);

        public int Duns => _record.Duns;

        public ushort Country => _record.Country;

        public int ProductSet => _record.ProductSet;

        public string Status => _index._statuses[_record.Status];

        public DateTimeOffset ClaimedAt => new(_record.ClaimedAtTicks, TimeSpan.Zero);

        public DateTimeOffset? ProtectedUntil => _record.ProtectedUntilTicks == 0 ? null : new DateTimeOffset(_record.ProtectedUntilTicks, TimeSpan.Zero);
    }
}

/// <summary>The last load of the index failed: no check is answered and no change applied until one succeeds.</summary>
public sealed class ClaimsIndexUnavailableException(Exception failedLoad)
    : InvalidOperationException("The claims index failed to load; duplicate checks and submissions cannot be judged.", failedLoad);
