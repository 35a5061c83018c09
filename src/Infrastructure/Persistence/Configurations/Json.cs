using System.Text.Json;
using CoSell.Domain.Registrations;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CoSell.Infrastructure.Persistence.Configurations;

/// <summary>
/// A small value stored as one JSON column. Change tracking compares the values themselves: serialising
/// them on every snapshot and comparison would put JSON work on every tracked entity of every request.
/// </summary>
public static class Json
{
    /// <summary>Public so that the compiled model's generated converters can name it.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ValueConverter<T, string> Converter<T>() => new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<T>(v, Options)!);

    /// <summary>A list of immutable elements (strings, records): equal when the elements are; the snapshot is a copy.</summary>
    public static ValueComparer<List<T>> ListComparer<T>() => new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        v => v.Aggregate(v.Count, (hash, element) => HashCode.Combine(hash, element)),
        v => v.ToList());

    /// <summary>An immutable record: equal by its own value equality; the snapshot is the value itself.</summary>
    public static ValueComparer<T> RecordComparer<T>()
        where T : class => new(
        (a, b) => Equals(a, b),
        v => v.GetHashCode(),
        v => v);

    /// <summary>An assessment never changes once made: the snapshot is the value itself.</summary>
    public static ValueComparer<DuplicateAssessment> DuplicateComparer() => new(
        (a, b) => a == null ? b == null : b != null && a.Verdict == b.Verdict && a.Score == b.Score && a.Reasons.SequenceEqual(b.Reasons),
        v => HashCode.Combine(v.Verdict, v.Score, v.Reasons.Count),
        v => v);
}
