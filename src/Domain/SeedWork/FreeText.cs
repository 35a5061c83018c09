namespace CoSell.Domain.SeedWork;

/// <summary>
/// Free text (notes, comments, messages, reasons, rationales) as the service keeps it: without the white space around
/// it, and not at all when that is all there was; its limit counts what is kept.
/// </summary>
public static class FreeText
{
    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static bool IsLongerThan(string? text, int maximum) => text is not null && text.AsSpan().Trim().Length > maximum;

    /// <summary>Refuses text over its limit (as kept), naming the field, with the aggregate's own <paramref name="code"/>.</summary>
    public static void CheckLength(string? text, int maximum, string code, string field)
    {
        if (IsLongerThan(text, maximum))
        {
            throw new DomainValidationException(code, field, $"'{field}' has at most {maximum} characters.");
        }
    }
}
