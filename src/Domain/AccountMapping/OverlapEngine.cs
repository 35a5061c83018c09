using System.Numerics;

namespace CoSell.Domain.AccountMapping;

/// <summary>An account as matching sees it: where it is stored, its population and its tokens; nothing readable.</summary>
public readonly record struct TokenRow(long RowId, AccountPopulation Population, AccountTokens Tokens);

/// <summary>Two accounts, one of each side, that share a token.</summary>
public readonly record struct OverlapPair(long OurRowId, long TheirRowId);

/// <summary>
/// The overlaps of two sides' lists as one side sees them: for each cell (our population × theirs) the
/// matched pairs, and the other side's accounts in their population that match none of ours (white space).
/// It holds every cell; what a viewer may see of it is decided by the sharing rules, not here.
/// </summary>
public sealed class OverlapMatrix
{
    private const int Populations = 3;

    private readonly OverlapPair[][] _pairs;
    private readonly int[] _whiteSpaceCounts;
    private readonly TokenRow[] _theirRows;
    private readonly byte[] _theirMatchedBy;

    // The account counts of every cell, worked out on first use; the same on any thread that works them out.
    private int[]? _accountCounts;

    internal OverlapMatrix(OverlapPair[][] pairs, TokenRow[] theirRows, byte[] theirMatchedBy)
    {
        _pairs = pairs;
        _theirRows = theirRows;
        _theirMatchedBy = theirMatchedBy;
        _whiteSpaceCounts = new int[Populations * Populations];
        for (var i = 0; i < theirRows.Length; i++)
        {
            var theirs = (int)theirRows[i].Population;
            for (var ours = 0; ours < Populations; ours++)
            {
                if ((theirMatchedBy[i] & (1 << ours)) == 0)
                {
                    _whiteSpaceCounts[(ours * Populations) + theirs]++;
                }
            }
        }
    }

    /// <summary>
    /// How many different accounts the cell's matches hold: the fewer of ours and theirs among its pairs. An account of
    /// one side that matches several of the other's (one company split over rows by its identifiers, or listed twice)
    /// counts once, so a count never says more of the other side's list than how many of its accounts matched.
    /// </summary>
    public int Count(AccountPopulation ours, AccountPopulation theirs)
    {
        var cell = Cell(ours, theirs);
        var counts = _accountCounts;
        if (counts is null)
        {
            counts = new int[_pairs.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = AccountsMatched(_pairs[i]);
            }

            _accountCounts = counts;
        }

        return counts[cell];
    }

    private static int AccountsMatched(OverlapPair[] pairs)
    {
        // Pairs are ordered by their row: theirs are counted as they change, ours in a set.
        var theirs = 0;
        var ours = new HashSet<long>();
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i == 0 || pairs[i].TheirRowId != pairs[i - 1].TheirRowId)
            {
                theirs++;
            }

            ours.Add(pairs[i].OurRowId);
        }

        return Math.Min(ours.Count, theirs);
    }

    /// <summary>The matched pairs of the cell, ordered by their row, then ours.</summary>
    public IReadOnlyList<OverlapPair> Pairs(AccountPopulation ours, AccountPopulation theirs) => _pairs[Cell(ours, theirs)];

    /// <summary>How many of their accounts in <paramref name="theirs"/> match none of ours in <paramref name="ours"/>.</summary>
    public int WhiteSpaceCount(AccountPopulation ours, AccountPopulation theirs) => _whiteSpaceCounts[Cell(ours, theirs)];

    /// <summary>Their accounts in <paramref name="theirs"/> that match none of ours in <paramref name="ours"/>, in row order.</summary>
    public IEnumerable<long> WhiteSpace(AccountPopulation ours, AccountPopulation theirs)
    {
        var bit = 1 << (int)ours;
        for (var i = 0; i < _theirRows.Length; i++)
        {
            if (_theirRows[i].Population == theirs && (_theirMatchedBy[i] & bit) == 0)
            {
                yield return _theirRows[i].RowId;
            }
        }
    }

    private static int Cell(AccountPopulation ours, AccountPopulation theirs) => ((int)ours * Populations) + (int)theirs;
}

/// <summary>
/// Finds the accounts two sides have in common from their tokens alone: two accounts match when they share
/// a domain, DUNS or name-and-country token. A hash index over the smaller side is probed with the larger.
/// </summary>
public static class OverlapEngine
{
    private const int Populations = 3;

    /// <summary>Computes both sides' views at once; rows whose tokens are all absent match nothing.</summary>
    public static (OverlapMatrix Left, OverlapMatrix Right) Compute(TokenRow[] left, TokenRow[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var leftIsBuild = left.Length <= right.Length;
        var build = leftIsBuild ? left : right;
        var probe = leftIsBuild ? right : left;
        var index = new TokenIndex(build);

        var cells = new List<OverlapPair>[Populations * Populations];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = [];
        }

        var leftMatchedBy = new byte[left.Length];
        var rightMatchedBy = new byte[right.Length];
        Span<int> found = stackalloc int[64];
        List<int>? overflow = null;
        for (var p = 0; p < probe.Length; p++)
        {
            var tokens = probe[p].Tokens;
            var count = 0;
            overflow?.Clear();
            index.Find(tokens.Domain, found, ref count, ref overflow);
            index.Find(tokens.Duns, found, ref count, ref overflow);
            index.Find(tokens.NameCountry, found, ref count, ref overflow);
            if (count == 0)
            {
                continue;
            }

            for (var k = 0; k < count; k++)
            {
                var b = k < found.Length ? found[k] : overflow![k - found.Length];
                if (Seen(found, overflow, k, b))
                {
                    continue;
                }

                var (l, r) = leftIsBuild ? (b, p) : (p, b);
                var lp = (int)left[l].Population;
                var rp = (int)right[r].Population;
                cells[(lp * Populations) + rp].Add(new OverlapPair(left[l].RowId, right[r].RowId));
                leftMatchedBy[l] |= (byte)(1 << rp);
                rightMatchedBy[r] |= (byte)(1 << lp);
            }
        }

        var leftPairs = new OverlapPair[cells.Length][];
        var rightPairs = new OverlapPair[cells.Length][];
        for (var lp = 0; lp < Populations; lp++)
        {
            for (var rp = 0; rp < Populations; rp++)
            {
                var pairs = cells[(lp * Populations) + rp];
                var asLeft = pairs.ToArray();
                Array.Sort(asLeft, static (a, b) => a.TheirRowId != b.TheirRowId ? a.TheirRowId.CompareTo(b.TheirRowId) : a.OurRowId.CompareTo(b.OurRowId));
                var asRight = new OverlapPair[asLeft.Length];
                for (var i = 0; i < asLeft.Length; i++)
                {
                    asRight[i] = new OverlapPair(asLeft[i].TheirRowId, asLeft[i].OurRowId);
                }

                Array.Sort(asRight, static (a, b) => a.TheirRowId != b.TheirRowId ? a.TheirRowId.CompareTo(b.TheirRowId) : a.OurRowId.CompareTo(b.OurRowId));
                leftPairs[(lp * Populations) + rp] = asLeft;
                rightPairs[(rp * Populations) + lp] = asRight;
            }
        }

        return (new OverlapMatrix(leftPairs, right, rightMatchedBy), new OverlapMatrix(rightPairs, left, leftMatchedBy));
    }

    /// <summary>Whether the k-th found row already appeared before it (a row can match on two tokens).</summary>
    private static bool Seen(Span<int> found, List<int>? overflow, int k, int row)
    {
        for (var j = 0; j < k; j++)
        {
            if ((j < found.Length ? found[j] : overflow![j - found.Length]) == row)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Open hashing over the build side's tokens: bucket heads and chained entries in flat arrays.</summary>
    private sealed class TokenIndex
    {
        private readonly int[] _buckets;
        private readonly UInt128[] _keys;
        private readonly int[] _rows;
        private readonly int[] _next;
        private readonly int _mask;

        public TokenIndex(TokenRow[] rows)
        {
            var capacity = rows.Length * 3;
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
            _mask = size - 1;
            _buckets = new int[size];
            Array.Fill(_buckets, -1);
            _keys = new UInt128[capacity];
            _rows = new int[capacity];
            _next = new int[capacity];
            var count = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                Add(rows[i].Tokens.Domain, i, ref count);
                Add(rows[i].Tokens.Duns, i, ref count);
                Add(rows[i].Tokens.NameCountry, i, ref count);
            }
        }

        public void Find(UInt128 token, Span<int> found, ref int count, ref List<int>? overflow)
        {
            if (token == UInt128.Zero)
            {
                return;
            }

            for (var e = _buckets[Hash(token)]; e >= 0; e = _next[e])
            {
                if (_keys[e] == token)
                {
                    if (count < found.Length)
                    {
                        found[count] = _rows[e];
                    }
                    else
                    {
                        (overflow ??= []).Add(_rows[e]);
                    }

                    count++;
                }
            }
        }

        private void Add(UInt128 token, int row, ref int count)
        {
            if (token == UInt128.Zero)
            {
                return;
            }

            var h = Hash(token);
            _keys[count] = token;
            _rows[count] = row;
            _next[count] = _buckets[h];
            _buckets[h] = count;
            count++;
        }

        // Tokens are keyed hashes, uniformly spread: their low bits are a good hash as they are.
        private int Hash(UInt128 token) => (int)((ulong)token & (uint)_mask);
    }
}
