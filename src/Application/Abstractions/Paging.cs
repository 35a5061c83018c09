using Ardalis.Specification;

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
