using System.Linq.Expressions;
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

/// <param name="Next">
/// On lists that read on (<see cref="ListPlace"/>): where this page ends, to pass as <c>?after=</c> for the items that
/// follow it; null when the page is empty or the list does not read on.
/// </param>
public sealed record Paged<T>(
    IReadOnlyList<T> Items,
    int Page,
    int PageSize,
    int Total,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [property: System.ComponentModel.Description("Where this page ends, to pass as ?after= for the items that follow. Only lists that take ?after= send it (registrations, reviews, opportunities, referrals, conflicts), and not on an empty page; the others page by page number alone.")]
    string? Next = null);

/// <summary>
/// A list that reads on from a cursor (<see cref="ListPlace"/>). Its value is the tag the list's cursors carry, given
/// once and never reused, so that a cursor is refused by every list but the one that handed it out (ADR 0014).
/// </summary>
public enum ReadingList : byte
{
    /// <summary><c>GET /registrations</c>, newest first.</summary>
    Registrations = 1,

    /// <summary><c>GET /reviews</c>, soonest review due first.</summary>
    ReviewQueue = 2,

    /// <summary><c>GET /opportunities</c>, newest first.</summary>
    Opportunities = 3,

    /// <summary><c>GET /referrals</c>, newest first.</summary>
    Referrals = 4,

    /// <summary><c>GET /conflicts</c>, soonest due first.</summary>
    Conflicts = 5,
}

/// <summary>
/// Where a reader of a list ordered by an instant and then by id left off: that instant (when the item was created,
/// or is due) and the id of the last item it read. Read on from there (<c>?after=</c> with the page's <c>next</c>
/// cursor, or with the item's id), the list shows what comes after that place as the list is now, so items created,
/// decided or gone meanwhile neither repeat nor skip anything, as page numbers would.
/// </summary>
public readonly record struct ListPlace(DateTimeOffset At, Guid Id)
{
    private const int PlaceBytes = sizeof(long) + 16;

    /// <summary>A cursor's bytes: the tag of its list, then the place.</summary>
    private const int CursorBytes = 1 + PlaceBytes;

    /// <summary>The characters of a cursor (base64url of <see cref="CursorBytes"/>, unpadded).</summary>
    private const int CursorLength = 34;

    /// <summary>The characters of a cursor handed out before cursors named their list: the place alone.</summary>
    private const int UntaggedCursorLength = 32;

    /// <summary>
    /// The place as the <c>next</c> cursor of <paramref name="list"/>: it keeps the instant the item was read at, so
    /// reading on continues from there even when the item has moved since (a registration resubmitted, a case
    /// reopened), and names the list, which refuses it anywhere else.
    /// </summary>
    public string ToCursor(ReadingList list)
    {
        Span<byte> bytes = stackalloc byte[CursorBytes];
        bytes[0] = (byte)list;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[1..], At.UtcTicks);
        Id.TryWriteBytes(bytes[(1 + sizeof(long))..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Reads a <see cref="ToCursor"/> text and the list it names; false for anything else (an id is not a cursor, nor is
    /// one naming no list there is). A cursor handed out before cursors named their list is read as a place in any
    /// list, as it was then: <paramref name="list"/> is null for it.
    /// </summary>
    public static bool TryParseCursor(string? text, out ListPlace place, out ReadingList? list)
    {
        place = default;
        list = null;
        if (text is not { Length: CursorLength or UntaggedCursorLength })
        {
            return false;
        }

        var tagged = text.Length == CursorLength;
        if (!tagged && Guid.TryParseExact(text, "N", out _))
        {
            // An id of 32 hex digits reads as base64 too; it is an id, as it was meant.
            return false;
        }

        Span<byte> bytes = stackalloc byte[CursorBytes];
        var base64 = text.Replace('-', '+').Replace('_', '/') + (tagged ? "==" : string.Empty);
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != (tagged ? CursorBytes : PlaceBytes))
        {
            return false;
        }

        if (tagged && !Enum.IsDefined((ReadingList)bytes[0]))
        {
            return false;
        }

        var at = tagged ? bytes[1..CursorBytes] : bytes[..PlaceBytes];
        var ticks = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(at);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        place = new ListPlace(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(at[sizeof(long)..], bigEndian: true));
        list = tagged ? (ReadingList)bytes[0] : null;
        return true;
    }

    /// <summary>The <c>next</c> cursor of a page of <paramref name="list"/>: where its last item stands, or null for an empty page.</summary>
    public static string? NextOf<T>(ReadingList list, IReadOnlyList<T> items, Func<T, DateTimeOffset> at, Func<T, Guid> id) =>
        items.Count == 0 ? null : new ListPlace(at(items[^1]), id(items[^1])).ToCursor(list);

    /// <summary>The page to read: the one asked for, or the first one after <paramref name="after"/>.</summary>
    public static PageRequest PageFrom(int? page, int? pageSize, ListPlace? after) => after is null ? new(page, pageSize) : new(1, pageSize);

    /// <summary>An <c>after</c> that names nothing the caller's list could have shown (400, with no word on whether it exists).</summary>
    public static ValidationException Unknown(string item) =>
        new([new ValidationFailure("after", $"Give the list's next cursor, or the id of {Article(item)} {item} you can still see.")]);

    /// <summary>
    /// A cursor that another list handed out (400 <c>cursor.of_another_list</c>): its place is in that list's order, and
    /// read in this one it would land anywhere, or past the end.
    /// </summary>
    public static DomainValidationException OfAnotherList(ReadingList of, ReadingList list, string item) =>
        new DomainValidationException("cursor.of_another_list", "after",
            $"This is a next cursor of another list, {Named(of)}, not of {Named(list)}: a cursor reads on only in the list that gave it. "
            + $"Give this list's next cursor or the id of {Article(item)} {item} you can still see, or read this list from its first page.");

    private static string Named(ReadingList list) => list switch
    {
        ReadingList.Registrations => "registrations (GET /registrations)",
        ReadingList.ReviewQueue => "the review queue (GET /reviews)",
        ReadingList.Opportunities => "opportunities (GET /opportunities)",
        ReadingList.Referrals => "referrals (GET /referrals)",
        ReadingList.Conflicts => "conflict cases (GET /conflicts)",
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, "A list that reads on is named here."),
    };

    private static string Article(string item) => item[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
}

public static class ListPlaces
{
    /// <summary>
    /// The place of the item <paramref name="after"/> names in <paramref name="list"/>, found through
    /// <paramref name="readable"/>: the caller's list without its other filters, so an item that has left a filtered list
    /// since still marks the place. Null without an after; a cursor another list handed out is refused.
    /// </summary>
    public static async Task<ListPlace?> PlaceOfAsync<T>(
        this IRepository<T> items, string? after, ReadingList list, Func<Guid, ISpecification<T>> readable, Func<T, DateTimeOffset> at, string item, CancellationToken cancellationToken)
        where T : AggregateRoot
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(readable);
        ArgumentNullException.ThrowIfNull(at);
        if (after is null)
        {
            return null;
        }

        // A cursor is a place by itself: it only positions the caller's own list, whose filters still apply. One that
        // names no list was handed out before cursors did, and is read in any list as it was then.
        if (ListPlace.TryParseCursor(after, out var place, out var of))
        {
            return of is { } other && other != list ? throw ListPlace.OfAnotherList(other, list, item) : place;
        }

        if (!Guid.TryParse(after, out var id))
        {
            throw ListPlace.Unknown(item);
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

/// <summary>The order and keyset of a list that reads on (<see cref="ListPlace"/>), written once for every such list.</summary>
public static class ListOrder
{
    private static readonly System.Reflection.MethodInfo CompareIds = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    /// <summary>
    /// Orders by <paramref name="at"/> (newest or soonest first) and then by id; after <paramref name="after"/>, keeps what
    /// follows that place; with <paramref name="only"/>, keeps that one item (to find the place an id names).
    /// </summary>
    public static void ReadsOn<T, TInstant>(this ISpecificationBuilder<T> query, Expression<Func<T, TInstant>> at, bool newestFirst, ListPlace? after, Guid? only)
        where T : AggregateRoot
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(at);
        if (only is { } id)
        {
            query.Where(e => e.Id == id);
        }

        if (after is { } place)
        {
            // The place's values are read from an object, so EF Core passes them as parameters and caches one query.
            var from = Expression.Constant(new Place(place.At, place.Id));
            var instant = Expression.Convert(Expression.Property(from, nameof(Place.At)), typeof(TInstant));
            var item = at.Parameters[0];
            var beyond = newestFirst ? Expression.LessThan(at.Body, instant) : Expression.GreaterThan(at.Body, instant);
            var tie = Expression.AndAlso(
                Expression.Equal(at.Body, instant),
                Expression.GreaterThan(Expression.Call(Expression.Property(item, nameof(AggregateRoot.Id)), CompareIds, Expression.Property(from, nameof(Place.Id))), Expression.Constant(0)));
            query.Where(Expression.Lambda<Func<T, bool>>(Expression.OrElse(beyond, tie), item));
        }

        var key = Expression.Lambda<Func<T, object?>>(Expression.Convert(at.Body, typeof(object)), at.Parameters);
        (newestFirst ? query.OrderByDescending(key) : query.OrderBy(key)).ThenBy(e => e.Id);
    }

    private sealed record Place(DateTimeOffset At, Guid Id);
}
