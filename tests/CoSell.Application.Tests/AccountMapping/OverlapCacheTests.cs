using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;

namespace CoSell.Application.Tests.AccountMapping;

[CollectionDefinition(nameof(OverlapCacheTests), DisableParallelization = true)]
public sealed class MeasuresTheWholeHeap;

/// <summary>
/// Overlap results are kept per partnership, and every partnership matches against the vendor's lists: the vendor's
/// tokens are held once, not once a partnership. Measured on the managed heap, alone (no other test runs meanwhile).
/// </summary>
[Collection(nameof(OverlapCacheTests))]
public sealed class OverlapCacheTests
{
    private const int VendorRowsPerList = 150_000;

    private readonly List<AccountList> _lists =
    [
        AccountList.Open(Guid.NewGuid(), AccountList.VendorOwner, AccountPopulation.Customers),
        AccountList.Open(Guid.NewGuid(), AccountList.VendorOwner, AccountPopulation.Prospects),
    ];

    private readonly HashSet<Guid> _large = [];

    private readonly Dictionary<Guid, int> _reads = [];

    private OverlapCache _cache = new();

    private OverlapCalculator Calculator() => new(new Lists(_lists), new Rows(_lists, _large, _reads), _cache);

    private Partnership PartnershipOfANewPartner(bool large = false)
    {
        var partner = Guid.NewGuid();
        var list = AccountList.Open(Guid.NewGuid(), AccountList.OwnerOf(partner), AccountPopulation.Customers);
        _lists.Add(list);
        if (large)
        {
            _large.Add(list.Id);
        }

        return Partnership.Propose(Guid.NewGuid(), partner, PartnershipSide.Vendor, "test", DateTimeOffset.UnixEpoch);
    }

    private int ReadsOf(Partnership partnership) => _lists.Where(l => l.Owner == AccountList.OwnerOf(partnership.PartnerId)).Sum(l => _reads.GetValueOrDefault(l.Id));

    private int VendorReads => _lists.Where(l => l.Owner == AccountList.VendorOwner).Sum(l => _reads.GetValueOrDefault(l.Id));

    [Fact]
    public async Task APartnerWhoseListsDoNotFitBesideTheVendors_CostsOtherPartnershipsNothing_AndTheVendorsTokensStayHeld()
    {
        // Room for the vendor's tokens and a little more: a partner of 200,000 accounts does not fit, one of 30 does.
        _cache = new OverlapCache { MaximumRows = (2 * VendorRowsPerList) + 100 };
        var calculator = Calculator();
        var small = PartnershipOfANewPartner();
        var large = PartnershipOfANewPartner(large: true);

        for (var round = 0; round < 3; round++)
        {
            (await calculator.ForAsync(small, PartnershipSide.Partner, CancellationToken.None)).Count(AccountPopulation.Customers, AccountPopulation.Customers).Should().Be(30);
            (await calculator.ForAsync(large, PartnershipSide.Partner, CancellationToken.None)).Count(AccountPopulation.Customers, AccountPopulation.Customers).Should().Be(VendorRowsPerList);
        }

        VendorReads.Should().Be(2, "each of the vendor's lists is read once, and its tokens held throughout");
        ReadsOf(small).Should().Be(1, "the small partner's result is kept, whatever the large one reads");
        ReadsOf(large).Should().Be(3, "the large partner's tokens are not kept: each reading of its result reads them again");
        _cache.Overlaps.Keys.Should().Equal([small.Id]);
    }

    [Fact]
    public async Task PastTheRoomForPartners_TheOneReadLeastRecentlyGoes_WithItsResultOnly()
    {
        _cache = new OverlapCache { MaximumRows = (2 * VendorRowsPerList) + 70 };
        var calculator = Calculator();
        var (first, second, third) = (PartnershipOfANewPartner(), PartnershipOfANewPartner(), PartnershipOfANewPartner());

        await calculator.ForAsync(first, PartnershipSide.Partner, CancellationToken.None);
        await calculator.ForAsync(second, PartnershipSide.Partner, CancellationToken.None);
        await calculator.ForAsync(first, PartnershipSide.Partner, CancellationToken.None);
        await calculator.ForAsync(third, PartnershipSide.Partner, CancellationToken.None);

        _cache.Overlaps.Keys.Should().BeEquivalentTo([first.Id, third.Id], "room for two partners of 30: the second, read least recently, went");
        _cache.Sides.Keys.Should().BeEquivalentTo([AccountList.VendorOwner, AccountList.OwnerOf(first.PartnerId), AccountList.OwnerOf(third.PartnerId)]);
        VendorReads.Should().Be(2);
    }

    [Fact]
    public async Task ReadingMorePartnerships_KeepsNoFurtherCopyOfTheVendorsTokens()
    {
        var calculator = Calculator();
        var partnerships = Enumerable.Range(0, 10).Select(_ => PartnershipOfANewPartner()).ToList();
        var matrices = new List<OverlapMatrix>();
        foreach (var partnership in partnerships.Take(2))
        {
            matrices.Add(await calculator.ForAsync(partnership, PartnershipSide.Partner, CancellationToken.None));
        }

        var afterTwo = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var partnership in partnerships.Skip(2))
        {
            matrices.Add(await calculator.ForAsync(partnership, PartnershipSide.Partner, CancellationToken.None));
        }

        var afterTen = GC.GetTotalMemory(forceFullCollection: true);
        var oneCopy = 2L * VendorRowsPerList * System.Runtime.CompilerServices.Unsafe.SizeOf<TokenRow>();
        (afterTen - afterTwo).Should().BeLessThan(oneCopy / 2, "eight more partnerships add their own small lists and match flags, not the vendor's tokens again");
        matrices.Should().OnlyContain(m => m.Count(AccountPopulation.Customers, AccountPopulation.Customers) == 30);
        GC.KeepAlive(matrices);
    }

    [Fact]
    public async Task AChangeOfTheVendorsLists_LetsEveryPartnershipsResultsOfTheOldListsGo()
    {
        var calculator = Calculator();
        var partnerships = Enumerable.Range(0, 3).Select(_ => PartnershipOfANewPartner()).ToList();
        foreach (var partnership in partnerships)
        {
            await calculator.ForAsync(partnership, PartnershipSide.Vendor, CancellationToken.None);
        }

        _cache.Overlaps.Should().HaveCount(3);
        _lists[0] = AccountList.Open(Guid.NewGuid(), AccountList.VendorOwner, AccountPopulation.Customers);

        var matrix = await calculator.ForAsync(partnerships[0], PartnershipSide.Vendor, CancellationToken.None);

        matrix.Count(AccountPopulation.Customers, AccountPopulation.Customers).Should().Be(30);
        _cache.Overlaps.Keys.Should().Equal([partnerships[0].Id], "the others' results rest on lists the vendor no longer has");
        _cache.Sides[AccountList.VendorOwner].Rows.Should().HaveCount(2 * VendorRowsPerList);
    }

    private sealed class Lists(List<AccountList> all) : IRepository<AccountList>
    {
        public Task<List<AccountList>> ListAsync(ISpecification<AccountList> specification, CancellationToken cancellationToken) =>
            Task.FromResult(specification.Evaluate(all).ToList());

        public Task<AccountList?> GetByIdAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<AccountList?> FirstOrDefaultAsync(ISpecification<AccountList> specification, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<TResult?> FirstOrDefaultAsync<TResult>(ISpecification<AccountList, TResult> specification, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<List<TResult>> ListAsync<TResult>(ISpecification<AccountList, TResult> specification, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> CountAsync(ISpecification<AccountList> specification, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> AnyAsync(ISpecification<AccountList> specification, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Add(AccountList aggregate) => throw new NotSupportedException();

        public void RequireUnchanged(AccountList aggregate, bool moveVersionOn = false) => throw new NotSupportedException();

        public void RequireNoneAdded(ISpecification<AccountList> specification, IReadOnlyCollection<AccountList> read) => throw new NotSupportedException();
    }

    /// <summary>The vendor's lists hold many accounts; each partner's 30 of the vendor's customers, a large partner's 200,000.</summary>
    private sealed class Rows(List<AccountList> lists, HashSet<Guid> large, Dictionary<Guid, int> reads) : IAccountRowStore
    {
        private long _next = 1_000_000;

        public Task<TokenRow[]> TokensAsync(Guid listId, AccountPopulation population, CancellationToken cancellationToken)
        {
            reads[listId] = reads.GetValueOrDefault(listId) + 1;
            var vendor = lists.Single(l => l.Id == listId).Owner == AccountList.VendorOwner;
            var rows = new TokenRow[vendor ? VendorRowsPerList : large.Contains(listId) ? 200_000 : 30];
            for (var i = 0; i < rows.Length; i++)
            {
                // Account i of any list has token i: a partner's 30 are the first of each vendor list's.
                var token = (UInt128)(i + 1) * 7919;
                rows[i] = new TokenRow(_next++, population, new AccountTokens(token, UInt128.Zero, UInt128.Zero));
            }

            return Task.FromResult(rows);
        }

        public void StageReplace(Guid listId, IReadOnlyList<AccountRow> rows) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredAccount>> PageAsync(Guid listId, int skip, int take, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredAccount>> AfterAsync(Guid listId, long afterId, int take, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<long, StoredAccount>> FindAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
