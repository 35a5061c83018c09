using AnyAscii;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>The production transliterator's two lines, so the domain tests need not reference Infrastructure.</summary>
internal sealed class TestTransliterator : ITransliterator
{
    public static readonly TestTransliterator Instance = new();

    public static readonly CustomerNormaliser Normaliser = new(Instance);

    public string ToAscii(string text) => text.Transliterate();
}
