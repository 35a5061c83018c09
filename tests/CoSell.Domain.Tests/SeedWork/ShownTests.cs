using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.SeedWork;

/// <summary>How a refused value is said back: in a line, showing what it holds, never half a character.</summary>
public sealed class ShownTests
{
    [Theory]
    [InlineData("USD", "USD")]
    [InlineData("a\u200Bb", "a\\u200Bb")]
    [InlineData("gold\u202Ex\0y", "gold\\u202Ex\\u0000y")]
    [InlineData("x\u3164y", "x\\u3164y")]
    [InlineData("x\u034Fy", "x\\u034Fy")]
    [InlineData("line\u2028break", "line\\u2028break")]
    [InlineData("tab\there", "tab\\u0009here")]
    [InlineData("Ünïcödé 😀", "Ünïcödé 😀")]
    public void AValue_IsSaidBackWithWhatShowsNothingWrittenOut(string value, string shown) =>
        Characters.Shown(value).Should().Be(shown);

    [Fact]
    public void ALongValue_IsCutAtTheLimit_WithAnEllipsis()
    {
        Characters.Shown(new string('Q', 200_000)).Should().Be(new string('Q', 40) + "…");
        Characters.Shown(new string('k', 500), 120).Should().Be(new string('k', 120) + "…");
        Characters.Shown(new string('Q', 40)).Should().Be(new string('Q', 40));
    }

    [Fact]
    public void ACutThatWouldSplitAPair_KeepsTheWholeCharacterOut()
    {
        var value = new string('Q', 39) + "😀" + "tail";

        Characters.Shown(value).Should().Be(new string('Q', 39) + "…");
    }

    [Fact]
    public void HalfAPairStandingAlone_IsWrittenOut()
    {
        Characters.Shown("end\uD83D").Should().Be("end\\uD83D");
        Characters.Shown("lone \uD800 half").Should().Be("lone \\uD800 half");
        Characters.Shown("\uDC00first").Should().Be("\\uDC00first");
    }

    [Fact]
    public void NoValue_IsNothing() => Characters.Shown(null).Should().BeEmpty();
}
