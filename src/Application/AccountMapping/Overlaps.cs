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
/// Token sets of lists and overlap results of partnerships, kept while the lists they came from are unchanged.
/// Sharing settings are applied when results are read, so a settings change shows at once.
/// </summary>
public sealed class OverlapCache
{
    /// <summary>Bounds memory: past this many entries a cache starts afresh (a miss only costs a recomputation).</summary>
    internal const int MaximumEntries = 64;

    internal ConcurrentDictionary<Guid, (long Version, TokenRow[] Rows)> Tokens { get; } = new();

    internal ConcurrentDictionary<Guid, (string Key, OverlapMatrix Vendor, OverlapMatrix Partner)> Overlaps { get; } = new();
}

/// <summary>Computes (or reuses) the overlaps of a partnership's two sides from their tokens.</summary>
public sealed class OverlapCalculator(IRepository<AccountList> lists, IAccountRowStore rows, OverlapCache cache)
{
    public async Task<OverlapMatrix> ForAsync(Partnership partnership, PartnershipSide viewer, CancellationToken cancellationToken)
    {
        var vendorLists = await lists.ListAsync(new AccountListsSpec(AccountList.VendorOwner), cancellationToken);
        var partnerLists = await lists.ListAsync(new AccountListsSpec(AccountList.OwnerOf(partnership.PartnerId)), cancellationToken);
        var key = Key(vendorLists) + "|" + Key(partnerLists);
        if (!cache.Overlaps.TryGetValue(partnership.Id, out var hit) || hit.Key != key)
        {
            var (vendor, partner) = OverlapEngine.Compute(await TokensAsync(vendorLists, cancellationToken), await TokensAsync(partnerLists, cancellationToken));
            hit = (key, vendor, partner);
            if (cache.Overlaps.Count >= OverlapCache.MaximumEntries)
            {
                cache.Overlaps.Clear();
            }

            cache.Overlaps[partnership.Id] = hit;
        }

        return viewer == PartnershipSide.Vendor ? hit.Vendor : hit.Partner;
    }

    private async Task<TokenRow[]> TokensAsync(List<AccountList> sideLists, CancellationToken cancellationToken)
    {
        var parts = new List<TokenRow[]>(sideLists.Count);
        foreach (var list in sideLists)
        {
            if (!cache.Tokens.TryGetValue(list.Id, out var hit) || hit.Version != list.Version)
            {
                hit = (list.Version, await rows.TokensAsync(list.Id, list.Population, cancellationToken));
                if (cache.Tokens.Count >= OverlapCache.MaximumEntries * 3)
                {
                    cache.Tokens.Clear();
                }

                cache.Tokens[list.Id] = hit;
            }

            parts.Add(hit.Rows);
        }

        return parts.Count == 1 ? parts[0] : [.. parts.SelectMany(p => p)];
    }

    private static string Key(List<AccountList> sideLists) => string.Join(';', sideLists.Select(l => $"{l.Id:N}:{l.Version}"));
}

/// <summary>
/// The overlap matrix as the caller's side may see it: each cell at the lower of the two sides' levels for
/// its populations, nothing at all while the partnership is not active, small counts as "fewer than N".
/// </summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record GetOverlapMatrix(Guid PartnershipId) : IQuery<OverlapMatrixDto>, IPartnershipResultsRequest;

public sealed class GetOverlapMatrixHandler(IRepository<Partnership> partnerships, OverlapCalculator calculator, AccountMappingOptions options, ICurrentUser user)
    : IRequestHandler<GetOverlapMatrix, OverlapMatrixDto>
{
    public async Task<OverlapMatrixDto> Handle(GetOverlapMatrix request, CancellationToken cancellationToken)
    {
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
/// Reads the accounts behind one cell for the caller. A cell that does not exist and a cell the caller may
/// not see answer the same 404, before anything is computed.
/// </summary>
public sealed class OverlapCellReader(IRepository<Partnership> partnerships, OverlapCalculator calculator, IAccountRowStore rows, ICurrentUser user)
{
    private const int Batch = 500;

    public async Task<(OverlapMatrix Matrix, AccountPopulation Ours, AccountPopulation Theirs)> OpenAsync(IOverlapCellRequest request, SharingLevel needed, CancellationToken cancellationToken)
    {
        var partnership = await partnerships.GetByIdAsync(request.PartnershipId, cancellationToken) ?? throw new NotFoundException("partnership", request.PartnershipId);
        var side = MappingSides.SideOf(user);
        if (!TryPopulation(request.Ours, out var ours) || !TryPopulation(request.Theirs, out var theirs) || partnership.Visibility(side, ours, theirs) < needed)
        {
            throw new NotFoundException("overlap cell", $"{request.Ours}/{request.Theirs}");
        }

        return (await calculator.ForAsync(partnership, side, cancellationToken), ours, theirs);
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

    public async IAsyncEnumerable<OverlapAccountDto> AllOverlapsAsync(OverlapMatrix matrix, AccountPopulation ours, AccountPopulation theirs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pairs = matrix.Pairs(ours, theirs);
        for (var i = 0; i < pairs.Count; i += Batch)
        {
            foreach (var item in await OverlapsAsync(pairs.Skip(i).Take(Batch).ToList(), ours, theirs, cancellationToken))
            {
                yield return item;
            }
        }
    }

    public async IAsyncEnumerable<WhiteSpaceAccountDto> AllWhiteSpaceAsync(OverlapMatrix matrix, AccountPopulation ours, AccountPopulation theirs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in matrix.WhiteSpace(ours, theirs).Chunk(Batch))
        {
            foreach (var item in await WhiteSpaceAsync(chunk, theirs, cancellationToken))
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
        var (matrix, ours, theirs) = await reader.OpenAsync(request, SharingLevel.Overlaps, cancellationToken);
        var pairs = matrix.Pairs(ours, theirs);
        var items = await reader.OverlapsAsync(pairs.Skip(page.Skip).Take(page.PageSize).ToList(), ours, theirs, cancellationToken);
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
        var (matrix, ours, theirs) = await reader.OpenAsync(request, SharingLevel.Overlaps, cancellationToken);
        return reader.AllOverlapsAsync(matrix, ours, theirs, cancellationToken);
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
        var (matrix, ours, theirs) = await reader.OpenAsync(request, SharingLevel.All, cancellationToken);
        var ids = matrix.WhiteSpace(ours, theirs).Skip(page.Skip).Take(page.PageSize).ToList();
        var items = await reader.WhiteSpaceAsync(ids, theirs, cancellationToken);
        return new Paged<WhiteSpaceAccountDto>(items, page.Page, page.PageSize, matrix.WhiteSpaceCount(ours, theirs));
    }
}

[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record ExportWhiteSpace(Guid PartnershipId, string? Ours, string? Theirs) : IQuery<IAsyncEnumerable<WhiteSpaceAccountDto>>, IOverlapCellRequest;

public sealed class ExportWhiteSpaceHandler(OverlapCellReader reader) : IRequestHandler<ExportWhiteSpace, IAsyncEnumerable<WhiteSpaceAccountDto>>
{
    public async Task<IAsyncEnumerable<WhiteSpaceAccountDto>> Handle(ExportWhiteSpace request, CancellationToken cancellationToken)
    {
        var (matrix, ours, theirs) = await reader.OpenAsync(request, SharingLevel.All, cancellationToken);
        return reader.AllWhiteSpaceAsync(matrix, ours, theirs, cancellationToken);
    }
}
