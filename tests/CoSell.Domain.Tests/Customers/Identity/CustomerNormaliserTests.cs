using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed class CustomerNormaliserTests
{
    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;

    [Theory]
    [InlineData("ACME Corp.", "Acme Corporation")]
    [InlineData("Société Générale S.A.", "Societe Generale")]
    [InlineData("The Boeing Company", "Boeing")]
    [InlineData("Procter & Gamble Co.", "Procter and Gamble")]
    [InlineData("Siemens Aktiengesellschaft", "SIEMENS AG")]
    [InlineData("Volkswagen GmbH & Co. KG", "Volkswagen")]
    [InlineData("Merck & Co., Inc.", "Merck")]
    [InlineData("Telstra Corporation Pty Ltd", "Telstra")]
    [InlineData("DBS Bank Pte. Ltd.", "DBS Bank")]
    [InlineData("Petronas Dagangan Sdn. Bhd.", "Petronas Dagangan")]
    [InlineData("Grupo Bimbo, S.A.B. de C.V.", "Grupo Bimbo")]
    [InlineData("Enel S.p.A.", "ENEL SPA")]
    [InlineData("Ørsted A/S", "Orsted")]
    [InlineData("Nokia Oyj", "Nokia")]
    [InlineData("AB Volvo (publ)", "Volvo")]
    [InlineData("Kabushiki Kaisha Toshiba", "Toshiba K.K.")]
    [InlineData("Asseco Poland Spółka Akcyjna", "Asseco Poland S.A.")]
    [InlineData("Allegro sp. z o.o.", "Allegro")]
    [InlineData("Škoda Auto a.s.", "Skoda Auto")]
    [InlineData("Kofola s. r. o.", "Kofola")]
    [InlineData("OOO Romashka", "Romashka LLC")]
    [InlineData("PT Telkom Indonesia Tbk", "Telkom Indonesia")]
    [InlineData("Natura Cosméticos Ltda.", "Natura Cosmeticos")]
    [InlineData("Le Groupe Vidéotron Ltée", "Groupe Videotron Ltee")]
    [InlineData("KBC Groep NV", "KBC Group")]
    [InlineData("AT&T Inc.", "AT & T Corp.")]
    [InlineData("Bank of America, N.A.", "Bank of America Corp")]
    [InlineData("Marsh & McLennan Companies, Inc.", "Marsh and McLennan")]
    [InlineData("I.B.M.", "IBM")]
    [InlineData("H & M Hennes & Mauritz AB", "H&M Hennes & Mauritz")]
    [InlineData("Coca-Cola", "Coca Cola")]
    [InlineData("Acme Intl. Tech Svcs", "ACME International Technologies Services")]
    [InlineData("McDonald's Corporation", "McDonalds")]
    [InlineData("Amazon.com, Inc.", "Amazon")]
    [InlineData("Ｔｏｙｏｔａ", "Toyota")]
    // Luxembourg's S.à r.l., Austria's Ges.m.b.H., a KG written without spaces, a German sole trader, the full Limitada.
    [InlineData("Zorblax S.à r.l.", "Zorblax SARL")]
    [InlineData("Ardenne Finance S.à r.l.", "Ardenne Finance SA")]
    [InlineData("Kappa Stahl Ges.m.b.H.", "Kappa Stahl GmbH")]
    [InlineData("Kappa Stahl GesmbH", "Kappa Stahl")]
    [InlineData("Quorvex GmbH&Co.KG", "Quorvex GmbH & Co. KG")]
    [InlineData("Quorvex GmbH & Co.KG", "Quorvex")]
    [InlineData("Holzbau Meier e.Kfm.", "Holzbau Meier")]
    [InlineData("Holzbau Meier e.Kfr.", "Holzbau Meier")]
    [InlineData("Natura Cosméticos Limitada", "Natura Cosmeticos Ltda.")]
    // Forms that stayed in the key before: Finland's Oyj Abp, a German charity's gGmbH, a partnership's PartG mbB, Denmark's
    // K/S and IVS, Poland's sp.k. and sp.j., Belgium's ASBL and VZW, South Africa's Proprietary Limited, a Portuguese
    // single-member Lda; and Saint and Mount written short.
    [InlineData("Wärtsilä Oyj Abp", "Wärtsilä Oyj")]
    [InlineData("Lebenshilfe Werkstätten gGmbH", "Lebenshilfe Werkstätten GmbH")]
    [InlineData("Kanzlei Roth PartG mbB", "Kanzlei Roth")]
    [InlineData("Maersk K/S", "Mærsk A/S")]
    [InlineData("Nordlys IVS", "Nordlys ApS")]
    [InlineData("Kowalski Sp. k.", "Kowalski sp. z o.o.")]
    [InlineData("Nowak Sp.j.", "Nowak")]
    [InlineData("Les Amis du Rail ASBL", "Les Amis du Rail VZW")]
    [InlineData("Khumalo Mining Proprietary Limited", "Khumalo Mining (Pty) Ltd")]
    [InlineData("Sousa Unipessoal Lda", "Sousa Lda")]
    [InlineData("St. Gobain", "Saint-Gobain")]
    [InlineData("Mt. Sinai Hospital", "Mount Sinai Hospital")]
    public void NameKey_IsTheSameForVariantsOfOneName(string a, string b) =>
        _normaliser.NameKey(a).Should().Be(_normaliser.NameKey(b));

    [Theory]
    // Ek is a Swedish surname as often as e.K. is a German sole trader's mark: a name keeps it.
    [InlineData("Andersson & Ek AB", "Andersson AB")]
    [InlineData("Bygg Ek AB", "Bygg AB")]
    // Nor does e.K.: written with its dots it reads as the initials E.K. do elsewhere in a name (E.K. Logistics, EK Logistics).
    [InlineData("Holzbau Meier e.K.", "Holzbau Meier")]
    // A Finnish Abp follows an Oyj; alone it is a name (the Dutch pension fund ABP), as a German gAG would be a running gag.
    [InlineData("Stichting Pensioenfonds ABP", "Stichting Pensioenfonds")]
    [InlineData("Running Gag GmbH", "Running AG")]
    public void NameKey_KeepsAWordThatIsALegalFormOnlySometimes(string a, string b) =>
        _normaliser.NameKey(a).Should().NotBe(_normaliser.NameKey(b));

    [Theory]
    [InlineData("ACME Corp.", "acme")]
    [InlineData("Société Générale S.A.", "societe generale")]
    [InlineData("AT&T Inc.", "att")]
    [InlineData("Johnson & Johnson", "johnson and johnson")]
    [InlineData("Delta Air Lines, Inc.", "delta air lines")]
    [InlineData("Apple Leisure Group", "apple leisure group")]
    [InlineData("3 M Company", "3m")]
    [InlineData("Müller GmbH", "muller")]
    [InlineData("Straße & Söhne KG", "strasse and sohne")]
    [InlineData("Crédit Agricole", "credit agricole")]
    [InlineData("Đà Nẵng Port", "da nang port")]
    // A symbol that stands for letters or digits is read as them.
    [InlineData("Lager №1", "lager no1")]
    // The words of a parenthetical inside a name, or of one that is the whole name, stay; a bracket alone is nothing.
    [InlineData("ABC (Asia) Holdings", "abc asia holdings")]
    [InlineData("(Acme)", "acme")]
    [InlineData("The (Acme)", "acme")]
    [InlineData("Acme (USA", "acme usa")]
    [InlineData("Acme Corp)", "acme")]
    [InlineData("① Logistics", "1 logistics")]
    public void NameKey_FoldsCasePunctuationAndDiacritics(string name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("ПАО «Газпром»", "gazprom")]
    [InlineData("ООО Ромашка", "romashka")]
    [InlineData("Яндекс", "yandeks")]
    [InlineData("Ελληνικά Πετρέλαια Α.Ε.", "ellinika petrelaia")]
    [InlineData("トヨタ自動車株式会社", "toyota zi dong che")]
    [InlineData("(株)ＮＴＴドコモ", "ntt dokomo")]
    // The enclosed and full-width spellings of the legal form reach "(株)" only through compatibility normalisation (NFKD, ICU).
    [InlineData("㈱ＮＴＴドコモ", "ntt dokomo")]
    [InlineData("（株）ＮＴＴドコモ", "ntt dokomo")]
    [InlineData("㈜삼성전자", "samseongjeonja")]
    [InlineData("华为技术有限公司", "hua wei ji shu")]
    [InlineData("三菱UFJ銀行", "san ling ufj yin xing")]
    [InlineData("阿里巴巴集团控股有限公司", "a li ba ba group holdings")]
    [InlineData("삼성전자 주식회사", "samseongjeonja")]
    [InlineData("טבע תעשיות פרמצבטיות בע\"מ", "tv tsyvt frmtsvtyvt")]
    public void NameKey_TransliteratesOtherScripts(string name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("Gazprom", "Газпром")]
    [InlineData("Sberbank", "Сбербанк")]
    [InlineData("ニンテンドー", "ニンテンドー株式会社")]
    [InlineData("华为技术", "华为技术有限公司")]
    public void NameKey_MatchesTheSameNameWrittenInItsOwnScript(string a, string b) =>
        _normaliser.NameKey(a).Should().Be(_normaliser.NameKey(b));

    [Theory]
    [InlineData("Inc.", "inc")]
    [InlineData("The Company", "company")]
    [InlineData("Ltd", "ltd")]
    [InlineData("S.A.", "sa")]
    [InlineData("The Limited", "limited")]
    public void NameKey_OfANameThatIsOnlyLegalFormsKeepsAWord(string name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("Apple Inc", "Apple Leisure Group")]
    [InlineData("Delta Air Lines", "Delta Dental")]
    [InlineData("Deutsche Bank", "Deutsche Bahn")]
    [InlineData("Virgin Group", "Virgin")]
    public void NameKey_KeepsWordsThatTellCompaniesApart(string a, string b) =>
        _normaliser.NameKey(a).Should().NotBe(_normaliser.NameKey(b));

    [Fact]
    public void NameKey_OfAVeryLongNameIsBounded()
    {
        var name = string.Concat(Enumerable.Repeat("Acme Widgets ", 800)) + "Inc.";

        var key = _normaliser.NameKey(name);

        name.Length.Should().BeGreaterThan(10_000);
        key.Length.Should().BeLessThanOrEqualTo(CustomerNormaliser.MaximumKeyLength);
        key.Should().StartWith("acme widgets acme widgets");
    }

    [Fact]
    public void NameKey_OfAVeryLongNameInAnotherScriptIsBounded()
    {
        var key = _normaliser.NameKey(new string('株', 10_000) + string.Concat(Enumerable.Repeat("😀", 5_000)));

        key.Length.Should().BeLessThanOrEqualTo(CustomerNormaliser.MaximumKeyLength);
        key.Should().MatchRegex("^[a-z0-9 ]*$");
    }

    [Theory]
    [InlineData("Acme\u0000\u0007 Corp\r\n", "acme")]
    [InlineData("Ac\u00ADme\u200B Ltd", "acme")]
    [InlineData("\u202EAcme\u202C Inc", "acme")]
    [InlineData("Acme\uD800 Tools", "acme tools")]
    [InlineData("Acme\uDC00\uD800", "acme")]
    // Invisible characters outside the Basic Multilingual Plane: tag letters (which transliteration would read as the
    // letters they tag), a musical formatting character; a private-use one is a space.
    [InlineData("Initrode824\U000E0041 Corporation", "initrode824")]
    [InlineData("Initrode824\U0001D173 Corporation", "initrode824")]
    [InlineData("Acme\U000F0000Tools", "acme tools")]
    [InlineData("\t\t", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("!!! ???", "")]
    public void NameKey_IsSafeWithControlFormatAndBrokenCharacters(string? name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("ACME Corp (USA)", "Acme Corporation")]
    [InlineData("Acme GmbH (Germany)", "Acme GmbH")]
    [InlineData("Acme Ltd [UK]", "Acme")]
    [InlineData("Siemens (China) Co., Ltd.", "Siemens")]
    [InlineData("Acme Inc. (formerly Apex Widgets)", "Acme")]
    [InlineData("Acme Corp (Medical Division) (Boston)", "Acme")]
    [InlineData("三菱商事（日本）株式会社", "三菱商事")]
    public void NameKey_LeavesOutAParentheticalThatClosesTheName_AndTheLegalFormBeforeIt(string a, string b) =>
        _normaliser.NameKey(a).Should().Be(_normaliser.NameKey(b));

    [Theory]
    [InlineData("Acme™", "acme")]
    [InlineData("LEGO®", "lego")]
    [InlineData("Acme©", "acme")]
    [InlineData("Acme℠", "acme")]
    [InlineData("Globex™ Corporation", "globex")]
    [InlineData("Acme™Widgets", "acme widgets")]
    [InlineData("Acme\U0001F16A", "acme")] // the raised MC sign
    [InlineData("Acme ℗ Records", "acme records")]
    [InlineData("Acme 😀 Tools ★", "acme tools")]
    public void NameKey_LeavesOutSignsThatAreNoPartOfTheName(string name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("Lukoil ЛУКОЙЛ", "lukoil lukoyl")]
    [InlineData("Sony ソニー", "sony soni")]
    [InlineData("Αlpha Bank", "alpha bank")] // the first letter is Greek
    [InlineData("Аcme Corp", "acme")] // the first letter is Cyrillic
    [InlineData("Аcme Сorporation", "acme")] // Cyrillic А and С among Latin letters
    [InlineData("PНC715 Holdings", "phc715 holdings")] // a Cyrillic Н between Latin letters
    [InlineData("\u13AAcme Corporation", "acme")] // a Cherokee Ꭺ
    [InlineData("Ac\u0585rn Foods", "acorn foods")] // an Armenian օ
    [InlineData("\uA4EEcme \uA4DAorp", "acme")] // Lisu ꓮ and ꓚ
    [InlineData("Ac\u2C9Frn Foods", "acorn foods")] // a Coptic ⲟ
    [InlineData("\u15C5cme Tools", "acme tools")] // a Canadian Syllabics ᗅ
    [InlineData("ΑΒΓ Holdings", "avg holdings")] // a Greek word is read by sound
    // A word wholly in Cyrillic is read by sound, whatever Latin words stand beside it, even when all its letters look Latin.
    [InlineData("Сахар", "sakhar")]
    [InlineData("Сахар LLC", "sakhar")]
    [InlineData("ВЕКТОР Group", "vektor group")]
    [InlineData("МТС Bank", "mts bank")]
    public void NameKey_HandlesMixedScripts(string name, string key) =>
        _normaliser.NameKey(name).Should().Be(key);

    [Theory]
    [InlineData("https://www.shop.acme.co.uk/path", "acme.co.uk")]
    [InlineData("jane@acme.com", "acme.com")]
    [InlineData("ACME.COM", "acme.com")]
    [InlineData("gmail.com", null)]
    [InlineData("jane.doe@gmail.com", null)]
    [InlineData("someone@yahoo.co.uk", null)]
    [InlineData("x@web.de", null)]
    [InlineData("x@qq.com", null)]
    [InlineData("https://192.168.0.1/", null)]
    [InlineData("not a domain", null)]
    [InlineData("co.uk", null)]
    [InlineData(null, null)]
    // A platform's own address, or a mailbox there, is the platform company's domain; a company's own pages are its own.
    [InlineData("facebook.com", "facebook.com")]
    [InlineData("https://www.facebook.com/", "facebook.com")]
    [InlineData("https://facebook.com/#about", "facebook.com")]
    [InlineData("https://www.facebook.com//?", "facebook.com")]
    [InlineData("jane@facebook.com", "facebook.com")]
    [InlineData("https://www.google.de", "google.de")]
    [InlineData("https://www.apple.com/iphone", "apple.com")]
    [InlineData("https://acme.github.io/docs", "acme.github.io")]
    [InlineData("wordpress.com", "wordpress.com")]
    [InlineData("onmicrosoft.com", "onmicrosoft.com")]
    [InlineData("https://www.salesforce.com/products", "salesforce.com")]
    [InlineData("jane@sharepoint.com", "sharepoint.com")]
    // Before, a free-mail service on a host under its company's domain was read as that domain: every mailbox at
    // i.softbank.jp matched every other as "same registrable domain softbank.jp". The company's own domain stays its own.
    [InlineData("taro@i.softbank.jp", null)]
    [InlineData("i.softbank.jp", null)]
    [InlineData("https://www.softbank.jp/mobile", "softbank.jp")]
    [InlineData("jiro@softbank.jp", "softbank.jp")]
    [InlineData("https://www.microsoft.com/dynamics-365", "microsoft.com")]
    [InlineData("dynamics.com", "dynamics.com")]
    public void RegistrableDomain_IsTheCompanysDomainOrNull(string? input, string? expected) =>
        _normaliser.RegistrableDomain(input).Should().Be(expected);

    [Theory]
    [InlineData("https://www.facebook.com/baeckerei.schmidt")]
    [InlineData("https://facebook.com/metzgerei.mueller")]
    [InlineData("facebook.com/anything")]
    [InlineData("m.facebook.com/profile.php?id=1000123")]
    [InlineData("https://www.facebook.com?id=1000123")]
    [InlineData("https://jane@www.facebook.com:443/acme")]
    [InlineData("https://www.facebook.com\\acme")]
    [InlineData("https://sites.google.com/view/x")]
    [InlineData("https://www.google.de/maps/place/Acme")]
    [InlineData("https://www.linkedin.com/company/acme/")]
    [InlineData("https://x.com/acme")]
    [InlineData("twitter.com/acme")]
    [InlineData("https://www.instagram.com/acme")]
    [InlineData("https://www.youtube.com/@acme")]
    [InlineData("https://www.tiktok.com/@acme")]
    [InlineData("https://github.com/acme")]
    [InlineData("https://medium.com/@acme")]
    [InlineData("https://apps.apple.com/app/acme/id123")]
    [InlineData("https://www.amazon.co.uk/stores/Acme/page/1")]
    [InlineData("https://acme.wordpress.com")]
    [InlineData("acme.substack.com/p/launch")]
    [InlineData("https://bit.ly/3acme")]
    // A cloud service's tenant, a mailbox there too (before, every tenant was the service's one domain, and two unrelated
    // companies on Microsoft 365 matched by it).
    [InlineData("office@contosodental.onmicrosoft.com")]
    [InlineData("fabrikamplumbing.onmicrosoft.com")]
    [InlineData("https://harborvet.sharepoint.com/sites/intranet")]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("acme.lightning.force.com")]
    [InlineData("https://acme.atlassian.net/wiki")]
    [InlineData("support@acme.zendesk.com")]
    [InlineData("https://northwind.crm.dynamics.com")]
    [InlineData("https://tailwind.crm4.dynamics.com/main.aspx")]
    public void RegistrableDomain_OfAPageOrSiteOnASharedPlatform_IsNull(string input) =>
        _normaliser.RegistrableDomain(input).Should().BeNull();

    [Fact]
    public void ACustomerGivenAPageOnASharedPlatform_KeepsNoDomain()
    {
        var customer = Customer.Create("Bäckerei Schmidt", "https://www.facebook.com/baeckerei.schmidt", "DE", null);

        customer.Domain.Should().BeNull();
        _normaliser.Normalise(customer).RegistrableDomain.Should().BeNull();
    }

    [Theory]
    [InlineData("123456789", "123456789")]
    [InlineData("12-345-6789", "123456789")]
    [InlineData("000000000", null)]
    [InlineData("999-999-999", null)]
    [InlineData("12345678", null)]
    [InlineData("1234567890", null)]
    [InlineData("12345678X", null)]
    [InlineData("123 456 789", "123456789")]
    [InlineData("12.345.6789", null)]
    [InlineData(null, null)]
    public void DunsDigits_AreNineDigitsOrNull(string? input, string? expected) =>
        CustomerNormaliser.DunsDigits(input).Should().Be(expected);

    [Theory]
    [InlineData("123456789")]
    [InlineData("12-345-6789")]
    [InlineData(" 123 456 789 ")]
    [InlineData("12.345.6789")]
    [InlineData("12/345/6789")]
    [InlineData("12_345_6789")]
    [InlineData("１２３４５６７８９")]
    [InlineData("12345678")]
    public void DunsDigits_ReadADunsNumberExactlyAsARegistrationDoes(string input)
    {
        var registered = FluentActions.Invoking(() => Duns.From(input));
        var listed = CustomerNormaliser.DunsDigits(input);

        if (listed is null)
        {
            registered.Should().Throw<CoSell.Domain.SeedWork.DomainValidationException>();
        }
        else
        {
            registered().Value.Should().Be(listed);
        }
    }

    [Fact]
    public void Normalise_OfACustomerKeepsItsIdentifiers()
    {
        var customer = Customer.Create("ACME Corp.", "https://www.shop.acme.co.uk/path", "gb", "12-345-6789");

        var normalised = _normaliser.Normalise(customer);

        normalised.Should().Be(new NormalisedCustomer("acme", "acme.co.uk", "123456789", "GB"));
        normalised.NameTokens.Should().Equal("acme");
    }

    [Fact]
    public void Normalise_OfRawInputIsLenient()
    {
        var normalised = _normaliser.Normalise("Acme Widgets Ltd", "jane@gmail.com", "XX", "n/a");

        normalised.Should().Be(new NormalisedCustomer("acme widgets", null, null, null));
        normalised.NameTokens.Should().Equal("acme", "widgets");
    }

    [Fact]
    public void NormalisedCustomer_RejectsAKeyTheNormaliserCouldNotHaveMade()
    {
        var act = () => new NormalisedCustomer("Acme  Corp", null, null, "US");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void TwoLongNamesThatDifferOnlyPastTheCut_ShareTheIndexKey_ButNotTheWholeKey()
    {
        var first = new string('中', 70) + "一号";
        var second = new string('中', 70) + "二号";

        _normaliser.NameKey(first).Should().Be(_normaliser.NameKey(second), "the claims index's key is cut at 200 characters");
        _normaliser.WholeNameKey(first).Length.Should().BeGreaterThan(CustomerNormaliser.MaximumKeyLength);
        _normaliser.WholeNameKey(first).Should().NotBe(_normaliser.WholeNameKey(second)).And.StartWith(_normaliser.NameKey(first));
    }
}
