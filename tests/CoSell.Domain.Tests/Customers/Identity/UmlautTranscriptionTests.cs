using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>
/// German writes ä, ö and ü as ae, oe and ue where it has no umlauts, while the name key folds ä to a. Before, Dürr and
/// Duerr (short words, which must be equal to count) were other companies, and a partner's Duerr AG was approved beside
/// another partner's Dürr AG. Two words alike but for an e after an a, o or u are now near words, and a word is filed
/// under its form without that e too; the key a reader sees keeps its letters.
/// </summary>
public sealed class UmlautTranscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;

    [Theory]
    [InlineData("Dürr AG", "Duerr AG", "DE")]
    [InlineData("Kühne + Nagel AG", "Kuehne + Nagel AG", "CH")]
    [InlineData("Götze Logistik GmbH", "Goetze Logistik GmbH", "DE")]
    [InlineData("Bäckerei Schmidt", "BAECKEREI SCHMIDT", "AT")]
    [InlineData("Münchener Rück AG", "Muenchener Rueck AG", "DE")]
    [InlineData("Du\u0308rr Systems Inc.", "Duerr Systems Inc.", "US")] // an umlaut written as u and a combining diaeresis, in any country
    [InlineData("Wärtsilä Oyj", "Wartsila", "FI")]
    public void AClaimInItsUmlautsIsFound_AndLikely_ForItsTranscription_AndEitherWayRound(string claimed, string checkedName, string country)
    {
        Likely(claimed, country, checkedName, country).Should().BeTrue();
        Likely(checkedName, country, claimed, country).Should().BeTrue();
    }

    [Fact]
    public void TheKeyAReaderSees_KeepsItsLetters() =>
        _normaliser.NameKey("Duerr Maschinenbau").Should().Be("duerr maschinenbau");

    [Theory]
    [InlineData("duerr", "durr")]
    [InlineData("kuehne", "kuhne")]
    [InlineData("oesterreich", "osterreich")]
    [InlineData("eagle", "eagle")]
    public void UmlautsRead_LeavesOutAnEAfterAnAOOrU(string word, string read) =>
        NameSimilarity.UmlautsRead(word, new char[word.Length]).ToString().Should().Be(read);

    // Two words alike but for the umlaut are near, as a typo apart is: the words around them still count as written. An
    // acronym is read as written; a word that is a small word with an e ("doe") keeps its weight; names equal but for
    // spacing, or a plural, stay equal.
    [Theory]
    [InlineData("American Electric Power", "US", "AEP", DuplicateVerdict.Possible)]
    [InlineData("British Airways", "GB", "BAE", DuplicateVerdict.Clear)]
    [InlineData("Ingalls", "US", "Doe & Ingalls", DuplicateVerdict.Possible)]
    [InlineData("Fannie Mae", "US", "FannieMae", DuplicateVerdict.Likely)]
    [InlineData("Blue Yonder Inc.", "US", "BlueYonder Inc.", DuplicateVerdict.Likely)]
    [InlineData("Shoe Carnival", "US", "Shoes Carnival", DuplicateVerdict.Likely)]
    [InlineData("Do", "US", "Doe", DuplicateVerdict.Clear)]
    [InlineData("A Group", "US", "Ae Group", DuplicateVerdict.Clear)]
    public void ShortWordsSpacingPluralsAndAcronyms_AreReadAsWritten(string claimed, string country, string checkedName, DuplicateVerdict verdict) =>
        Verdict(claimed, country, checkedName, country).Should().Be(verdict);

    // The index finds what the scorer reads so: a word whose plural s the index drops (goes) and its form without the e (gos).
    [Theory]
    [InlineData("Goes Holdings", "Gos Holdings")]
    [InlineData("Maes", "Mas")]
    [InlineData("Duerr Systems", "Dürr Systems")]
    public void TheIndexFindsWhatTheScorerReadsAsAnUmlautWrittenOut(string claimed, string checkedName)
    {
        using var index = new ClaimsIndex();
        index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(claimed, null, "DE", null), [], "approved", Now.AddDays(-1), Now.AddDays(80)));
        var matcher = new CustomerMatcher(index);
        var query = new MatchQuery(_normaliser.Normalise(checkedName, null, "DE", null), [], Now);

        matcher.Match(query, MatchThresholds.Default).Verdict.Should().Be(matcher.ScanAll(query, MatchThresholds.Default).Verdict).And.Be(DuplicateVerdict.Likely);
    }

    private bool Likely(string claimed, string claimedCountry, string checkedName, string checkedCountry) =>
        Verdict(claimed, claimedCountry, checkedName, checkedCountry) == DuplicateVerdict.Likely;

    private DuplicateVerdict Verdict(string claimed, string claimedCountry, string checkedName, string checkedCountry)
    {
        using var index = new ClaimsIndex();
        index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(claimed, null, claimedCountry, null), [], "approved", Now.AddDays(-1), Now.AddDays(80)));
        return new CustomerMatcher(index).Match(new MatchQuery(_normaliser.Normalise(checkedName, null, checkedCountry, null), [], Now), MatchThresholds.Default).Verdict;
    }
}
