using Ardalis.Specification;
using CoSell.Domain.SeedWork;
using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Application.Abstractions;

/// <summary>A page request; the size is clamped to <see cref="MaximumPageSize"/>.</summary>
public sealed record PageRequest
{
    public const int DefaultPageSize = 20;
    public const int MaximumPageSize = 100;

    public PageRequest(int? page, int? pageSize)
    {
        Page = Math.Max(1, page ?? 1);
        PageSize = Math.Clamp(pageSize ?? DefaultPageSize, 1, MaximumPageSize);
    }

    public int Page { get; }

    public int PageSize { get; }

    /// <summary>Rows before this page; computed wide so a huge page number skips everything rather than wrapping round to the first rows.</summary>
    public int Skip => (int)Math.Min((long)(Page - 1) * PageSize, int.MaxValue);
}

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>
/// Where a reader of a list ordered by an instant and then by id left off: that instant (when the item was created,
/// or is due) and the id of the last item it read. Read on from there (<c>?after=</c>), the list shows what comes
/// after that item as the list is now, so items created, decided or gone meanwhile neither repeat nor skip anything,
/// as page numbers would.
/// </summary>
public readonly record struct ListPlace(DateTimeOffset At, Guid Id)
{
    /// <summary>The page to read: the one asked for, or the first one after <paramref name="after"/>.</summary>
    public static PageRequest PageFrom(int? page, int? pageSize, ListPlace? after) => after is null ? new(page, pageSize) : new(1, pageSize);

    /// <summary>An <c>after</c> that names nothing the caller's list could have shown (400, with no word on whether it exists).</summary>
    public static ValidationException Unknown(string item) =>
        new([new ValidationFailure("after", $"Name a {item} this list showed you.")]);
}

public static class ListPlaces
{
    /// <summary>
    /// The place of the item <paramref name="after"/> names, found through <paramref name="readable"/>: the caller's list
    /// without its other filters, so an item that has left a filtered list since still marks the place. Null without an after.
    /// </summary>
    public static async Task<ListPlace?> PlaceOfAsync<T>(
        this IRepository<T> items, Guid? after, Func<Guid, ISpecification<T>> readable, Func<T, DateTimeOffset> at, string item, CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(readable);
        ArgumentNullException.ThrowIfNull(at);
        if (after is not { } id)
        {
            return null;
        }

        var last = (await items.ListAsync(readable(id), cancellationToken)).FirstOrDefault() ?? throw ListPlace.Unknown(item);
        return new ListPlace(at(last), last.Id);
    }
}

public static class PagingSpecification
{
    /// <summary>Takes the requested page, or every row when no page is asked for (a count uses the same specification).</summary>
    public static void Page<T>(this ISpecificationBuilder<T> query, PageRequest? page)
    {
        if (page is not null)
        {
            query.Skip(page.Skip).Take(page.PageSize);
        }
    }
}
