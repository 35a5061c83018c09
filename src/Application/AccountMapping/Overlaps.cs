using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Users;
using MediatR;

namespace CoSell.Application.AccountMapping;

/// <summary>A count as a side may see it: exact from the minimum up, else only "fewer than N".</summary>
public sealed record OverlapCountDto(int? Count, int? FewerThan, string Text)
{
    public static OverlapCountDto Of(int count, int minimum) =>
        count < minimum ? new OverlapCountDto(null, minimum, $"fewer than {minimum}") : new OverlapCountDto(count, null, count.ToString(CultureInfo.InvariantCulture));
}

/// <summary>One cell of the matrix: what the caller may see of its population × the other side's.</summary>
public sealed record OverlapCellDto(AccountPopulation Ours, AccountPopulation Theirs, SharingLevel Visibility, OverlapCountDto? Overlaps, OverlapCountDto? WhiteSpace);

public sealed record OverlapMatrixDto(Guid PartnershipId, PartnershipStatus Status, PartnershipSide YourSide, int MinimumCount, IReadOnlyList<OverlapCellDto> Cells);

/// <summary>An account both sides have: the other side's name for it and its population there, beside the caller's own.</summary>
/// <summary>An overlapping account: the other side's name and population, and the caller's own account it matches, with its country.</summary>
public sealed record OverlapAccountDto(string Name, AccountPopulation Population, string YourAccount, AccountPopulation YourPopulation, string YourCountry);

/// <summary>An account of the other side that the caller lacks in its population.</summary>
public sealed record WhiteSpaceAccountDto(string Name, string? Domain, string Country, AccountPopulation Population);

/// <summary>
/// Each side's tokens and each partnership's overlap results, kept while the lists they came from are unchanged.
/// A side's tokens are held once however many partnerships read them: the vendor's, which every partnership matches
/// against, are one array that every partnership's results share, and stay held (pinned); a partner's make room by
/// letting go of the partners' read least recently, each with its results, so that one partner's large lists cost
/// others nothing. Sharing settings are applied when results are read, so a settings change shows at once.
/// </summary>
public sealed class OverlapCache
{
    /// <summary>Bounds the results and partner sides held: past this many the least recently read goes (a miss only costs a recomputation).</summary>
    internal const int MaximumEntries = 64;

    /// <summary>
    /// Bounds the tokens held, some 64 bytes a row: the vendor's, and as many partners' as fit beside them (the vendor's
    /// three lists of a million rows and a partner's million fit). A partner whose tokens do not fit even alone beside
    /// the vendor's has its result computed and not kept.
    /// </summary>
    internal long MaximumRows { get; init; } = 4_000_000;

    /// <summary>Each side's tokens by owner (<see cref="AccountList.VendorOwner"/> or the partner id).</summary>
    internal ConcurrentDictionary<string, SideTokens> Sides { get; } = new();

    internal ConcurrentDictionary<Guid, PartnershipResult> Overlaps { get; } = new();

    /// <summary>A clock for "least recently read": a count, not a time.</summary>
    private long _reads;

    internal long Tick() => Interlocked.Increment(ref _reads);

    /// <summary>
    /// Every list of one side in one array, and where each list's rows are in it, so that a change of one list reads
    /// that list again and not the others.
    /// </summary>
    internal sealed record SideTokens(string Key, TokenRow[] Rows, IReadOnlyDictionary<Guid, (long Version, int Start, int Length)> Lists)
    {
        public long LastRead;
    }

    /// <summary>A partnership's overlaps, as the lists of both sides were (<see cref="Key"/>), and whose partner's tokens they hold.</summary>
    internal sealed record PartnershipResult(string Key, string PartnerOwner, OverlapMatrix Vendor, OverlapMatrix Partner)
    {
        public long LastRead;
    }

    /// <summary>Lets a partner's tokens go, and the results that hold them.</summary>
    internal void Forget(string partnerOwner)
    {
        Sides.TryRemove(partnerOwner, out _);
        foreach (var (id, result) in Overlaps)
        {
            if (result.PartnerOwner == partnerOwner)
            {
                Overlaps.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>Computes (or reuses) the overlaps of a partnership's two sides from their tokens.</summary>
public sealed class OverlapCalculator(IRepository<AccountList> lists, IAccountRowStore rows, OverlapCache cache)
{
    public async Task<OverlapMatrix> ForAsync(Partnership partnership, PartnershipSide viewer, CancellationToken cancellationToken)
    {
        var vendorLists = await lists.ListAsync(new AccountListsSpec(AccountList.VendorOwner), cancellationToken);
        var partnerOwner = AccountList.OwnerOf(partnership.PartnerId);
        var partnerLists = await lists.ListAsync(new AccountListsSpec(partnerOwner), cancellationToken);
        var vendorKey = Key(vendorLists) + "|";
        var key = vendorKey + Key(partnerLists);
        if (!cache.Overlaps.TryGetValue(partnership.Id, out var hit) || hit.Key != key)
        {
            var vendorTokens = await VendorTokensAsync(vendorLists, cancellationToken);
            var (partnerTokens, kept) = await PartnerTokensAsync(partnerOwner, partnerLists, vendorTokens.Length, cancellationToken);
            var (vendor, partner) = OverlapEngine.Compute(vendorTokens, partnerTokens);
            hit = new OverlapCache.PartnershipResult(key, partnerOwner, vendor, partner);

            // Results of the vendor's lists as they were before a change are read no more: dropping them lets those tokens go.
            foreach (var (id, held) in cache.Overlaps)
            {
                if (!held.Key.StartsWith(vendorKey, StringComparison.Ordinal))
                {
                    cache.Overlaps.TryRemove(id, out _);
                }
            }

            // Kept only while its partner's tokens are: another reader may have let them go meanwhile to make room, and a
            // result kept without them would hold them outside the cache's bound.
            if (kept && cache.Sides.TryGetValue(partnerOwner, out var stillHeld) && ReferenceEquals(stillHeld.Rows, partnerTokens))
            {
                if (cache.Overlaps.Count >= OverlapCache.MaximumEntries && LeastRecentlyRead(cache.Overlaps.Where(o => o.Key != partnership.Id)) is { } oldest)
                {
                    cache.Overlaps.TryRemove(oldest, out _);
                }

                cache.Overlaps[partnership.Id] = hit;
            }
            else
            {
                cache.Overlaps.TryRemove(partnership.Id, out _);
            }
        }

        hit.LastRead = cache.Tick();
        if (cache.Sides.TryGetValue(partnerOwner, out var partnerSide))
        {
            partnerSide.LastRead = hit.LastRead;
        }

        return viewer == PartnershipSide.Vendor ? hit.Vendor : hit.Partner;
    }

    /// <summary>The vendor's tokens, always kept: every partnership reads them.</summary>
    private async Task<TokenRow[]> VendorTokensAsync(List<AccountList> vendorLists, CancellationToken cancellationToken)
    {
        cache.Sides.TryGetValue(AccountList.VendorOwner, out var held);
        var side = await SideAsync(held, vendorLists, cancellationToken);
        cache.Sides[AccountList.VendorOwner] = side;
        return side.Rows;
    }

    /// <summary>
    /// A partner's tokens, kept if they fit beside the vendor's: room is made by letting go of the partners read least
    /// recently. Not kept when they do not fit even so, and then neither is the result that would hold them.
    /// </summary>
    private async Task<(TokenRow[] Rows, bool Kept)> PartnerTokensAsync(string owner, List<AccountList> partnerLists, int vendorRows, CancellationToken cancellationToken)
    {
        cache.Sides.TryGetValue(owner, out var held);
        var side = await SideAsync(held, partnerLists, cancellationToken);
        if (ReferenceEquals(side, held))
        {
            return (side.Rows, true);
        }

        var room = cache.MaximumRows - vendorRows;
        if (side.Rows.Length > room)
        {
            // Not even alone beside the vendor's: others keep their room.
            cache.Forget(owner);
            return (side.Rows, false);
        }

        while (true)
        {
            var others = cache.Sides.Where(s => s.Key != owner && s.Key != AccountList.VendorOwner).ToList();
            if (others.Sum(s => (long)s.Value.Rows.Length) + side.Rows.Length <= room && others.Count < OverlapCache.MaximumEntries)
            {
                cache.Sides[owner] = side;
                return (side.Rows, true);
            }

            if (LeastRecentlyRead(others) is not { } oldest)
            {
                cache.Forget(owner);
                return (side.Rows, false);
            }

            cache.Forget(oldest);
        }
    }

    private async Task<OverlapCache.SideTokens> SideAsync(OverlapCache.SideTokens? held, List<AccountList> sideLists, CancellationToken cancellationToken)
    {
        var key = Key(sideLists);
        if (held is not null && held.Key == key)
        {
            held.LastRead = cache.Tick();
            return held;
        }

        var parts = new List<TokenRow[]>(sideLists.Count);
        var places = new Dictionary<Guid, (long Version, int Start, int Length)>(sideLists.Count);
        var start = 0;
        foreach (var list in sideLists)
        {
            var part = held is not null && held.Lists.TryGetValue(list.Id, out var place) && place.Version == list.Version
                ? held.Rows[place.Start..(place.Start + place.Length)]
                : await rows.TokensAsync(list.Id, list.Population, cancellationToken);
            parts.Add(part);
            places[list.Id] = (list.Version, start, part.Length);
            start += part.Length;
        }

        return new OverlapCache.SideTokens(key, parts.Count == 1 ? parts[0] : [.. parts.SelectMany(p => p)], places) { LastRead = cache.Tick() };
    }

    private static string? LeastRecentlyRead(IEnumerable<KeyValuePair<string, OverlapCache.SideTokens>> sides) =>
        sides.OrderBy(s => s.Value.LastRead).Select(s => s.Key).FirstOrDefault();

    private static Guid? LeastRecentlyRead(IEnumerable<KeyValuePair<Guid, OverlapCache.PartnershipResult>> results) =>
        results.OrderBy(r => r.Value.LastRead).Select(r => (Guid?)r.Key).FirstOrDefault();

    private static string Key(List<AccountList> sideLists) => string.Join(';', sideLists.Select(l => $"{l.Id:N}:{l.Version}"));
}

/// <summary>
/// The overlap matrix as the caller's side may see it: each cell at the lower of the two sides' levels for
/// its populations, nothing at all while the partnership is not active, small counts as "fewer than N".
/// </summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record GetOverlapMatrix(Guid PartnershipId) : IQuery<OverlapMatrixDto>, IPartnershipResultsRequest;

public sealed class GetOverlapMatrixHandler(IRepository<Partnership> partnerships, OverlapCalculator calculator, AccountMappingOptions options, IReadSnapshot snapshot, ICurrentUser user)
    : IRequestHandler<GetOverlapMatrix, OverlapMatrixDto>
{
    public async Task<OverlapMatrixDto> Handle(GetOverlapMatrix request, CancellationToken cancellationToken)
    {
        // The lists' versions and the tokens read for them, from one moment: a replacement meanwhile is read whole or not at all.
        await using var held = await snapshot.BeginAsync(cancellationToken);
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        var side = MappingSides.SideOf(user);
        var populations = SharingSettings.Populations;
        var levels = populations.SelectMany(o => populations.Select(t => (Ours: o, Theirs: t, Level: partnership.Visibility(side, o, t)))).ToList();
        OverlapMatrix? matrix = null;
        if (levels.Exists(l => SharingRule.ShowsCount(l.Level)))
        {
            matrix = await calculator.ForAsync(partnership, side, cancellationToken);
        }

        var minimum = options.MinimumCount;
        var cells = levels.Select(l => new OverlapCellDto(
            l.Ours,
            l.Theirs,
            l.Level,
            SharingRule.ShowsCount(l.Level) ? OverlapCountDto.Of(matrix!.Count(l.Ours, l.Theirs), minimum) : null,
            SharingRule.ShowsWhiteSpace(l.Level) ? OverlapCountDto.Of(matrix!.WhiteSpaceCount(l.Ours, l.Theirs), minimum) : null)).ToList();
        return new OverlapMatrixDto(partnership.Id, partnership.Status, side, minimum, cells);
    }
}

/// <summary>A request for the accounts behind one cell; <see cref="Ours"/> and <see cref="Theirs"/> are population names as typed.</summary>
public interface IOverlapCellRequest : IPartnershipResultsRequest
{
    string? Ours { get; }

    string? Theirs { get; }
}

/// <summary>
/// An export of a cell whose rows a replaced list took away while it streamed: it ends as an error (the answer cut off),
/// never as a complete answer with rows missing. Read again, it is the replacement's.
/// </summary>
public sealed class ExportOvertakenException() : Exception("A list was replaced while the export streamed; read the export again.");

/// <summary>A cell the caller may see, with the overlaps it was opened on.</summary>
public sealed record OverlapCell(Partnership Partnership, PartnershipSide Side, AccountPopulation Ours, AccountPopulation Theirs, OverlapMatrix Matrix);

/// <summary>
/// Reads the accounts behind one cell for the caller. A cell that does not exist and a cell the caller may
/// not see answer the same 404, before anything is computed. The rows behind a page are read from the snapshot its
/// overlaps were computed in: a list replaced meanwhile takes away none of them.
/// </summary>
public sealed class OverlapCellReader(IRepository<Partnership> partnerships, OverlapCalculator calculator, IAccountRowStore rows, IReadSnapshot snapshot, ICurrentUser user)
{
    private const int Batch = 500;

    /// <summary>A page's reads see the store as it stood at the first of them, the cell's check included.</summary>
    public Task<IAsyncDisposable> SnapshotAsync(CancellationToken cancellationToken) => snapshot.BeginAsync(cancellationToken);

    public async Task<OverlapCell> OpenAsync(IOverlapCellRequest request, SharingLevel needed, CancellationToken cancellationToken)
    {
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        var side = MappingSides.SideOf(user);
        if (!TryPopulation(request.Ours, out var ours) || !TryPopulation(request.Theirs, out var theirs) || partnership.Visibility(side, ours, theirs) < needed)
        {
            throw new NotFoundException("overlap cell", $"{request.Ours}/{request.Theirs}");
        }

        return new OverlapCell(partnership, side, ours, theirs, await calculator.ForAsync(partnership, side, cancellationToken));
    }

    public async Task<IReadOnlyList<OverlapAccountDto>> OverlapsAsync(IReadOnlyList<OverlapPair> pairs, AccountPopulation ours, AccountPopulation theirs, CancellationToken cancellationToken)
    {
        var found = await rows.FindAsync(pairs.SelectMany(p => new[] { p.OurRowId, p.TheirRowId }).ToHashSet(), cancellationToken);
        return pairs.Where(p => found.ContainsKey(p.OurRowId) && found.ContainsKey(p.TheirRowId))
            .Select(p => new OverlapAccountDto(found[p.TheirRowId].Name, theirs, found[p.OurRowId].Name, ours, found[p.OurRowId].Country)).ToList();
    }

    public async Task<IReadOnlyList<WhiteSpaceAccountDto>> WhiteSpaceAsync(IReadOnlyList<long> ids, AccountPopulation theirs, CancellationToken cancellationToken)
    {
        var found = await rows.FindAsync(ids, cancellationToken);
        return ids.Where(found.ContainsKey).Select(id => found[id]).Select(a => new WhiteSpaceAccountDto(a.Name, a.Domain, a.Country, theirs)).ToList();
    }

    /// <summary>
    /// Every overlapping account of an opened cell, streamed after the answer has begun, a batch of rows read at a time
    /// (each its own statement: a slow reader holds no snapshot, which would keep the store from folding its log for as
    /// long as it reads). A list replaced meanwhile takes the rows of its earlier version away: the export then ends
    /// with <see cref="ExportOvertakenException"/> rather than complete short.
    /// </summary>
    public async IAsyncEnumerable<OverlapAccountDto> AllOverlapsAsync(OverlapCell cell, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pairs = cell.Matrix.Pairs(cell.Ours, cell.Theirs);
        for (var i = 0; i < pairs.Count; i += Batch)
        {
            var batch = pairs.Skip(i).Take(Batch).ToList();
            var found = await OverlapsAsync(batch, cell.Ours, cell.Theirs, cancellationToken);
            if (found.Count < batch.Count)
            {
                throw new ExportOvertakenException();
            }

            foreach (var item in found)
            {
                yield return item;
            }
        }
    }

    /// <summary>Every white-space account of an opened cell, streamed as <see cref="AllOverlapsAsync"/> is.</summary>
    public async IAsyncEnumerable<WhiteSpaceAccountDto> AllWhiteSpaceAsync(OverlapCell cell, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in cell.Matrix.WhiteSpace(cell.Ours, cell.Theirs).Chunk(Batch))
        {
            var found = await WhiteSpaceAsync(chunk, cell.Theirs, cancellationToken);
            if (found.Count < chunk.Length)
            {
                throw new ExportOvertakenException();
            }

            foreach (var item in found)
            {
                yield return item;
            }
        }
    }

    private static bool TryPopulation(string? text, out AccountPopulation population)
    {
        population = default;
        return text is { Length: > 0 and <= 40 } && text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out population) && Enum.IsDefined(population);
    }
}

/// <summary>The overlapping accounts of one cell, paged; only where both sides share at least Overlaps.</summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record GetOverlapAccounts(Guid PartnershipId, string? Ours, string? Theirs, int? Page, int? PageSize) : IQuery<Paged<OverlapAccountDto>>, IOverlapCellRequest;

public sealed class GetOverlapAccountsHandler(OverlapCellReader reader) : IRequestHandler<GetOverlapAccounts, Paged<OverlapAccountDto>>
{
    public async Task<Paged<OverlapAccountDto>> Handle(GetOverlapAccounts request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        await using var snapshot = await reader.SnapshotAsync(cancellationToken);
        var cell = await reader.OpenAsync(request, SharingLevel.Overlaps, cancellationToken);
        var pairs = cell.Matrix.Pairs(cell.Ours, cell.Theirs);
        var items = await reader.OverlapsAsync(pairs.Skip(page.Skip).Take(page.PageSize).ToList(), cell.Ours, cell.Theirs, cancellationToken);
        return new Paged<OverlapAccountDto>(items, page.Page, page.PageSize, pairs.Count);
    }
}

/// <summary>Every overlapping account of one cell, streamed for a CSV export.</summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record ExportOverlapAccounts(Guid PartnershipId, string? Ours, string? Theirs) : IQuery<IAsyncEnumerable<OverlapAccountDto>>, IOverlapCellRequest;

public sealed class ExportOverlapAccountsHandler(OverlapCellReader reader) : IRequestHandler<ExportOverlapAccounts, IAsyncEnumerable<OverlapAccountDto>>
{
    public async Task<IAsyncEnumerable<OverlapAccountDto>> Handle(ExportOverlapAccounts request, CancellationToken cancellationToken)
    {
        return reader.AllOverlapsAsync(await reader.OpenAsync(request, SharingLevel.Overlaps, cancellationToken), cancellationToken);
    }
}

/// <summary>The other side's accounts in their population that the caller lacks in its own, paged; only where both sides share All.</summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record GetWhiteSpace(Guid PartnershipId, string? Ours, string? Theirs, int? Page, int? PageSize) : IQuery<Paged<WhiteSpaceAccountDto>>, IOverlapCellRequest;

public sealed class GetWhiteSpaceHandler(OverlapCellReader reader) : IRequestHandler<GetWhiteSpace, Paged<WhiteSpaceAccountDto>>
{
    public async Task<Paged<WhiteSpaceAccountDto>> Handle(GetWhiteSpace request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        await using var snapshot = await reader.SnapshotAsync(cancellationToken);
        var cell = await reader.OpenAsync(request, SharingLevel.All, cancellationToken);
        var ids = cell.Matrix.WhiteSpace(cell.Ours, cell.Theirs).Skip(page.Skip).Take(page.PageSize).ToList();
        var items = await reader.WhiteSpaceAsync(ids, cell.Theirs, cancellationToken);
        return new Paged<WhiteSpaceAccountDto>(items, page.Page, page.PageSize, cell.Matrix.WhiteSpaceCount(cell.Ours, cell.Theirs));
    }
}

[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record ExportWhiteSpace(Guid PartnershipId, string? Ours, string? Theirs) : IQuery<IAsyncEnumerable<WhiteSpaceAccountDto>>, IOverlapCellRequest;

public sealed class ExportWhiteSpaceHandler(OverlapCellReader reader) : IRequestHandler<ExportWhiteSpace, IAsyncEnumerable<WhiteSpaceAccountDto>>
{
    public async Task<IAsyncEnumerable<WhiteSpaceAccountDto>> Handle(ExportWhiteSpace request, CancellationToken cancellationToken)
    {
        return reader.AllWhiteSpaceAsync(await reader.OpenAsync(request, SharingLevel.All, cancellationToken), cancellationToken);
    }
}
