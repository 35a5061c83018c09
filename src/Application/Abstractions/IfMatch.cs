namespace CoSell.Application.Abstractions;

/// <summary>
/// The versions an update's If-Match names. The update goes ahead when the stored version is one of them
/// (RFC 9110 13.1.1: a list matches when any of its tags does). A tag this service did not issue, or a weak one,
/// names no version and never matches.
/// </summary>
public readonly struct IfMatch : IEquatable<IfMatch>
{
    private readonly long[]? _versions;

    private IfMatch(long[] versions) => _versions = versions;

    /// <summary>An If-Match whose tags name no version this service issued.</summary>
    public static IfMatch NoVersion { get; } = new([]);

    /// <summary>Whether any tag names a version at all.</summary>
    public bool NamesAVersion => _versions is { Length: > 0 };

    public static IfMatch Of(IEnumerable<long> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return new([.. versions.Distinct()]);
    }

    public static implicit operator IfMatch(long version) => new([version]);

    public static IfMatch FromInt64(long version) => version;

    public bool Matches(long current) => _versions is not null && Array.IndexOf(_versions, current) >= 0;

    public bool Equals(IfMatch other) => _versions.AsSpan().SequenceEqual(other._versions);

    public override bool Equals(object? obj) => obj is IfMatch other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var version in _versions ?? [])
        {
            hash.Add(version);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(IfMatch left, IfMatch right) => left.Equals(right);

    public static bool operator !=(IfMatch left, IfMatch right) => !left.Equals(right);

    public override string ToString() => string.Join(", ", (_versions ?? []).Select(v => $"\"{v}\""));
}
