using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>
/// German writes ä, ö and ü as ae, oe and ue where it has no umlauts, while the name key folds ä to a. Before, Dürr and
/// Duerr (short words, which must be equal to count) were other companies, and a partner's Duerr AG was approved beside
/// another partner's Dürr AG. Names are now compared and filed with an e after a, o or u left out; the key a reader sees
/// keeps its letters.
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
    public void TheSameWrittenNameInTwoCountries_KeepsItsKeyAndItsLikeness() =>
        _normaliser.NameKey("Dürr Maschinenbau").Should().Be("durr maschinenbau", "the key a reader sees keeps its letters");

    [Theory]
    [InlineData("duerr", "durr")]
    [InlineData("kuehne nagel", "kuhne nagel")]
    [InlineData("oesterreich", "osterreich")]
    [InlineData("queen", "quen")]
    [InlineData("eagle", "eagle")]
    // A word under five letters is more often a word of its own than an umlaut written out.
    [InlineData("blue doe does aep", "blue doe does aep")]
    public void UmlautsRead_LeavesOutAnEAfterAnAOOrU_InWordsOfFiveLettersOrMore(string key, string read) =>
        NameSimilarity.UmlautsRead(key, new char[key.Length]).ToString().Should().Be(read);

    // An acronym is read as written; a short word is not read into a small word ("doe" is no "do"); a short word with an
    // e is not another's without it.
    [Theory]
    [InlineData("American Electric Power", "US", "AEP", DuplicateVerdict.Possible)]
    [InlineData("British Airways", "GB", "BAE", DuplicateVerdict.Clear)]
    [InlineData("Ingalls", "US", "Doe & Ingalls", DuplicateVerdict.Possible)]
    [InlineData("Blu Bistro", "US", "Blue Bistro", DuplicateVerdict.Clear)]
    public void ShortWordsAndAcronyms_AreReadAsWritten(string claimed, string country, string checkedName, DuplicateVerdict verdict) =>
        Verdict(claimed, country, checkedName, country).Should().Be(verdict);

    private bool Likely(string claimed, string claimedCountry, string checkedName, string checkedCountry) =>
        Verdict(claimed, claimedCountry, checkedName, checkedCountry) == DuplicateVerdict.Likely;

    private DuplicateVerdict Verdict(string claimed, string claimedCountry, string checkedName, string checkedCountry)
    {
        using var index = new ClaimsIndex();
        index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(claimed, null, claimedCountry, null), [], "approved", Now.AddDays(-1), Now.AddDays(80)));
        return new CustomerMatcher(index).Match(new MatchQuery(_normaliser.Normalise(checkedName, null, checkedCountry, null), [], Now), MatchThresholds.Default).Verdict;
    }
}
