using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed class NameSimilarityTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.9444, 0.9611)]
    [InlineData("DWAYNE", "DUANE", 0.8222, 0.84)]
    [InlineData("DIXON", "DICKSONX", 0.7667, 0.8133)]
    [InlineData("JELLYFISH", "SMELLYFISH", 0.8963, 0.8963)]
    public void JaroWinkler_MatchesThePublishedExamples(string a, string b, double jaro, double jaroWinkler)
    {
        JaroWinkler.Jaro<char>(a, b).Should().BeApproximately(jaro, 0.0001);
        JaroWinkler.Similarity(a, b).Should().BeApproximately(jaroWinkler, 0.0001);
        JaroWinkler.Similarity(b, a).Should().BeApproximately(jaroWinkler, 0.0001);
    }

    [Theory]
    [InlineData("", "", 1)]
    [InlineData("abc", "", 0)]
    [InlineData("abc", "abc", 1)]
    [InlineData("abc", "xyz", 0)]
    public void JaroWinkler_HandlesEdgeCases(string a, string b, double expected) =>
        JaroWinkler.Similarity(a, b).Should().Be(expected);

    [Fact]
    public void JaroWinkler_HandlesLongStrings()
    {
        var a = new string('a', 5000) + "b";
        var b = new string('a', 5000) + "c";

        JaroWinkler.Similarity(a, b).Should().BeGreaterThan(0.99);
    }

    [Theory]
    [InlineData("acme", "acme", 1.0, 1.0)]
    [InlineData("microsoft", "mircosoft", 0.95, 1.0)]
    [InlineData("coca cola", "cocacola", 1.0, 1.0)]
    [InlineData("bank of america", "bank america", 1.0, 1.0)]
    [InlineData("societe generale", "generale societe", 1.0, 1.0)]
    [InlineData("lukoil", "lukoyl", 0.9, 1.0)]
    [InlineData("acme", "acne", 0.0, 0.0)]
    [InlineData("delta air lines", "delta dental", 0.0, 0.5)]
    [InlineData("apple", "apple leisure group", 0.4, 0.7)]
    [InlineData("johnson and johnson", "johnson controls", 0.0, 0.6)]
    [InlineData("deutsche bank", "deutsche bahn", 0.0, 0.6)]
    [InlineData("acme", "acme group", 0.7, 0.9)]
    [InlineData("ibm", "international business machines", 0.75, 0.75)]
    [InlineData("3m", "4m", 0.0, 0.0)]
    [InlineData("aviva", "avivo", 0.0, 0.0)]
    [InlineData("bank of america", "american bank", 0.4, 0.6)]
    [InlineData("gazprom", "gazprombank", 0.0, 0.0)]
    [InlineData("discover", "discovery", 0.0, 0.0)]
    [InlineData("qualcomm", "qualcom", 0.95, 1.0)]
    [InlineData("motor", "motors", 0.95, 1.0)]
    [InlineData("zhong guo shi you", "zhong guo shi hua", 0.7, 0.8)]
    // Before, words past the twelfth were not compared: two offices named alike but for their region read 1.00 alike.
    [InlineData("department health human services office regional health administrator for region one state north",
        "department health human services office regional health administrator for region nine state north", 0.5, 0.99)]
    public void Score_RanksNameVariantsAboveDifferentCompanies(string a, string b, double low, double high)
    {
        var score = NameSimilarity.Score(a, b);

        score.Should().BeInRange(low, high);
        NameSimilarity.Score(b, a).Should().BeApproximately(score, 1e-9);
    }
}
