using System.Net;
using System.Net.Http.Json;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Web.Tests;

public sealed class DuplicateCheckTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public DuplicateCheckTests(CoSellApp app) => _app = app;

    private async Task<string> Registered(string partnerUser, string name, string domain, string country = "US")
    {
        var partner = await _app.ClientFor(partnerUser);
        var draft = await Api.Create(partner, Api.NewRegistration(_app, name, domain, country));
        await Api.Post(partner, $"/api/v1/registrations/{draft["id"]}/submit");
        return draft["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task APartnerLearnsTheVerdictAlone_AVendorRoleSeesTheMatchesAndWhy()
    {
        var claim = await Registered("partner.northwind", "Oracle Free Corp", "oracle-free.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        var check = new { customer = new { name = "Oracle Free Corporation", domain = "https://shop.oracle-free.com", country = "US" }, productLines = new[] { "Security" } };

        var asPartner = await Api.Post(fabrikam, "/api/v1/duplicate-checks", check);
        var asManager = await Api.Post(manager, "/api/v1/duplicate-checks", check);

        asPartner["verdict"]!.GetValue<string>().Should().Be("likely");
        asPartner["score"].Should().BeNull();
        asPartner["matches"].Should().BeNull();
        asPartner.ToJsonString().Should().NotContain(claim).And.NotContain("10000000-0000-0000-0000-000000000001");
        asManager["matches"]!.AsArray().Select(m => m!["claimId"]!.GetValue<string>()).Should().Contain(claim);
        asManager["matches"]!.AsArray().First(m => m!["claimId"]!.GetValue<string>() == claim)!["reasons"]!.AsArray()
            .Select(r => r!.GetValue<string>()).Should().Contain(r => r.Contains("oracle-free.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APartnersVerdict_DoesNotMoveWithTheProductLinesItNames_SoItCannotTellARivalClaimsLine()
    {
        await Registered("partner.northwind", "Probe Line Corp", "probe-line.com");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        object Check(string line) => new { customer = new { name = "Quite Other Words", domain = "probe-line.com", country = "US" }, productLines = new[] { line } };

        var verdicts = new List<string>();
        foreach (var line in new[] { "Security", "Analytics", "Cloud" })
        {
            verdicts.Add((await Api.Post(fabrikam, "/api/v1/duplicate-checks", Check(line)))["verdict"]!.GetValue<string>());
        }

        verdicts.Should().Equal("likely", "likely", "likely");
        // A vendor role's check weighs the deal too, and says so.
        (await Api.Post(manager, "/api/v1/duplicate-checks", Check("Security")))["verdict"]!.GetValue<string>().Should().Be("likely");
        var other = await Api.Post(manager, "/api/v1/duplicate-checks", Check("Analytics"));
        other["verdict"]!.GetValue<string>().Should().Be("possible");
        other["matches"]!.AsArray().SelectMany(m => m!["reasons"]!.AsArray()).Select(r => r!.GetValue<string>())
            .Should().Contain("no product line in common: Analytics / Security");
    }

    [Fact]
    public async Task APartnersOwnClaims_DoNotCountAgainstIt_AndEveryCheckIsAudited()
    {
        await Registered("partner.adatum", "Own Claim KK", "own-claim.jp", "JP");
        var adatum = await _app.ClientFor("partner.adatum");
        var before = await _app.Db(db => db.AuditEntries.CountAsync(a => a.Type == "duplicate_check.performed"));

        var result = await Api.Post(adatum, "/api/v1/duplicate-checks", new { customer = new { name = "Own Claim", domain = "own-claim.jp", country = "JP" } });

        result["verdict"]!.GetValue<string>().Should().Be("clear");
        var after = await _app.Db(db => db.AuditEntries.CountAsync(a => a.Type == "duplicate_check.performed"));
        after.Should().Be(before + 1);
    }

    [Fact]
    public async Task NameVariantsAcrossLegalFormsAndDiacritics_AreMatchedAndExplained()
    {
        var claim = await Registered("partner.northwind", "Société Générale des Tests S.A.", "sg-tests-example.fr", "FR");
        var manager = await _app.ClientFor("manager");

        var result = await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "Societe Generale des Tests", country = "FR" }, productLines = new[] { "Security" } });

        result["verdict"]!.GetValue<string>().Should().BeOneOf("possible", "likely");
        var match = result["matches"]!.AsArray().Single(m => m!["claimId"]!.GetValue<string>() == claim)!;
        match["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain(r => r.StartsWith("names ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANameDisguisedWithAnInvisibleCharacter_IsRefused_RatherThanCheckedAsAnotherName()
    {
        // An invisible tag character, which transliteration would read as an "a".
        const string disguised = "Initrode\U000E0041 Spoof Corporation";
        await Registered("partner.northwind", "Initrode Spoof Corporation", $"{Guid.NewGuid():N}.com", "US");
        var manager = await _app.ClientFor("manager");

        var problem = await Api.Problem(await manager.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name = disguised, country = "US" } }), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.AsObject().Select(e => e.Key).Should().Equal("customer.name");
    }

    [Theory]
    [InlineData("Zorblax™")]
    [InlineData("ZORBLAX®")]
    [InlineData("Zorblax© Corp.")]
    public async Task ANameWithATrademarkOrCopyrightSign_IsTheNameWithoutIt(string name)
    {
        await Registered("partner.northwind", "Zorblax Corporation", $"{Guid.NewGuid():N}.com", "US");
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var result = await Api.Post(fabrikam, "/api/v1/duplicate-checks", new { customer = new { name, country = "US" } });

        result["verdict"]!.GetValue<string>().Should().Be("likely");
    }

    [Theory]
    [InlineData("QUIXOTRA Corp (USA)", "US")]
    [InlineData("Quixotra GmbH (Germany)", "DE")]
    [InlineData("Quixotra (Medical Division) Inc.", "US")]
    public async Task ANameWithAClosingParenthetical_IsTheNameWithoutIt_OrTheLegalFormBesideIt(string name, string country)
    {
        await Registered("partner.northwind", "Quixotra Corporation", $"{Guid.NewGuid():N}.com", country);
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var result = await Api.Post(fabrikam, "/api/v1/duplicate-checks", new { customer = new { name, country } });

        result["verdict"]!.GetValue<string>().Should().Be("likely");
    }

    [Fact]
    public async Task AWordMixingLatinWithCyrillicLetters_IsRefused()
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var problem = await Api.Problem(
            await fabrikam.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, "PНC715 Mixed Holdings", "mixed-script.com", "US")),
            HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!.ToJsonString().Should().Contain("one alphabet");
    }

    [Theory]
    [InlineData("\u13AAcme Corporation")] // a Cherokee Ꭺ
    [InlineData("Ac\u0585rn Foods")] // an Armenian օ
    [InlineData("Ac\u2C9Frn Foods")] // a Coptic ⲟ
    [InlineData("\uA4EEcme Corporation")] // a Lisu ꓮ
    [InlineData("\u15C5cme Corporation")] // a Canadian Syllabics ᗅ
    public async Task AWordMixingLatinWithLookalikesOfAnotherScript_IsRefused_OnARegistrationAndADuplicateCheck(string name)
    {
        var fabrikam = await _app.ClientFor("partner.fabrikam");

        var registration = await Api.Problem(
            await fabrikam.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, name, "lookalike-script.com", "US")),
            HttpStatusCode.BadRequest, "validation_failed");
        var check = await Api.Problem(
            await fabrikam.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name, country = "US" } }),
            HttpStatusCode.BadRequest, "validation_failed");

        registration["errors"]!.ToJsonString().Should().Contain("one alphabet");
        check["errors"]!.ToJsonString().Should().Contain("one alphabet");
    }

    [Fact]
    public async Task APageOnASharedPlatform_IsNoCompanysDomain_AndMatchesNoOtherBusinessOnIt_WhileThePlatformsOwnDomainStaysItsCompanys()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var bakery = await Api.Create(northwind, Api.NewRegistration(_app, "Bäckerei Schmidt", "https://www.facebook.com/baeckerei.schmidt", "DE"));
        await Api.Post(northwind, $"/api/v1/registrations/{bakery["id"]}/submit");
        var meta = await Api.Create(northwind, Api.NewRegistration(_app, "Meta Platforms Inc", "https://www.facebook.com/", "US"));
        await Api.Post(northwind, $"/api/v1/registrations/{meta["id"]}/submit");

        var butcher = await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "Metzgerei Müller", domain = "https://facebook.com/metzgerei.mueller", country = "DE" } });
        var platform = await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "Facebook Holdings", domain = "facebook.com", country = "IE" } });

        bakery["customer"]!["domain"].Should().BeNull("a page on facebook.com names Facebook's domain, not the bakery's");
        bakery["customer"]!["registrableDomain"].Should().BeNull();
        butcher["verdict"]!.GetValue<string>().Should().Be("clear");
        meta["customer"]!["registrableDomain"]!.GetValue<string>().Should().Be("facebook.com");
        var matches = platform["matches"]!.AsArray().Select(m => m!["claimId"]!.GetValue<string>()).ToList();
        matches.Should().Contain(meta["id"]!.GetValue<string>()).And.NotContain(bakery["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheSameDomainNameUnderAnotherCountrysSuffix_IsAPossibleMatch_ThatSaysWhy()
    {
        var claim = await Registered("partner.fabrikam", "Brontovia GmbH", "brontovia.de", "DE");
        var manager = await _app.ClientFor("manager");

        var result = await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "Brontovia Inc.", domain = "https://www.brontovia.com", country = "US" } });

        result["verdict"]!.GetValue<string>().Should().Be("possible");
        result["matches"]!.AsArray().Single(m => m!["claimId"]!.GetValue<string>() == claim)!["reasons"]!.AsArray().Select(r => r!.GetValue<string>())
            .Should().Contain("web domains with the same name: brontovia.com / brontovia.de").And.Contain("different countries: US / DE");
    }

    [Fact]
    public async Task AnAcronymOfAClaimedNamesInitials_IsAPossibleMatch()
    {
        var claim = await Registered("partner.fabrikam", "Quantavex Nebulor Dynamics Inc.", $"{Guid.NewGuid():N}.com", "US");
        var manager = await _app.ClientFor("manager");

        var result = await Api.Post(manager, "/api/v1/duplicate-checks", new { customer = new { name = "QND", country = "US" } });

        result["verdict"]!.GetValue<string>().Should().Be("possible");
        result["matches"]!.AsArray().Select(m => m!["claimId"]!.GetValue<string>()).Should().Contain(claim);
    }

    [Fact]
    public async Task AWithdrawnRegistration_LeavesTheClaimsIndexAtOnce()
    {
        var claim = await Registered("partner.northwind", "Gone Tomorrow Ltd", "gone-tomorrow.co.uk", "GB");
        var northwind = await _app.ClientFor("partner.northwind");
        var manager = await _app.ClientFor("manager");
        var check = new { customer = new { name = "Gone Tomorrow", domain = "gone-tomorrow.co.uk", country = "GB" } };
        (await Api.Post(manager, "/api/v1/duplicate-checks", check))["verdict"]!.GetValue<string>().Should().Be("likely");

        await Api.Post(northwind, $"/api/v1/registrations/{claim}/withdraw", new { reason = "Customer went elsewhere." });

        (await Api.Post(manager, "/api/v1/duplicate-checks", check))["verdict"]!.GetValue<string>().Should().Be("clear");
    }

    [Theory]
    [InlineData("", "acme.com", "US", null)]
    [InlineData("A", "acme.com", "US", null)]
    [InlineData("Acme\u0007Corp", "acme.com", "US", null)]
    [InlineData("Acme", "not a domain", "US", null)]
    [InlineData("Acme", "10.0.0.1", "US", null)]
    [InlineData("Acme", "acme.com", "ZZ", null)]
    [InlineData("Acme", "acme.com", "US", "12345")]
    public async Task InvalidCustomers_AreRefusedWithFieldErrors(string name, string? domain, string country, string? duns)
    {
        var partner = await _app.ClientFor("partner.northwind");
        var response = await partner.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name, domain, country, duns } });
        var problem = await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed");
        problem["errors"]!.AsObject().Should().NotBeEmpty();
    }

    [Fact]
    public async Task ATenThousandCharacterName_IsRefused_NotA500()
    {
        var partner = await _app.ClientFor("partner.northwind");
        var response = await partner.PostAsJsonAsync("/api/v1/duplicate-checks", new { customer = new { name = new string('x', 10_000), country = "US" } });
        await Api.Problem(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ANameOfOnlyALegalForm_MatchesNoClaimOnItsLegalFormAlone()
    {
        // Live claims in the US stand, every one of them an "Inc." or the like; a name with nothing but the form is no one's.
        var northwind = await _app.ClientFor("partner.northwind");
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(await Api.Create(northwind, Api.NewRegistration(_app, "Legal Form Only Inc.", "legal-form-only.com")))}/submit");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var manager = await _app.ClientFor("manager");
        var check = new { customer = new { name = "Inc.", country = "US" } };

        var asPartner = await Api.Post(fabrikam, "/api/v1/duplicate-checks", check);
        var asVendor = await Api.Post(manager, "/api/v1/duplicate-checks", check);

        asPartner["verdict"]!.GetValue<string>().Should().Be("clear");
        asVendor["verdict"]!.GetValue<string>().Should().Be("clear");
        asVendor["matches"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Checks_AreRateLimitedPerPartner()
    {
        using var app = new RateLimitedApp();
        var northwind = await app.ClientFor("partner.northwind");
        var fabrikam = await app.ClientFor("partner.fabrikam");
        var check = new { customer = new { name = "Enumerated Target", country = "US" } };

        for (var i = 0; i < 3; i++)
        {
            await Api.Post(northwind, "/api/v1/duplicate-checks", check);
        }

        await Api.Problem(await northwind.PostAsJsonAsync("/api/v1/duplicate-checks", check), HttpStatusCode.TooManyRequests, "duplicate_check.rate_limited");
        await Api.Post(fabrikam, "/api/v1/duplicate-checks", check);
    }

    [Fact]
    public async Task TheLimitHoldsForAnySixtySeconds_SoABurstAcrossAMinutesTurnIsNoSecondAllowance_AndARefusalSaysHowLongToWait()
    {
        using var app = new RateLimitedApp();
        var adatum = await app.ClientFor("partner.adatum");
        var check = new { customer = new { name = "Rolling Window Target", country = "JP" } };
        async Task<HttpResponseMessage> Check() => await adatum.PostAsJsonAsync("/api/v1/duplicate-checks", check);

        (await Check()).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromSeconds(50));
        (await Check()).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Check()).StatusCode.Should().Be(HttpStatusCode.OK);
        var refused = await Check();
        await Api.Problem(refused, HttpStatusCode.TooManyRequests, "duplicate_check.rate_limited");
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(10), "the first check runs out a minute after it was made");

        // Eleven seconds on, past what would have been a fixed minute's turn, only the first check has run out.
        app.Time.Advance(TimeSpan.FromSeconds(11));
        (await Check()).StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await Check();
        await Api.Problem(again, HttpStatusCode.TooManyRequests, "duplicate_check.rate_limited");
        again.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(49));

        app.Time.Advance(TimeSpan.FromSeconds(49));
        (await Check()).StatusCode.Should().Be(HttpStatusCode.OK, "the retry the refusal named is let through");
    }

    [Fact]
    public async Task ARateLimitBucket_IsThePartnerOrganisationForAPartner_AndTheUserForAVendorRole_HoweverThePartnerIdIsSpelt()
    {
        using var app = new RateLimitedApp();
        var check = new { customer = new { name = "Bucketed Target", country = "US" } };
        // A rep whose token also carries Northwind's id (an identity provider may add it) checks as itself.
        var rep = Tokens.ClientWith(app, Tokens.Mint(app, claims:
        [
            new(CoSell.Web.Identity.CoSellClaims.Subject, CoSelling.Rep),
            new(CoSell.Web.Identity.CoSellClaims.Role, "rep"),
            new(CoSell.Web.Identity.CoSellClaims.PartnerId, CoSelling.Northwind),
        ]));
        for (var i = 0; i < 3; i++)
        {
            await Api.Post(rep, "/api/v1/duplicate-checks", check);
        }

        (await Api.Problem(await rep.PostAsJsonAsync("/api/v1/duplicate-checks", check), HttpStatusCode.TooManyRequests, "duplicate_check.rate_limited"))["detail"]!
            .GetValue<string>().Should().Contain("for each vendor user");
        var northwind = await app.ClientFor("partner.northwind");
        for (var i = 0; i < 3; i++)
        {
            await Api.Post(northwind, "/api/v1/duplicate-checks", check);
        }

        // Another spelling of Northwind's id is Northwind: no fresh bucket for it.
        var braced = Tokens.ClientWith(app, Tokens.Mint(app, claims:
        [
            new(CoSell.Web.Identity.CoSellClaims.Subject, Guid.NewGuid().ToString()),
            new(CoSell.Web.Identity.CoSellClaims.Role, "partner"),
            new(CoSell.Web.Identity.CoSellClaims.PartnerId, $"{{{CoSelling.Northwind.ToUpperInvariant()}}}"),
        ]));
        (await Api.Problem(await braced.PostAsJsonAsync("/api/v1/duplicate-checks", check), HttpStatusCode.TooManyRequests, "duplicate_check.rate_limited"))["detail"]!
            .GetValue<string>().Should().Contain("for each partner organisation");
    }

    private sealed class RateLimitedApp : CoSellApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("DuplicateChecks:PermitPerMinute", "3");
        }
    }
}
