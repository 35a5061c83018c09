using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed class LatinLookalikesTests
{
    [Theory]
    [InlineData("Аcme", true)] // Cyrillic А
    [InlineData("N\u03BFrthwind", true)] // Greek ο
    [InlineData("\u13AAcme Corporation", true)] // Cherokee Ꭺ
    [InlineData("Acm\uAB7C", true)] // a Cherokee small letter
    [InlineData("Ac\u0585rn", true)] // Armenian օ
    [InlineData("Ac\u2C9Frn", true)] // Coptic ⲟ
    [InlineData("\uA4EEcme", true)] // Lisu ꓮ
    [InlineData("\u15C5cme", true)] // Canadian Syllabics ᗅ
    [InlineData("\u2D54racle", true)] // Tifinagh ⵔ
    [InlineData("Pa\u10E7ment", true)] // Georgian ყ
    [InlineData("NTT\u30C9\u30B3\u30E2", false)] // Latin and katakana: no kana passes for Latin
    [InlineData("三菱UFJ銀行", false)]
    [InlineData("LG\uC804\uC790", false)] // Latin and Hangul
    [InlineData("ВЕКТОР Group", false)] // each word in one alphabet
    [InlineData("\u13AA\u13DF\u13B7\u13AC Group", false)] // a word wholly in Cherokee beside a Latin one
    [InlineData("Müller-Ørsted", false)]
    public void MixesLatinWithLookalikeScript_FindsAWordMixingLatinWithLettersThatPassForLatin(string text, bool mixes) =>
        LatinLookalikes.MixesLatinWithLookalikeScript(text).Should().Be(mixes);
}
