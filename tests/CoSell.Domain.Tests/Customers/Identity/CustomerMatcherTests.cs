using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Domain.Rules;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed class CustomerMatcherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Northwind = Guid.Parse("a1000000-0000-0000-0000-000000000001");
    private static readonly Guid Fabrikam = Guid.Parse("a1000000-0000-0000-0000-000000000002");

    private readonly CustomerNormaliser _normaliser = TestTransliterator.Normaliser;
    private readonly ClaimsIndex _index = new();
    private readonly CustomerMatcher _matcher;

    public CustomerMatcherTests() => _matcher = new CustomerMatcher(_index);

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Match_OnTheSameDomain_IsLikelyAndSaysSo()
    {
        var claim = Claim("Acme Corporation", "acme.com", "US", products: ["Security"], status: "approved",
            claimedAt: Now.AddDays(-12), protectedUntil: new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));

        var result = Check("ACME Corp.", "https://www.acme.com/contact", "US", products: ["Security"]);

        result.Verdict.Should().Be(DuplicateVerdict.Likely);
        var match = result.Matches.Should().ContainSingle().Subject;
        match.ClaimId.Should().Be(claim.ClaimId);
        match.Kind.Should().Be(ClaimKind.Registration);
        match.PartnerId.Should().Be(Northwind);
        match.Reasons.Should().Equal(
            "same registrable domain acme.com",
            "names 1.00 alike: 'acme' / 'acme'",
            "same country US",
            "same product line: Security",
            "approved 12 days ago, protected until 2027-02-01");
    }

    [Theory]
    [InlineData("Acme Corporation", "acme.com", "ACME Corp.", "https://www.acme.com/contact")]
    [InlineData("Société Générale S.A.", null, "Societe Generale", null)]
    [InlineData("Northwind Traders", null, "Nortwind Traders", null)]
    public void TwoCustomersThatMatch_ShareAKey_SoTheClaimGateSeesThemCollide(string name, string? domain, string otherName, string? otherDomain)
    {
        Claim(name, domain, domain is null ? "FR" : "US");
        Check(otherName, otherDomain, domain is null ? "FR" : "US").Verdict.Should().NotBe(DuplicateVerdict.Clear);

        var keys = _index.KeysOf(_normaliser.Normalise(name, domain, domain is null ? "FR" : "US", null));
        var otherKeys = _index.KeysOf(_normaliser.Normalise(otherName, otherDomain, domain is null ? "FR" : "US", null));

        keys.Intersect(otherKeys).Should().NotBeEmpty();
    }

    [Fact]
    public void TwoUnrelatedCustomers_ShareNoKey()
    {
        var keys = _index.KeysOf(_normaliser.Normalise("Contoso Pharmaceuticals", "contoso.com", "US", null));
        var otherKeys = _index.KeysOf(_normaliser.Normalise("Fabrikam Logistics", "fabrikam.com", "US", null));

        keys.Intersect(otherKeys).Should().BeEmpty();
    }

    [Fact]
    public void Match_OnTheSameDuns_IsLikelyEvenAcrossNamesAndCountries()
    {
        Claim("International Business Machines Corporation", null, "US", duns: "001368083");

        var result = Check("IBM Deutschland GmbH", null, "DE", duns: "00-136-8083");

        result.Verdict.Should().Be(DuplicateVerdict.Likely);
        result.Matches.Single().Reasons.Should().Contain("same DUNS 001368083").And.Contain("different countries: DE / US");
    }

    [Fact]
    public void Match_OnAFuzzyNameInTheSameCountry_IsLikely()
    {
        Claim("Société Générale S.A.", null, "FR");

        var result = Check("Societe Generale", null, "FR");

        result.Verdict.Should().Be(DuplicateVerdict.Likely);
        result.Matches.Single().Reasons.Should().Contain("names 1.00 alike: 'societe generale' / 'societe generale'");
    }

    [Theory]
    [InlineData("Deloitte LLP", "Deloite")]
    [InlineData("Microsoft Corporation", "Mircosoft Corp")]
    [InlineData("Broadcom Inc.", "Broadcomm")]
    [InlineData("Müller Holding GmbH & Co. KG", "Mueller Holding GmbH")]
    public void Match_FindsAOneWordNameWithATypo(string claimed, string checkedName)
    {
        Claim(claimed, null, "US");

        Check(checkedName, null, "US").Verdict.Should().Be(DuplicateVerdict.Likely);
    }

    // Before, these scored 1.00 alike read against each other, but shared no key: the letters key drops a word's plural
    // "s" and a weak word, which the run-together name the scorer compares keeps, so a check never read the claim.
    [Theory]
    [InlineData("Wells Fargo", "WellsFargo")]
    [InlineData("WellsFargo", "Wells Fargo")]
    [InlineData("Rolls Royce", "RollsRoyce")]
    [InlineData("Charles Schwab", "CharlesSchwab")]
    [InlineData("Acme Group", "AcmeGroup")]
    [InlineData("AcmeGroup", "Acme Group")]
    [InlineData("Wells Fargo Bank", "WellsFargo Bank")]
    [InlineData("WellsFargo Bank", "Wells Fargo Bank")]
    [InlineData("Coca Cola", "CocaCola")]
    public void Match_FindsANameWrittenWithOtherSpacing_AsAScanOfEveryClaimDoes(string claimed, string checkedName)
    {
        Claim(claimed, null, "US");

        var found = Check(checkedName, null, "US");

        found.Verdict.Should().Be(DuplicateVerdict.Likely);
        found.Score.Should().Be(_matcher.ScanAll(new MatchQuery(_normaliser.Normalise(checkedName, null, "US", null), [], Now), MatchThresholds.Default).Score);
        _index.KeysOf(_normaliser.Normalise(claimed, null, "US", null)).Intersect(_index.KeysOf(_normaliser.Normalise(checkedName, null, "US", null)))
            .Should().NotBeEmpty("two submissions of the customer wait for each other (ADR 0012)");
    }

    [Fact]
    public void Match_FindsANameThatSharesTwoWordsThatAreNotNeighbours()
    {
        Claim("Royal Industries Inc.", null, "US");

        Check("Royal Jizitcheo Industries", null, "US").Verdict.Should().Be(DuplicateVerdict.Possible);
    }

    [Fact]
    public void Match_InACrowdedIndex_StillFindsAClaimOnOneOfItsWordsAndPluralVariants()
    {
        for (var i = 0; i < 300; i++)
        {
            Claim($"Delta Brand{i} Logistics", null, "US"); // "delta" and "logistics" are now common words
        }

        var delta = Claim("Delta", null, "US");
        var summit = Claim("Summit Logistic Group", null, "US");

        Check("Delta Dental", null, "US").Matches.Select(m => m.ClaimId).Should().Contain(delta.ClaimId);
        Check("Summit Logistics", null, "US").Matches.Select(m => m.ClaimId).Should().Equal(summit.ClaimId);
    }

    [Fact]
    public void Index_KeepsEachClaimInAFewHundredBytes()
    {
        _index.Load(Enumerable.Range(0, 10_000).Select(i => new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Northwind,
            _normaliser.Normalise($"Company {i} Logistics", $"company{i}.com", "US", null), ["Cloud"], "approved", Now, null)));

        (_index.ApproximateSizeInBytes / 10_000).Should().BeLessThan(500, "a million claims must fit in a few hundred megabytes");
    }

    [Fact]
    public void Match_OnTheSameNameInAnotherCountry_IsClear()
    {
        Claim("Summit Consulting Ltd", null, "GB");

        Check("Summit Consulting LLC", null, "US").Verdict.Should().Be(DuplicateVerdict.Clear);
    }

    [Fact]
    public void Match_OnTheSameNameAcrossCountries_IsLikelyWhenTheDomainAgrees()
    {
        Claim("Summit Consulting Ltd", "summitconsulting.com", "GB");

        Check("Summit Consulting LLC", "jane@summitconsulting.com", "US").Verdict.Should().Be(DuplicateVerdict.Likely);
    }

    [Fact]
    public void Match_OnTheSameDomainNameUnderAnotherSuffix_InAnotherCountry_IsPossibleAndSaysWhy()
    {
        var claim = Claim("Acme GmbH", "acme.de", "DE");

        var result = Check("Acme Inc.", "https://www.acme.com", "US");

        result.Verdict.Should().Be(DuplicateVerdict.Possible);
        result.Score.Should().Be(0.75, "1 − (1 − 0.50) × (1 − 1.00 × 0.5): the domains' name, and the names at half weight across countries");
        result.Matches.Should().ContainSingle().Which.ClaimId.Should().Be(claim.ClaimId);
        result.Matches[0].Reasons.Should().Equal(
            "web domains with the same name: acme.com / acme.de",
            "names 1.00 alike: 'acme' / 'acme'",
            "different countries: US / DE",
            "submitted today");
    }

    [Fact]
    public void TwoCustomersWhoseDomainsHaveTheSameName_ShareAKey_InAnyCountry()
    {
        var keys = _index.KeysOf(_normaliser.Normalise("Acme GmbH", "acme.de", "DE", null));
        var otherKeys = _index.KeysOf(_normaliser.Normalise("Acme Inc.", "shop.acme.co.uk", "GB", null));

        keys.Intersect(otherKeys).Should().NotBeEmpty();
    }

    [Fact]
    public void Match_OnDomainsWithTheSameName_AgreesWithAFullScan()
    {
        string[] suffixes = ["de", "co.uk", "fr", "co.jp"];
        for (var i = 0; i < 400; i++)
        {
            Claim($"Brand{i % 40} {(i % 3 == 0 ? "Holdings" : "Trading")}", $"brand{i % 40}.{suffixes[i % 4]}", "DE");
        }

        for (var q = 0; q < 40; q++)
        {
            var query = new MatchQuery(_normaliser.Normalise($"Brand{q} Trading", $"brand{q}.com", "US", null), [], Now);

            var indexed = _matcher.Match(query, MatchThresholds.Default);
            var scanned = _matcher.ScanAll(query, MatchThresholds.Default);

            indexed.Verdict.Should().Be(DuplicateVerdict.Possible, "the same name in another country, under a domain of the same name");
            indexed.Verdict.Should().Be(scanned.Verdict);
            indexed.Score.Should().Be(scanned.Score);
        }
    }

    [Theory]
    [InlineData("International Business Machines Corporation", "IBM")]
    [InlineData("IBM", "International Business Machines Corp.")]
    [InlineData("Bank of America, N.A.", "BoA")]
    [InlineData("BA", "Bank of America")]
    public void Match_OnAnAcronymOfTheOtherNamesInitials_IsPossible_AndTheTwoShareAKey(string claimed, string checkedName)
    {
        var claim = Claim(claimed, null, "US");

        var result = Check(checkedName, null, "US");

        result.Verdict.Should().Be(DuplicateVerdict.Possible);
        result.Score.Should().Be(NameSimilarity.AcronymScore);
        result.Matches.Should().ContainSingle().Which.ClaimId.Should().Be(claim.ClaimId);
        _index.KeysOf(_normaliser.Normalise(claimed, null, "US", null)).Intersect(_index.KeysOf(_normaliser.Normalise(checkedName, null, "US", null)))
            .Should().NotBeEmpty("two customers that can match share a key");
    }

    [Fact]
    public void Match_OnAcronyms_AgreesWithAFullScan()
    {
        string[] first = ["alpha", "bravo", "charlie", "delta", "echo"];
        string[] second = ["mining", "networks", "optics", "power", "quartz"];
        string[] third = ["holdings", "research", "systems", "trading", "utilities"];
        foreach (var a in first)
        {
            foreach (var b in second)
            {
                foreach (var c in third)
                {
                    Claim($"{a} {b} {c}", null, "US");
                    Claim($"{a}{b}{c}", null, "US");
                }
            }
        }

        foreach (var a in first)
        {
            var query = new MatchQuery(_normaliser.Normalise($"{a[0]}{second[1][0]}{third[2][0]}", null, "US", null), [], Now);

            var indexed = _matcher.Match(query, MatchThresholds.Default);
            var scanned = _matcher.ScanAll(query, MatchThresholds.Default);

            indexed.Verdict.Should().Be(DuplicateVerdict.Possible);
            indexed.Matches.Select(m => m.ClaimId).Should().BeEquivalentTo(scanned.Matches.Select(m => m.ClaimId));
        }
    }

    [Fact]
    public void Match_OnLookAlikeNames_IsNotLikely()
    {
        Claim("Delta Air Lines, Inc.", "delta.com", "US");
        Claim("Apple Leisure Group", "appleleisuregroup.com", "US");

        Check("Delta Dental of California", "deltadentalins.com", "US").Verdict.Should().Be(DuplicateVerdict.Clear);
        Check("Apple Inc.", "apple.com", "US").Verdict.Should().NotBe(DuplicateVerdict.Likely);
    }

    [Fact]
    public void Match_OnTheSameNameWithDifferentDuns_IsOnlyPossible()
    {
        Claim("Smith & Sons Ltd", null, "GB", duns: "150483782");

        var result = Check("Smith and Sons Limited", null, "GB", duns: "987654321");

        result.Verdict.Should().Be(DuplicateVerdict.Possible);
        result.Matches.Single().Reasons.Should().Contain("different DUNS: 987654321 / 150483782");
    }

    [Fact]
    public void Match_OnAPlaceholderDunsStoredBeforeTheyWereRefused_FindsNoOtherCompany()
    {
        var stored = new StoredCustomer("Northern Lights Bakery", null, "000000000", "US");
        _index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Northwind, _normaliser.Normalise(stored), [], "submitted", Now, null));

        var result = _matcher.Match(new MatchQuery(_normaliser.Normalise(new StoredCustomer("Harbour Freight Logistics", null, "000000000", "US")), [], Now), MatchThresholds.Default);

        result.Verdict.Should().Be(DuplicateVerdict.Clear, "the same placeholder says nothing about two companies");
    }

    [Fact]
    public void Match_IgnoresFreeMailDomains()
    {
        Claim("Acme Plumbing", "jane@gmail.com", "US");

        var result = Check("Bolt Electrical", "joe@gmail.com", "US");

        result.Verdict.Should().Be(DuplicateVerdict.Clear);
    }

    [Fact]
    public void Match_CanLeaveOutTheClaimItselfAndThePartnersOwnClaims()
    {
        var own = Claim("Acme Corporation", "acme.com", "US", partner: Northwind);
        var rival = Claim("Acme Corp", "acme.com", "US", partner: Fabrikam);
        var customer = _normaliser.Normalise("Acme", "acme.com", "US", null);

        var withoutItself = _matcher.Match(new MatchQuery(customer, [], Now) { ExcludeClaimId = own.ClaimId }, MatchThresholds.Default);
        var withoutOwnPartner = _matcher.Match(new MatchQuery(customer, [], Now) { ExcludePartnerId = Fabrikam }, MatchThresholds.Default);
        var unknownPartner = _matcher.Match(new MatchQuery(customer, [], Now) { ExcludePartnerId = Guid.NewGuid() }, MatchThresholds.Default);

        withoutItself.Matches.Select(m => m.ClaimId).Should().Equal(rival.ClaimId);
        withoutOwnPartner.Matches.Select(m => m.ClaimId).Should().Equal(own.ClaimId);
        unknownPartner.Matches.Should().HaveCount(2);
    }

    [Fact]
    public void Match_PastTheStrongestTen_StillNamesEveryLikelyClaimOfAnotherParty_ButNoneOfThePartnersOwn()
    {
        var own = Enumerable.Range(0, 12).Select(_ => Claim("Tailwind Traders", "tailwindtraders.com", "US", partner: Northwind)).ToList();
        var rival = Claim("Tailwind Traders Group", "tailwindtraders.com", "US", partner: Fabrikam);
        var direct = Claim("Tailwind Traders Group", "tailwindtraders.com", "US", kind: ClaimKind.DirectOpportunity, partner: null);
        var faint = Claim("Tailwind Traders", "tailwindtraders.de", "DE", partner: Fabrikam);
        var customer = _normaliser.Normalise("Tailwind Traders", "tailwindtraders.com", "US", null);

        var anyone = _matcher.Match(new MatchQuery(customer, [], Now), MatchThresholds.Default);
        var northwinds = _matcher.Match(new MatchQuery(customer, [], Now) { OwnPartnerId = Northwind }, MatchThresholds.Default);

        anyone.Matches.Select(m => m.ClaimId).Should().Equal(own.Take(10).Select(c => c.ClaimId), "an advisory check names the ten strongest");
        northwinds.Matches.Take(10).Select(m => m.ClaimId).Should().Equal(own.Take(10).Select(c => c.ClaimId));
        northwinds.Matches.Skip(10).Select(m => m.ClaimId).Should().BeEquivalentTo([rival.ClaimId, direct.ClaimId],
            "the partner's own two further repeats are left out, and a match short of likely too");
        northwinds.Matches.Skip(10).Should().OnlyContain(m => m.Score >= MatchThresholds.Default.Likely && m.Score < northwinds.Score);
        _matcher.Match(new MatchQuery(customer, [], Now) { ExcludePartnerId = Northwind }, MatchThresholds.Default).Matches
            .Should().ContainSingle(m => m.ClaimId == faint.ClaimId).Which.Score.Should().BeLessThan(MatchThresholds.Default.Likely);
        northwinds.Matches.Select(m => m.ClaimId).Should().NotContain(faint.ClaimId);
    }

    [Fact]
    public void Match_LeavesOutClaimsTheStoreNoLongerHoldsLive_AndJudgesOnTheOthers()
    {
        var departed = Claim("Acme Corporation", "acme.com", "US", partner: Northwind);
        var customer = _normaliser.Normalise("Acme", "acme.com", "US", null);

        _matcher.Match(new MatchQuery(customer, [], Now), MatchThresholds.Default).Verdict.Should().Be(DuplicateVerdict.Likely);
        var without = _matcher.Match(new MatchQuery(customer, [], Now) { Departed = new HashSet<Guid> { departed.ClaimId } }, MatchThresholds.Default);

        without.Verdict.Should().Be(DuplicateVerdict.Clear);
        without.Matches.Should().BeEmpty();
    }

    [Fact]
    public void Match_WithNoProductLineInCommon_ScoresLowerAndSaysWhy()
    {
        Claim("Acme Corporation", null, "US", products: ["Networking"]);

        var same = Check("Acme", null, "US", products: ["networking "]);
        var other = Check("Acme", null, "US", products: ["Security"]);
        var none = Check("Acme", null, "US");

        other.Score.Should().BeLessThan(none.Score);
        same.Score.Should().BeGreaterThanOrEqualTo(none.Score);
        same.Matches.Single().Reasons.Should().Contain("same product line: Networking");
        other.Matches.Single().Reasons.Should().Contain("no product line in common: Security / Networking");
    }

    [Theory]
    [InlineData("Sec\u200Burity")]
    [InlineData("Security\U000E0041")] // a tag character, outside the Basic Multilingual Plane
    public void AProductLineWithAnInvisibleCharacter_IsTheLineItShows(string written)
    {
        Claim("Acme Corporation", null, "US", products: ["Security"]);

        var result = Check("Acme", null, "US", products: [written]);

        result.Matches.Single().Reasons.Should().Contain("same product line: Security");
    }

    [Fact]
    public void Match_OnAClaimWhoseProtectionEnded_ScoresLower()
    {
        Claim("Acme Corporation", null, "US", status: "approved", claimedAt: Now.AddDays(-200), protectedUntil: Now.AddDays(-20));

        var result = Check("Acme", null, "US");

        result.Score.Should().BeApproximately(CustomerMatcher.ProtectionEndedFactor, 0.0001);
        result.Matches.Single().Reasons.Should().Contain($"approved 200 days ago, protection ended {Now.AddDays(-20):yyyy-MM-dd}");
    }

    [Fact]
    public void AClaimWhoseProtectionEnded_IsNamedAsLapsed_AndWeighsInFullWhenACaseHoldsIt()
    {
        // Alike enough to be likely while protected, and below possible once its protection ended.
        var lapsed = Claim("Acme Corporation", null, "US", status: "approved", claimedAt: Now.AddDays(-200), protectedUntil: Now.AddDays(-20));
        var query = new MatchQuery(_normaliser.Normalise("Acme Corp", null, "US", null), [], Now);
        var thresholds = new MatchThresholds(0.9, 0.8);

        var first = _matcher.Match(query, thresholds);
        var held = _matcher.Match(query with { Held = new HashSet<Guid> { lapsed.ClaimId } }, thresholds);

        first.Verdict.Should().Be(DuplicateVerdict.Clear, "a lapsed claim weighs less");
        first.Lapsed.Should().Equal(lapsed.ClaimId);
        held.Verdict.Should().Be(DuplicateVerdict.Likely);
        held.Score.Should().BeApproximately(1, 0.0001);
        held.Lapsed.Should().BeEmpty("the claim it names is held, not lapsed");
        held.Matches.Single().Reasons.Should().Contain(
            $"approved 200 days ago, protection ended {Now.AddDays(-20):yyyy-MM-dd} but held by an open conflict case until its decision");
    }

    [Fact]
    public void AClaimStillProtected_OrTooUnlikeEvenInFull_IsNotNamedAsLapsed()
    {
        Claim("Acme Corporation", null, "US", status: "approved", claimedAt: Now.AddDays(-10), protectedUntil: Now.AddDays(20));
        Claim("Acme Holdings Group", null, "US", status: "approved", claimedAt: Now.AddDays(-200), protectedUntil: Now.AddDays(-20));

        var result = _matcher.Match(new MatchQuery(_normaliser.Normalise("Acme Corp", null, "US", null), [], Now), new MatchThresholds(0.99, 0.98));

        result.Lapsed.Should().BeEmpty();
    }

    [Fact]
    public void Match_OnADirectOpportunityOutsideTheLookBack_ScoresLower()
    {
        Claim("Acme Corporation", "acme.com", "US", kind: ClaimKind.DirectOpportunity, partner: null, status: "open", claimedAt: Now.AddDays(-90));

        var result = Check("Acme", "acme.com", "US");

        var match = result.Matches.Single();
        match.Kind.Should().Be(ClaimKind.DirectOpportunity);
        match.PartnerId.Should().BeNull();
        match.Reasons.Should().Contain("open 90 days ago, outside the 60-day look-back");
        match.Score.Should().BeLessThan(0.85);
    }

    [Fact]
    public void Match_UsesTheThresholdsOfTheRules()
    {
        Claim("Acme Corporation", null, "US", products: ["Security"]);
        var rules = RulesOfEngagement.Defaults("admin", Now);
        var strict = new MatchThresholds(0.99, 0.95);
        var customer = _normaliser.Normalise("Acme Technologies", null, "US", null);

        _matcher.Match(new MatchQuery(customer, [], Now), MatchThresholds.From(rules)).Verdict.Should().Be(DuplicateVerdict.Possible);
        _matcher.Match(new MatchQuery(customer, [], Now), strict).Verdict.Should().Be(DuplicateVerdict.Clear);
    }

    [Fact]
    public void Upsert_ReplacesTheClaimWithTheSameId()
    {
        var claim = Claim("Acme Corporation", "acme.com", "US");

        _index.Upsert(claim with { Customer = _normaliser.Normalise("Globex", "globex.com", "US", null) });

        _index.Count.Should().Be(1);
        Check("Acme", "acme.com", "US").Verdict.Should().Be(DuplicateVerdict.Clear);
        Check("Globex", null, "US").Matches.Single().ClaimId.Should().Be(claim.ClaimId);
    }

    [Fact]
    public void Remove_TakesTheClaimOutOfEveryCheck()
    {
        var claim = Claim("Acme Corporation", "acme.com", "US", duns: "123456789");

        _index.Remove(claim.ClaimId).Should().BeTrue();
        _index.Remove(claim.ClaimId).Should().BeFalse();

        _index.Count.Should().Be(0);
        _index.Contains(claim.ClaimId).Should().BeFalse();
        Check("Acme", "acme.com", "US", duns: "123456789").Should().Be(MatchResult.Clear);
        _matcher.ScanAll(new MatchQuery(_normaliser.Normalise("Acme", "acme.com", "US", null), [], Now), MatchThresholds.Default)
            .Verdict.Should().Be(DuplicateVerdict.Clear);
    }

    [Fact]
    public void Find_ReturnsTheClaimAsHeld()
    {
        var claim = Claim("Acme Corporation", "acme.co.uk", "GB", duns: "123456789", products: ["Security", "Cloud"], status: "under review",
            protectedUntil: Now.AddDays(30));

        var found = _index.Find(claim.ClaimId)!;

        found.Customer.Should().Be(claim.Customer);
        found.ProductLines.Should().BeEquivalentTo("Security", "Cloud");
        found.Status.Should().Be("under review");
        found.ClaimedAt.Should().Be(claim.ClaimedAt);
        found.ProtectedUntil.Should().Be(claim.ProtectedUntil);
        found.PartnerId.Should().Be(Northwind);
        _index.Find(Guid.NewGuid()).Should().BeNull();
    }

    [Fact]
    public void Clear_EmptiesTheIndex()
    {
        Claim("Acme Corporation", "acme.com", "US");

        _index.Clear();

        _index.Count.Should().Be(0);
        Check("Acme", "acme.com", "US").Verdict.Should().Be(DuplicateVerdict.Clear);
    }

    [Fact]
    public void Index_SurvivesManyReplacementsAndRemovals()
    {
        var ids = Enumerable.Range(0, 3000).Select(i => Guid.NewGuid()).ToArray();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                _index.Upsert(new CustomerClaim(ids[i], ClaimKind.Registration, Northwind,
                    _normaliser.Normalise($"Company {i} Round {round} Holdings", $"company{i}-r{round}.com", "US", null), [], "submitted", Now, null));
            }
        }

        for (var i = 0; i < ids.Length; i += 2)
        {
            _index.Remove(ids[i]);
        }

        _index.Count.Should().Be(1500);
        Check("Company 1 Round 3", "company1-r3.com", "US").Matches.Single().ClaimId.Should().Be(ids[1]);
        Check("Company 2 Round 3", "company2-r3.com", "US").Verdict.Should().Be(DuplicateVerdict.Clear);
        _index.Find(ids[2999])!.Customer.NameKey.Should().Be("company 2999 round 3 holdings");
    }

    [Fact]
    public void Load_AddsManyClaimsAtOnce()
    {
        var claims = Enumerable.Range(0, 500)
            .Select(i => new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Northwind, _normaliser.Normalise($"Firm {i}", $"firm{i}.com", "DE", null), ["Cloud"], "approved", Now, null))
            .ToList();

        _index.Load(claims);

        _index.Count.Should().Be(500);
        Check("Firm 42 GmbH", "firm42.com", "DE").Matches[0].ClaimId.Should().Be(claims[42].ClaimId);
    }

    [Fact]
    public void Match_AgreesWithAFullScan()
    {
        var random = new Random(7);
        string[] words = ["acme", "globex", "initech", "umbrella", "stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent", "hooli", "vandelay",
            "systems", "industries", "bank", "consulting", "partners", "logistics", "health", "energy", "software", "media"];
        string[] countries = ["US", "GB", "DE", "FR", "JP"];
        for (var i = 0; i < 2000; i++)
        {
            var name = $"{words[random.Next(12)]} {words[random.Next(words.Length)]} {(random.Next(3) == 0 ? "Inc" : "")}";
            var domain = random.Next(2) == 0 ? $"{name.Replace(" ", "", StringComparison.Ordinal)}{random.Next(50)}.com" : null;
            _index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Northwind,
                _normaliser.Normalise(name, domain, countries[random.Next(countries.Length)], null), [], "submitted", Now, null));
        }

        for (var q = 0; q < 200; q++)
        {
            var name = $"{words[random.Next(12)]} {words[random.Next(words.Length)]}";
            var query = new MatchQuery(_normaliser.Normalise(name, null, countries[random.Next(countries.Length)], null), [], Now);

            var indexed = _matcher.Match(query, MatchThresholds.Default);
            var scanned = _matcher.ScanAll(query, MatchThresholds.Default);

            indexed.Verdict.Should().Be(scanned.Verdict, name);
            indexed.Score.Should().Be(scanned.Score, name);
        }
    }

    [Fact]
    public async Task Index_TakesConcurrentChecksAndUpdates()
    {
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var claim = new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Northwind,
                    _normaliser.Normalise($"Writer {w} Company {i}", $"w{w}c{i}.com", "US", null), [], "submitted", Now, null);
                _index.Upsert(claim);
                if (i % 3 == 0)
                {
                    _index.Remove(claim.ClaimId);
                }
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                _matcher.Match(new MatchQuery(_normaliser.Normalise($"Writer {r} Company {i}", null, "US", null), [], Now), MatchThresholds.Default);
            }
        }));

        await Task.WhenAll(writers.Concat(readers));

        _index.Count.Should().Be(4 * (500 - 167));
    }

    [Fact]
    public void ToAssessment_CarriesTheBestMatchsReasons()
    {
        Claim("Acme Corporation", "acme.com", "US");

        var assessment = Check("Acme", "acme.com", "US").ToAssessment();

        assessment.Verdict.Should().Be(DuplicateVerdict.Likely);
        assessment.Reasons.Should().Contain("same registrable domain acme.com");
        MatchResult.Clear.ToAssessment().Should().BeEquivalentTo(DuplicateAssessment.Clear);
    }

    [Fact]
    public void ForRegistration_MakesTheClaimOfARegistration()
    {
        var customer = Customer.Create("Acme Corp.", "acme.com", "US", null);
        var registration = DealRegistration.Draft(Guid.NewGuid(), Northwind, "user", customer, ["Security"], Money.Of(50_000, "USD"),
            new DateOnly(2026, 9, 1), null, Now);

        var claim = CustomerClaim.ForRegistration(registration, _normaliser);

        claim.ClaimId.Should().Be(registration.Id);
        claim.PartnerId.Should().Be(Northwind);
        claim.Customer.Should().Be(new NormalisedCustomer("acme", "acme.com", null, "US"));
        claim.Status.Should().Be("draft");
        claim.ClaimedAt.Should().Be(Now);
    }

    // Before, such a claim read "action required 1 day ago" the moment it was returned, and "under review 2 days ago" the
    // moment it was resubmitted: the time is its submission's, not the status's.
    [Theory]
    [InlineData(RegistrationStatus.ActionRequired, "action required, submitted 3 days ago")]
    [InlineData(RegistrationStatus.UnderReview, "under review, submitted 3 days ago")]
    [InlineData(RegistrationStatus.InConflict, "in conflict, submitted 3 days ago")]
    [InlineData(RegistrationStatus.Submitted, "submitted 3 days ago")]
    public void AClaimsTime_IsSaidToBeItsSubmission_WhereItIsNotTheTimeOfItsStatus(RegistrationStatus status, string said)
    {
        var facts = new RegistrationFacts(Guid.NewGuid(), Northwind, StoredCustomer.Of(Customer.Create("Acme Corp.", "acme.com", "US", null)), ["Security"],
            status, Now.AddDays(-4), Now.AddDays(-3), null, null);
        _index.Upsert(CustomerClaim.ForRegistration(facts, _normaliser));

        var result = Check("Acme Corporation", "acme.com", "US");

        result.Matches.Should().ContainSingle().Which.Reasons.Should().Contain(said);
    }

    [Fact]
    public void ProductLinesAreKeptWhileAClaimHoldsThem_SoEditsNamingNewOnesHoldNoMore_AndAFreedLineIsReadAsNoneHeld()
    {
        var kept = Claim("Acme Corporation", "acme.com", "US", products: ["Security"]);
        var edited = Claim("Globex Industries", "globex.com", "US", products: ["Cloud"]);
        var before = _index.ProductsKept;

        // Each edit names lines never named before, as a partner editing a claim returned for action could.
        for (var i = 0; i < 500; i++)
        {
            _index.Upsert(edited with { ProductLines = [$"Line {i} A", $"Line {i} B"] });
        }

        _index.ProductsKept.Should().Be((before.Lines + 1, before.Sets), "the edited claim holds two lines in one set where it held one");
        _index.Upsert(edited with { ProductLines = ["Cloud", "Security"] });
        _index.Remove(kept.ClaimId).Should().BeTrue();
        _index.ProductsKept.Should().Be((2, 2), "Security stays while the edited claim holds it, beside Cloud; the empty set is always kept");

        // Freed numbers are given to new lines: a match names the lines the two claims hold, never a line let go.
        _index.Upsert(edited with { ProductLines = ["Analytics"] });
        var result = Check("Globex Industries", "globex.com", "US", products: ["Analytics", "Line 3 A"]);
        result.Matches.Should().ContainSingle().Which.Reasons.Should().Contain("same product line: Analytics").And.NotContain(r => r.Contains("Line 3"));
        _index.Remove(edited.ClaimId);
        _index.ProductsKept.Should().Be((0, 1));
    }

    [Fact]
    public void AClaimRefusedForAStatusTheIndexCannotHold_CountsNoProductLinesForIt()
    {
        var claim = Claim("Acme Corporation", "acme.com", "US", products: ["Alpha"]);
        for (var i = 1; i < 255; i++)
        {
            Claim($"Filler {i} Ltd", null, "US", status: $"status-{i}");
        }

        var refused = () => _index.Upsert(claim with { Status = "one-too-many", ProductLines = ["Beta"] });

        refused.Should().Throw<InvalidOperationException>();
        _index.Remove(claim.ClaimId);
        _index.ProductsKept.Should().Be((0, 1), "neither Alpha nor Beta is held by a claim");
    }

    private CustomerClaim Claim(
        string name, string? domain, string country, string? duns = null, string[]? products = null, string status = "submitted",
        DateTimeOffset? claimedAt = null, DateTimeOffset? protectedUntil = null, ClaimKind kind = ClaimKind.Registration, Guid? partner = default)
    {
        var claim = new CustomerClaim(Guid.NewGuid(), kind, kind == ClaimKind.Registration ? partner ?? Northwind : partner,
            _normaliser.Normalise(name, domain, country, duns), products ?? [], status, claimedAt ?? Now, protectedUntil);
        _index.Upsert(claim);
        return claim;
    }

    private MatchResult Check(string name, string? domain, string country, string? duns = null, string[]? products = null) =>
        _matcher.Match(new MatchQuery(_normaliser.Normalise(name, domain, country, duns), products ?? [], Now), MatchThresholds.Default);
}
