using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Partners;

public sealed class PartnerNameTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Fold\u00A0\u00A0 Partner", "Fold Partner")]
    [InlineData("  Y   Co\t", "Y Co")]
    public void APartnersName_FoldsWhiteSpaceAsACompanyNameDoes(string written, string stored)
    {
        var partner = Partner.Create(Guid.NewGuid(), written, PartnerTier.Gold, ["US"], null, "admin", Now);

        partner.Name.Should().Be(stored);
        partner.Update(written + " ", null, null, null, null, "admin", Now);
        partner.Name.Should().Be(stored, "an update folds it the same way, so it is no change");
    }

    [Theory]
    [InlineData("Line\u2028Break Ltd")]
    [InlineData("Line\nBreak Ltd")]
    public void AName_BrokenOverLines_IsRefused_NotFolded(string name) =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Theory]
    [InlineData("Northwind Systems\u200D")] // a zero-width joiner
    [InlineData("North\u200Cwind Systems")] // a joiner between Latin letters shapes nothing
    [InlineData("\u0641\u0646\u200C Partners")] // nor at a word's edge
    [InlineData("North\u200Ewind Systems")] // a direction mark between Latin letters places nothing
    [InlineData("Northwind \u200E\u200ESystems")] // nor does a second one beside the first
    [InlineData("Fab\u200Brikam Consulting")] // a zero-width space
    [InlineData("Fabrikam Con\u00ADsulting")] // a soft hyphen
    [InlineData("Fabrikam Consulting\U000E0041")] // a tag character
    [InlineData("\u202EFabrikam Consulting")] // a direction override
    [InlineData("Fabrikam \uE000Consulting")] // a private-use character
    [InlineData("N\u03BFrthwind Systems")] // a Greek omicron among Latin letters
    [InlineData("F\u0430brikam Consulting")] // a Cyrillic a among Latin letters
    [InlineData("\uFF21\u0440\u0440\u04CF\u0435 Resellers")] // a full-width A, which is Latin once compatible, before Cyrillic letters
    [InlineData("N\u1C82rthwind Systems")] // a narrow Cyrillic o
    [InlineData("\u13AAdatum Partners")] // a Cherokee A
    [InlineData("N\u0585rthwind Systems")] // an Armenian o
    [InlineData("N\u2C9Frthwind Systems")] // a Coptic o
    [InlineData("\uA4EEdatum Partners")] // a Lisu A
    [InlineData("\u15C5datum Partners")] // a Canadian Syllabics A
    [InlineData("N\u2D54RTHWIND Systems")] // a Tifinagh O
    [InlineData("North\u034Fwind Systems")] // letters and marks that show nothing
    [InlineData("Northwind\u3164 Systems")]
    [InlineData("Northwind\uFE0F Systems")]
    [InlineData("Northwind\u2800 Systems")]
    [InlineData("Northwind\u17B4 Systems")]
    [InlineData("Northwind\u180B Systems")] // a Mongolian selector after a Latin letter selects nothing
    [InlineData("\uFE0FNorthwind Systems")]
    [InlineData("Northwind 1\uFE0F")] // a selector after a digit that starts no keycap selects nothing
    [InlineData("Northwind Inc.\uFE0F")]
    [InlineData("\u2615\uFE0F\uFE0F Cafe")] // nor does a second one
    [InlineData("\uA7B5\uFE0Feta Co")] // nor one after a Latin letter of any block
    [InlineData("Contoso 3\u200D65")] // a joiner between digits shapes nothing
    [InlineData("Northwind-\u200D-Co")]
    [InlineData("Sta\uFB00\u200D\uFB01 Co")]
    [InlineData("A\u200E")] // one letter shown, however many marks
    [InlineData("\u200E\u200F")]
    [InlineData("\u200E \u200F")]
    [InlineData("\u0915\u094D\u200C")] // a non-joiner after a virama at a word's end changes nothing
    public void AName_ThatDoesNotShowWhatItHolds_IsRefused(string name)
    {
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");
        var partner = Partner.Create(Guid.NewGuid(), "Renamed Later Ltd", PartnerTier.Gold, ["US"], null, "admin", Now);
        FluentActions.Invoking(() => partner.Update(name, null, null, null, null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");
        partner.Name.Should().Be("Renamed Later Ltd");
    }

    [Theory]
    [InlineData("Northwind\u200E Systems")] // a mark beside a space
    [InlineData("Northwind \u200ESystems")]
    [InlineData("Northwind Systems\u200F")] // a mark at the end, which sits the name in the text around it
    [InlineData("\u200ENorthwind Systems")]
    [InlineData("Northwind Systems \u200E")] // a mark beside a space at either end, or between two spaces
    [InlineData("\u200E Northwind Systems")]
    [InlineData("Northwind \u200E Systems")]
    public void AName_WithADirectionMark_IsTaken_WithTheKeyOfTheNameWithoutIt(string name) =>
        Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "admin", Now).NameKey
            .Should().Be(Partner.Create(Guid.NewGuid(), "Northwind Systems", PartnerTier.Gold, ["US"], null, "admin", Now).NameKey, "a mark shows nothing, so two names that read alike are one");

    [Theory]
    [InlineData("STRA\u1E9EE PARTNERS")] // the capital sharp s
    [InlineData("STRASSE PARTNERS")] // the capitals German writes it in
    [InlineData("strasse partners")]
    public void AName_WithASharpS_HasTheKeyOfItsCaseFolding(string name) =>
        Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["DE"], null, "admin", Now).NameKey
            .Should().Be(Partner.Create(Guid.NewGuid(), "Stra\u00DFe Partners", PartnerTier.Gold, ["DE"], null, "admin", Now).NameKey, "ß folds to ss, whatever its case");

    [Theory]
    [InlineData("\u03A0\u03C1\u03BF\u0390\u03CC\u03BD \u03A0\u03BB\u03B7\u03C1\u03BF\u03C6\u03BF\u03C1\u03B9\u03BA\u03AE", "\u03A0\u03A1\u039F\u03AA\u0301\u038C\u039D \u03A0\u039B\u0397\u03A1\u039F\u03A6\u039F\u03A1\u0399\u039A\u0389")] // ΐ, whose capital is Ϊ and an accent
    [InlineData("\u0130stanbul Yaz\u0131l\u0131m", "i\u0307stanbul yaz\u0131l\u0131m")] // İ, whose small letter is i and a dot
    [InlineData("\u01F0ava Systems", "J\u030Cava Systems")] // ǰ, whose capital is J and a caron
    public void ANameAndItsOtherCase_WhereALetterAndAMarkAreOneLetterInTheOther_HaveOneKey(string name, string otherCase) =>
        Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["GR"], null, "admin", Now).NameKey
            .Should().Be(Partner.Create(Guid.NewGuid(), otherCase, PartnerTier.Gold, ["GR"], null, "admin", Now).NameKey);

    [Theory]
    [InlineData("\u216Dontoso Partners", "Contoso Partners")] // Ⅽ, a Roman numeral one hundred
    [InlineData("Fabrikam \u216Donsulting", "FABRIKAM CONSULTING")]
    [InlineData("\u2160nfo Co", "info co")] // Ⅰ, a Roman numeral one
    public void ANameWrittenWithRomanNumerals_HasTheKeyOfTheLettersTheyShow_StoredBeforeToo(string written, string shown)
    {
        Partner.Create(Guid.NewGuid(), written, PartnerTier.Gold, ["US"], null, "admin", Now).NameKey.Should().Be(Partner.KeyOf(shown));
        Partner.KeyOfStored(written).Should().Be(Partner.KeyOf(shown), "a name stored before is keyed again at the next start");
    }

    [Fact]
    public void ADottedCapitalI_StaysApartFromAPlainOne() =>
        Partner.KeyOf("\u0130stanbul Partners").Should().NotBe(Partner.KeyOf("Istanbul Partners"), "İ and I are two letters");

    [Fact]
    public void ANewPartnersAuditEntry_SaysWhatItWasCreatedWith()
    {
        var manager = Guid.NewGuid();

        var partner = Partner.Create(Guid.NewGuid(), "Audited Partners", PartnerTier.Silver, ["US", "CA"], manager, "admin", Now);

        partner.DomainEvents.Should().ContainSingle().Which.Summary
            .Should().Be($"Partner 'Audited Partners' created: Silver, Active, territories CA, US, channel manager {manager}.", "the first assignment is in the trail as every later one is");
    }

    [Theory]
    [InlineData("\u0D2B\u0D46\u0D21\u0D31\u0D32\u0D4D\u200D \u0D2C\u0D3E\u0D19\u0D4D\u0D15\u0D4D")] // a Malayalam chillu letter: virama and joiner at a word's end
    [InlineData("\u05D1\u05E0\u05E7 HSBC\u200E")] // a left-to-right mark ending a name that mixes directions
    [InlineData("\u200FHP \u05D9\u05E9\u05E8\u05D0\u05DC")]
    public void AName_WhoseJoinerOrMarkShapesOrPlacesIt_IsTaken(string name) =>
        Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "admin", Now).Name.Should().Be(name);

    [Fact]
    public void ANameStoredBeforeTheseRules_IsNotJudgedAgain_WhenSomethingElseChanges()
    {
        var partner = Partner.Create(Guid.NewGuid(), "Legacy Partner", PartnerTier.Gold, ["US"], null, "admin", Now);
        typeof(Partner).GetProperty(nameof(Partner.Name))!.SetValue(partner, "Legacy\u200B Partner");

        partner.Update(null, PartnerTier.Silver, null, null, PartnerStatus.Suspended, "admin", Now);
        partner.Update("Legacy\u200B Partner", PartnerTier.Silver, null, null, null, "admin", Now);

        (partner.Name, partner.Tier, partner.Status).Should().Be(("Legacy\u200B Partner", PartnerTier.Silver, PartnerStatus.Suspended));
        FluentActions.Invoking(() => partner.Update("Legacy\u200B Partners", null, null, null, null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid", "a new name meets the rules");
    }

    [Fact]
    public void AName_HoldingHalfASurrogatePair_IsRefused() =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), "Fabrikam " + '\uD800' + "Consulting", PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Theory]
    [InlineData("\uFF2Eorthwind Systems", "Northwind Systems")] // a full-width N
    [InlineData("\U0001D40Dorthwind Systems", "Northwind Systems")] // a mathematical bold N
    [InlineData("\u24C3orthwind Systems", "Northwind Systems")] // an enclosed N
    [InlineData("\u216Dontoso Partners", "Contoso Partners")] // a Roman numeral one hundred, which shows as a C
    [InlineData("\u216B Co Y", "XII Co Y")] // a Roman numeral twelve
    [InlineData("\u2170nfo Co", "info Co")] // a small Roman numeral one
    [InlineData("Keil \u00B5Vision Partners", "Keil \u00B5Vision Partners")] // a micro sign is no Greek letter here, and stays
    [InlineData("\u042F\u043D\u0434\u0435\u043A\u0441\u2122 \u041F\u0430\u0440\u0442\u043D\u0451\u0440", "\u042F\u043D\u0434\u0435\u043A\u0441\u2122 \u041F\u0430\u0440\u0442\u043D\u0451\u0440")] // a trade mark sign stays
    [InlineData("\u041C\u0430\u0433\u0430\u0437\u0438\u043D\u21165", "\u041C\u0430\u0433\u0430\u0437\u0438\u043D\u21165")]
    [InlineData("Cloud \u2601\uFE0F Partners", "Cloud \u2601\uFE0F Partners")] // an emoji in its emoji form
    [InlineData("Team 1\uFE0F\u20E3 Ltd", "Team 1\uFE0F\u20E3 Ltd")] // a keycap
    [InlineData("\u0641\u0646\u200C\u0622\u0648\u0631\u0627\u0646", "\u0641\u0646\u200C\u0622\u0648\u0631\u0627\u0646")] // a Persian name with a zero-width non-joiner between its letters
    [InlineData("\u0915\u094D\u200D\u0937 Solutions", "\u0915\u094D\u200D\u0937 Solutions")] // a Devanagari half form
    [InlineData("\u05D0\u05D1\u05D2\u200F 2000 Partners", "\u05D0\u05D1\u05D2\u200F 2000 Partners")] // a right-to-left mark after Hebrew
    [InlineData("Northwind \u200E\u0627\u0644\u0639\u0631\u0628\u064A\u0629", "Northwind \u200E\u0627\u0644\u0639\u0631\u0628\u064A\u0629")] // a left-to-right mark after a space
    [InlineData("Family \U0001F468\u200D\U0001F469\u200D\U0001F467 Partners", "Family \U0001F468\u200D\U0001F469\u200D\U0001F467 Partners")] // emoji joined into one
    [InlineData("\U0001F3F3\uFE0F\u200D\U0001F308 Partners", "\U0001F3F3\uFE0F\u200D\U0001F308 Partners")] // a flag: an emoji in its emoji form, joined
    [InlineData("\u2115orthwind Systems", "Northwind Systems")] // a letterlike N
    [InlineData("\uFB01ber Works", "fiber Works")] // an fi ligature
    [InlineData("\u0132ssel Group", "IJssel Group")] // a Dutch IJ digraph
    [InlineData("\u01C4 Partners", "D\u017D Partners")] // a DŽ digraph
    [InlineData("\u01C8ubljana Tech", "Ljubljana Tech")] // an Lj digraph
    [InlineData("\u013Flama Works", "L\u00B7lama Works")] // an L with a middle dot (before, kept as written: its dot is no letter)
    [InlineData("\u1D3Aorthwind Systems", "Northwind Systems")] // a modifier capital N
    [InlineData("Acme\u00B2 Labs", "Acme\u00B2 Labs")] // a superscript two is no letter, and stays
    [InlineData("Stra\u00DFe Partners", "Stra\u00DFe Partners")] // a sharp s is a letter of its own, and stays
    [InlineData("\u845B\U000E0100\u98FE\u5546\u4E8B", "\u845B\U000E0100\u98FE\u5546\u4E8B")] // a kanji's variant glyph
    [InlineData("\u0412\u0415\u041A\u0422\u041E\u0420 Group", "\u0412\u0415\u041A\u0422\u041E\u0420 Group")] // a Cyrillic word beside a Latin one: each word in one alphabet
    [InlineData("NTT\u30C9\u30B3\u30E2 Partners", "NTT\u30C9\u30B3\u30E2 Partners")] // Latin and kana in one word: no kana passes for Latin
    public void AName_IsStoredInItsCompatibilityForm(string written, string stored) =>
        Partner.Create(Guid.NewGuid(), written, PartnerTier.Gold, ["US"], null, "admin", Now).Name.Should().Be(stored);

    [Fact]
    public void AName_ThatFoldsToFewerThanTwoCharacters_IsRefused() =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), "\u00A0X\u00A0", PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Fact]
    public void AnOverlongName_IsRefused_EvenWhereItsMaximumFallsOnASpace() =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), new string('p', Partner.MaximumNameLength) + " extra words", PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Fact]
    public void ANameOfTheMaximumLength_WithTrailingSpaces_IsTaken() =>
        Partner.Create(Guid.NewGuid(), new string('p', Partner.MaximumNameLength) + "   ", PartnerTier.Gold, ["US"], null, "admin", Now)
            .Name.Should().HaveLength(Partner.MaximumNameLength);
}
