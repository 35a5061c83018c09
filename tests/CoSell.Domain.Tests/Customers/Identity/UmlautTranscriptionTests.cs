using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>
/// German writes ä, ö and ü as ae, oe and ue where it has no umlauts. Before, the name key folded ä to a and kept ae, so
/// Dürr and Duerr (short words, which must be equal to count) were other companies, and a partner's Duerr AG was
/// approved beside another partner's Dürr AG.
/// </summary>
public sealed class UmlautTranscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;

    [Theory]
    [InlineData("Kühne + Nagel AG", "Kuehne + Nagel AG", "CH")]
    [InlineData("Dürr AG", "Duerr AG", "DE")]
    [InlineData("Götze Logistik GmbH", "Goetze Logistik GmbH", "DE")]
    [InlineData("Bäckerei Schmidt", "BAECKEREI SCHMIDT", "AT")]
    [InlineData("Münchener Rück AG", "Muenchener Rueck AG", "DE")]
    [InlineData("Du\u0308rr AG", "Duerr AG", "DE")] // an umlaut written as u and a combining diaeresis
    public void InACountryThatWritesGerman_AnUmlautAndItsTranscription_AreOneNameKey(string written, string transcribed, string country) =>
        _normaliser.NameKey(written, country).Should().Be(_normaliser.NameKey(transcribed, country));

    [Theory]
    [InlineData("Wärtsilä Oyj", "Wartsila", "FI")]
    [InlineData("Türk Telekom", "Turk Telekom", "TR")]
    [InlineData("Björn Borg AB", "Bjorn Borg", "SE")]
    public void ElsewhereAnUmlautIsItsLetter(string written, string plain, string country) =>
        _normaliser.NameKey(written, country).Should().Be(_normaliser.NameKey(plain, country));

    [Theory]
    [InlineData("Dürr AG", "Duerr AG", "DE")]
    [InlineData("Kühne + Nagel AG", "Kuehne + Nagel AG", "CH")]
    public void AClaimInItsUmlautsIsFound_AndLikely_ForItsTranscription(string claimed, string checkedName, string country)
    {
        using var index = new ClaimsIndex();
        index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), _normaliser.Normalise(claimed, null, country, null), [], "approved", Now.AddDays(-1), Now.AddDays(80)));

        var result = new CustomerMatcher(index).Match(new MatchQuery(_normaliser.Normalise(checkedName, null, country, null), [], Now), MatchThresholds.Default);

        result.Verdict.Should().Be(DuplicateVerdict.Likely);
    }
}
