using AnyAscii;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Infrastructure.Identity;

/// <summary>Transliterates every script to ASCII with the AnyAscii tables (ISC licence).</summary>
public sealed class AnyAsciiTransliterator : ITransliterator
{
    public static readonly AnyAsciiTransliterator Instance = new();

    public string ToAscii(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Transliterate();
    }
}
