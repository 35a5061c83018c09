using System.Runtime.CompilerServices;
using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.AccountMapping;

public enum AccountListFormat
{
    Csv,
    Json,
}

public sealed record AccountListDto(AccountPopulation Population, int Rows, int PrivateRows, int RejectedRows, DateTimeOffset UploadedAt, long Version);

/// <summary>What became of an upload: the rows taken, and the bad rows left out with their line and reason.</summary>
public sealed record AccountListUploadDto(
    AccountPopulation Population, int TotalRows, int Accepted, int PrivateRows, int Rejected, IReadOnlyList<RowProblem> Problems, DateTimeOffset UploadedAt, long Version, int Repeated = 0) : IVersionedDto;

public sealed record AccountRowDto(int Line, string Name, string? Domain, string Country, string? Duns, bool Private)
{
    public static AccountRowDto From(StoredAccount a) => new(a.Line, a.Name, a.Domain, a.Country, a.Duns, a.Private);
}

/// <summary>A request that names whose list it is about; a side only ever touches its own lists.</summary>
public interface IAccountListRequest
{
    /// <summary><c>vendor</c> or a partner id, when the caller names one; null means the caller's own side.</summary>
    string? Owner { get; }
}

/// <summary>An owner, when named, is <c>vendor</c> or a partner id; anything else is a 400 before whose it is is judged.</summary>
public static class AccountListOwnerRules
{
    public static void ValidOwner<T>(this AbstractValidator<T> validator)
        where T : IAccountListRequest =>
        validator.RuleFor(r => r.Owner)
            .Must(owner => owner is null || string.Equals(owner, AccountList.VendorOwner, StringComparison.OrdinalIgnoreCase) || Guid.TryParse(owner, out _))
            .WithMessage("owner is vendor or a partner id (a GUID).");
}

/// <summary>
/// Naming the other side's list is refused (403): a side uploads and reads only its own. A partner naming another
/// partner's (or an id no partner has) finds nothing (404), as with any other partner's resource.
/// </summary>
public sealed class AccountListAuthorizer<TRequest> : IResourceAuthorizer<TRequest>
    where TRequest : IAccountListRequest
{
    public Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        // An id is the same id however it is written (with or without dashes, in braces, in any case).
        var own = MappingSides.OwnerOf(user);
        if (request.Owner is { } named && !(Guid.TryParse(named, out var id) ? id.ToString("D") == own : string.Equals(named, own, StringComparison.OrdinalIgnoreCase)))
        {
            throw user.IsPartner() && !string.Equals(named, AccountList.VendorOwner, StringComparison.OrdinalIgnoreCase)
                ? new NotFoundException("account lists of owner", named)
                : new ForbiddenException("A side uploads and reads only its own account lists.");
        }

        return Task.CompletedTask;
    }
}

public sealed class AccountListsSpec : Specification<AccountList>
{
    /// <param name="asStored">Read as the store holds it now, not as this request first read it (no tracking).</param>
    public AccountListsSpec(string owner, AccountPopulation? population = null, bool asStored = false)
    {
        Query.Where(l => l.Owner == owner);
        if (asStored)
        {
            Query.AsNoTracking();
        }

        if (population is { } p)
        {
            Query.Where(l => l.Population == p);
        }

        Query.OrderBy(l => l.Population);
    }
}

/// <summary>
/// Replaces one of the caller's side's lists with an upload (CSV or JSON). Bad rows are left out and reported;
/// the upload is refused whole — the previous list untouched — when it is tiny or too many rows are bad.
/// </summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Partner)]
/// <summary>
/// Replaces the side's list of a population; with <see cref="ExpectedVersion"/>, only while the list is at a version it
/// names (412 otherwise). <see cref="IfMatchSent"/>: an If-Match came, <c>*</c> included, which no list yet matches (412).
/// <see cref="NotVersion"/>: an If-None-Match, which a list at a version it names refuses (412); <c>*</c>, any list.
/// </summary>
public sealed record UploadAccountList(
    AccountPopulation? Population, AccountListFormat Format, Stream Body, string? Owner = null, IfMatch? ExpectedVersion = null, bool IfMatchSent = false, IfNoneMatch? NotVersion = null)
    : ICommand<AccountListUploadDto>, IAccountListRequest, IVersionedCommand
{
    /// <summary>The list is named by its side and population, and is the one aggregate an upload changes.</summary>
    public Guid? VersionedId => null;
}

public sealed class UploadAccountListValidator : AbstractValidator<UploadAccountList>
{
    public UploadAccountListValidator()
    {
        RuleFor(u => u.Population).NotNull().IsInEnum();
        RuleFor(u => u.Format).IsInEnum();
        this.ValidOwner();
    }
}

public sealed class UploadAccountListHandler(
    IRepository<AccountList> lists,
    IAccountRowStore rows,
    CustomerNormaliser normaliser,
    IAccountKeyer keyer,
    AccountMappingOptions options,
    ICurrentUser user,
    TimeProvider time,
    IRepository<Partner> partners) : IRequestHandler<UploadAccountList, AccountListUploadDto>
{
    public async Task<AccountListUploadDto> Handle(UploadAccountList request, CancellationToken cancellationToken)
    {
        if (user.IsPartner())
        {
            // A token may name an organisation this service does not know (403): it stores no list; nor does a suspended
            // partner (409), nor one suspended while its upload was being read.
            await partners.OwnActivePartnerForChangeAsync(user, cancellationToken);
        }

        // The precondition is judged before the body is read: a stale upload is refused without parsing it. The commit
        // checks the list's version again, so an upload that replaced it meanwhile still wins.
        var owner = MappingSides.OwnerOf(user);
        var population = request.Population!.Value;
        var list = await lists.FirstOrDefaultAsync(new AccountListsSpec(owner, population), cancellationToken);
        if (list is null && request.IfMatchSent)
        {
            throw PreconditionFailedException.NoResourceYet();
        }

        if (list is not null)
        {
            Concurrency.Check(list.Version, request.ExpectedVersion, required: false);
        }

        // A first upload sent with If-None-Match: * makes the list only if no other upload made it meanwhile; the commit of
        // two at once makes one, and the other, decided again, finds it here.
        if (request.NotVersion is { } notVersion && notVersion.Refuses(list?.Version))
        {
            throw PreconditionFailedException.AlreadyThere(list!.Version, notVersion);
        }

        var importer = new AccountRowImporter(normaliser, keyer, options.MaximumRows);
        if (request.Format == AccountListFormat.Csv)
        {
            await AccountCsvReader.ReadAsync(request.Body, importer.Add, importer.AddUnreadable, cancellationToken);
        }
        else
        {
            await AccountJsonReader.ReadAsync(request.Body, importer.Add, importer.AddUnreadable, cancellationToken);
        }

        if (list is null)
        {
            list = AccountList.Open(Guid.CreateVersion7(), owner, population);
            lists.Add(list);
        }

        var summary = importer.Summary;
        list.Replace(summary, options.Policy, user.UserId, time.GetUtcNow());
        rows.StageReplace(list.Id, importer.Rows);
        return new AccountListUploadDto(population, summary.TotalRows, summary.GoodRows, summary.PrivateRows, summary.BadRows, summary.Problems, list.UploadedAt, list.Version, summary.RepeatedRows);
    }
}

/// <summary>
/// The caller's side's lists, by population: how many rows each holds and when it was uploaded. At most one per
/// population, but paged as every list is, so a client reads them as it reads any other. An owner, when named, is
/// judged as for one list: the other side's is a 403, an unreadable one a 400.
/// </summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record ListAccountLists(int? Page = null, int? PageSize = null, string? Owner = null) : IQuery<Paged<AccountListDto>>, IAccountListRequest;

public sealed class ListAccountListsValidator : AbstractValidator<ListAccountLists>
{
    public ListAccountListsValidator() => this.ValidOwner();
}

public sealed class ListAccountListsHandler(IRepository<AccountList> lists, ICurrentUser user) : IRequestHandler<ListAccountLists, Paged<AccountListDto>>
{
    public async Task<Paged<AccountListDto>> Handle(ListAccountLists request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var all = await lists.ListAsync(new AccountListsSpec(MappingSides.OwnerOf(user)), cancellationToken);
        var items = all.Skip(page.Skip).Take(page.PageSize)
            .Select(l => new AccountListDto(l.Population, l.RowCount, l.PrivateCount, l.RejectedCount, l.UploadedAt, l.Version)).ToList();
        return new Paged<AccountListDto>(items, page.Page, page.PageSize, all.Count);
    }
}

/// <summary>The raw rows of one of the caller's side's lists, in upload order; nobody else can ever read them.</summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record GetAccountListRows(AccountPopulation? Population, int? Page, int? PageSize, string? Owner = null) : IQuery<Paged<AccountRowDto>>, IAccountListRequest;

public sealed class GetAccountListRowsValidator : AbstractValidator<GetAccountListRows>
{
    public GetAccountListRowsValidator()
    {
        RuleFor(g => g.Population).NotNull().IsInEnum();
        this.ValidOwner();
    }
}

public sealed class GetAccountListRowsHandler(IRepository<AccountList> lists, IAccountRowStore rows, IReadSnapshot snapshot, ICurrentUser user) : IRequestHandler<GetAccountListRows, Paged<AccountRowDto>>
{
    public async Task<Paged<AccountRowDto>> Handle(GetAccountListRows request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        // The list's count and the page's rows from one snapshot: a replacement committing between them would mix two lists.
        await using var read = await snapshot.BeginAsync(cancellationToken);
        var list = await lists.FirstOrDefaultAsync(new AccountListsSpec(MappingSides.OwnerOf(user), request.Population!.Value), cancellationToken);
        if (list is null)
        {
            return new Paged<AccountRowDto>([], page.Page, page.PageSize, 0);
        }

        var items = await rows.PageAsync(list.Id, page.Skip, page.PageSize, cancellationToken);
        return new Paged<AccountRowDto>(items.Select(AccountRowDto.From).ToList(), page.Page, page.PageSize, list.RowCount);
    }
}

/// <summary>Every row of one of the caller's side's lists, streamed for a CSV export.</summary>
[Authorize(Roles.Admin, Roles.ChannelManager, Roles.Rep, Roles.Partner)]
public sealed record ExportAccountList(AccountPopulation? Population, string? Owner = null) : IQuery<IAsyncEnumerable<AccountRowDto>>, IAccountListRequest;

public sealed class ExportAccountListValidator : AbstractValidator<ExportAccountList>
{
    public ExportAccountListValidator()
    {
        RuleFor(g => g.Population).NotNull().IsInEnum();
        this.ValidOwner();
    }
}

/// <summary>
/// Streams a list a batch of rows at a time, each batch read in a snapshot of its own with the list's version: a slow
/// reader holds no snapshot (which would keep the store from folding its log back for as long as it reads), and a list
/// replaced meanwhile ends the export with <see cref="ExportOvertakenException"/>, never as a complete answer that mixes
/// two lists or misses rows.
/// </summary>
public sealed class ExportAccountListHandler(IRepository<AccountList> lists, IAccountRowStore rows, IReadSnapshot snapshot, ICurrentUser user) : IRequestHandler<ExportAccountList, IAsyncEnumerable<AccountRowDto>>
{
    private const int Batch = 500;

    public async Task<IAsyncEnumerable<AccountRowDto>> Handle(ExportAccountList request, CancellationToken cancellationToken)
    {
        var spec = new AccountListsSpec(MappingSides.OwnerOf(user), request.Population!.Value, asStored: true);
        var list = await lists.FirstOrDefaultAsync(spec, cancellationToken);
        return list is null ? AsyncEnumerable.Empty<AccountRowDto>() : Stream(spec, list.Id, list.Version, cancellationToken);
    }

    private async IAsyncEnumerable<AccountRowDto> Stream(AccountListsSpec spec, Guid listId, long version, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var after = 0L; ;)
        {
            IReadOnlyList<StoredAccount> batch;
            await using (await snapshot.BeginAsync(cancellationToken))
            {
                if (await lists.FirstOrDefaultAsync(spec, cancellationToken) is not { } stored || stored.Id != listId || stored.Version != version)
                {
                    throw new ExportOvertakenException();
                }

                batch = await rows.AfterAsync(listId, after, Batch, cancellationToken);
            }

            foreach (var row in batch)
            {
                yield return AccountRowDto.From(row);
            }

            if (batch.Count < Batch)
            {
                yield break;
            }

            after = batch[^1].Id;
        }
    }
}
