namespace CoSell.Application.Abstractions;

/// <summary>
/// What a create-or-replace's If-None-Match names: <c>*</c>, any version (go ahead only where there is none yet), or the
/// versions it must not find (RFC 9110 13.1.2, compared weakly: <c>W/"3"</c> names version 3).
/// </summary>
public sealed record IfNoneMatch(bool AnyVersion, IReadOnlyCollection<long> Versions, bool Unreadable = false)
{
    /// <summary><c>*</c>: the change is made only where the resource does not exist yet.</summary>
    public static IfNoneMatch Any { get; } = new(true, []);

    /// <summary>A header that is not a list of ETags, read as <c>*</c> so that a precondition meant but mistyped spares what exists.</summary>
    public static IfNoneMatch UnreadableAsAny { get; } = new(true, [], Unreadable: true);

    /// <summary>Whether the resource as stored (none: null) meets the condition, so that the change must not go ahead.</summary>
    public bool Refuses(long? current) => current is { } version && (AnyVersion || Versions.Contains(version));
}
