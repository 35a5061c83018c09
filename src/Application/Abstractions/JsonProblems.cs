using System.Text.Json;

namespace CoSell.Application.Abstractions;

/// <summary>
/// What a <see cref="JsonException"/> from the serializer was about. The reader says it only in its message (with the
/// .NET type, which is not the caller's business), so the message is read here, in one place.
/// </summary>
public static class JsonProblems
{
    /// <summary>A field the target does not have (the options disallow unmapped members).</summary>
    public static bool IsUnknownField(JsonException exception) =>
        exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);

    /// <summary>A field given twice in one object, in any case (the options disallow duplicate properties).</summary>
    public static bool IsRepeatedField(JsonException exception) =>
        exception.Message.StartsWith("Duplicate property", StringComparison.Ordinal);
}
