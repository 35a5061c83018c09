using CoSell.Domain.AccountMapping;

namespace CoSell.Domain.Tests.AccountMapping;

public sealed class OverlapEngineTests
{
    private static UInt128 T(int n) => n == 0 ? UInt128.Zero : new UInt128(0x9E3779B97F4A7C15UL * (ulong)n, (ulong)n);

    [Fact]
    public void Compute_MatchesOnAnySharedToken_CountsEachPairOnce_AndListsWhiteSpace()
    {
        TokenRow[] vendor =
        [
            new(1, AccountPopulation.Customers, new AccountTokens(T(10), T(20), T(30))),
            new(2, AccountPopulation.Customers, new AccountTokens(T(11), UInt128.Zero, T(31))),
            new(3, AccountPopulation.Prospects, new AccountTokens(UInt128.Zero, T(22), T(32))),
        ];
        TokenRow[] partner =
        [
            new(101, AccountPopulation.Customers, new AccountTokens(T(10), T(20), T(99))), // same company as 1, on two tokens
            new(102, AccountPopulation.Prospects, new AccountTokens(T(98), UInt128.Zero, T(31))), // 2, by name and country
            new(103, AccountPopulation.Prospects, new AccountTokens(UInt128.Zero, T(22), UInt128.Zero)), // 3, by DUNS
            new(104, AccountPopulation.Prospects, new AccountTokens(T(97), UInt128.Zero, T(96))), // nobody's
        ];

        var (v, p) = OverlapEngine.Compute(vendor, partner);

        v.Pairs(AccountPopulation.Customers, AccountPopulation.Customers).Should().Equal(new OverlapPair(1, 101));
        v.Pairs(AccountPopulation.Customers, AccountPopulation.Prospects).Should().Equal(new OverlapPair(2, 102));
        v.Pairs(AccountPopulation.Prospects, AccountPopulation.Prospects).Should().Equal(new OverlapPair(3, 103));
        p.Pairs(AccountPopulation.Prospects, AccountPopulation.Customers).Should().Equal(new OverlapPair(102, 2));
        v.WhiteSpace(AccountPopulation.Customers, AccountPopulation.Prospects).Should().Equal(103L, 104L);
        v.WhiteSpaceCount(AccountPopulation.Customers, AccountPopulation.Prospects).Should().Be(2);
        p.WhiteSpace(AccountPopulation.Prospects, AccountPopulation.Customers).Should().Equal(1L);
        p.WhiteSpaceCount(AccountPopulation.Customers, AccountPopulation.OpenOpportunities).Should().Be(0);
    }

    [Fact]
    public void Count_IsOfDifferentAccounts_SoOneCompanySplitOverRowsCountsOnce()
    {
        // One vendor prospect; the partner splits its three identifiers over three rows, each matching it alone.
        TokenRow[] vendor = [new(1, AccountPopulation.Prospects, new AccountTokens(T(10), T(20), T(30)))];
        TokenRow[] partner =
        [
            new(101, AccountPopulation.Customers, new AccountTokens(UInt128.Zero, UInt128.Zero, T(30))),
            new(102, AccountPopulation.Customers, new AccountTokens(T(10), UInt128.Zero, T(91))),
            new(103, AccountPopulation.Customers, new AccountTokens(UInt128.Zero, T(20), T(92))),
        ];

        var (v, p) = OverlapEngine.Compute(vendor, partner);

        p.Pairs(AccountPopulation.Customers, AccountPopulation.Prospects).Should().HaveCount(3);
        p.Count(AccountPopulation.Customers, AccountPopulation.Prospects).Should().Be(1, "one of the vendor's accounts matched, however many rows it matched");
        v.Count(AccountPopulation.Prospects, AccountPopulation.Customers).Should().Be(1);
    }

    [Fact]
    public void Compute_AgreesWithABruteForceJoin_OnRandomLists()
    {
        var random = new Random(7);
        TokenRow[] Side(int count, int start) => Enumerable.Range(0, count).Select(i => new TokenRow(start + i, (AccountPopulation)random.Next(3),
            new AccountTokens(random.Next(4) == 0 ? UInt128.Zero : T(random.Next(1, 300)), random.Next(2) == 0 ? UInt128.Zero : T(1000 + random.Next(300)), T(2000 + random.Next(300))))).ToArray();
        var left = Side(400, 1);
        var right = Side(250, 10_000);

        var (l, r) = OverlapEngine.Compute(left, right);

        static bool Share(AccountTokens a, AccountTokens b) =>
            (a.Domain != UInt128.Zero && a.Domain == b.Domain) || (a.Duns != UInt128.Zero && a.Duns == b.Duns) || (a.NameCountry != UInt128.Zero && a.NameCountry == b.NameCountry);
        foreach (var ours in SharingSettings.Populations)
        {
            foreach (var theirs in SharingSettings.Populations)
            {
                var expected = (from a in left where a.Population == ours from b in right where b.Population == theirs && Share(a.Tokens, b.Tokens) select new OverlapPair(a.RowId, b.RowId)).ToList();
                l.Pairs(ours, theirs).Should().BeEquivalentTo(expected);
                r.Pairs(theirs, ours).Should().BeEquivalentTo(expected.Select(e => new OverlapPair(e.TheirRowId, e.OurRowId)));
                var whiteSpace = right.Where(b => b.Population == theirs && !left.Any(a => a.Population == ours && Share(a.Tokens, b.Tokens))).Select(b => b.RowId);
                l.WhiteSpace(ours, theirs).Should().Equal(whiteSpace);
                l.WhiteSpaceCount(ours, theirs).Should().Be(whiteSpace.Count());
                var accounts = Math.Min(expected.Select(e => e.OurRowId).Distinct().Count(), expected.Select(e => e.TheirRowId).Distinct().Count());
                l.Count(ours, theirs).Should().Be(accounts).And.Be(r.Count(theirs, ours), "both sides read one count");
            }
        }
    }
}
