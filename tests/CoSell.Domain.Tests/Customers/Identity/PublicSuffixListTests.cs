using System.Globalization;
using System.Text.RegularExpressions;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Tests.Customers.Identity;

public sealed partial class PublicSuffixListTests
{
    private static readonly PublicSuffixList List = PublicSuffixList.Default;

    [Fact]
    public void Default_LoadsBothSectionsOfTheEmbeddedList()
    {
        List.RuleCount.Should().BeGreaterThan(9000);
        List.Resolve("acme.github.io").Should().Be("acme.github.io", "github.io is in the private section");
        List.Resolve("www.acme.com").Should().Be("acme.com");
    }

    [Theory]
    [InlineData("shop.acme.co.uk", "acme.co.uk")]
    [InlineData("acme.com.au", "acme.com.au")]
    [InlineData("a.b.acme.co.jp", "acme.co.jp")]
    [InlineData("acme.de", "acme.de")]
    [InlineData("eu.acme.blogspot.com", "acme.blogspot.com")]
    public void Resolve_TakesThePublicSuffixAndOneLabel(string host, string expected) =>
        List.Resolve(host).Should().Be(expected);

    [Theory]
    [InlineData("b.test.ck", "b.test.ck")]
    [InlineData("a.b.test.ck", "b.test.ck")]
    [InlineData("test.ck", null)]
    public void Resolve_AppliesWildcardRules(string host, string? expected) =>
        List.Resolve(host).Should().Be(expected);

    [Theory]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    public void Resolve_AppliesExceptionRules(string host, string expected) =>
        List.Resolve(host).Should().Be(expected);

    [Theory]
    [InlineData("acme.unknowntld", "acme.unknowntld")]
    [InlineData("a.b.acme.unknowntld", "acme.unknowntld")]
    [InlineData("unknowntld", null)]
    public void Resolve_TreatsAnUnlistedTopLevelDomainAsOneLabelSuffix(string host, string? expected) =>
        List.Resolve(host).Should().Be(expected);

    [Theory]
    [InlineData("co.uk")]
    [InlineData("com")]
    [InlineData("github.io")]
    [InlineData(".acme.com")]
    [InlineData("")]
    public void Resolve_ReturnsNullForAPublicSuffixOrMalformedHost(string host) =>
        List.Resolve(host).Should().BeNull();

    [Fact]
    public void PublicSuffix_IsTheLongestMatchingRule() =>
        List.PublicSuffix("shop.acme.co.uk").Should().Be("co.uk");

    [Fact]
    public void Parse_ReadsRulesCommentsAndIdn()
    {
        var list = PublicSuffixList.Parse("""
            // comment
            com
            *.example
            !keep.example
            公司.cn
            cn
            """);

        list.Resolve("a.b.c.example").Should().Be("b.c.example");
        list.Resolve("x.keep.example").Should().Be("keep.example");
        list.Resolve("acme.xn--55qx5d.cn").Should().Be("acme.xn--55qx5d.cn");
        list.Resolve("食狮.公司.cn").Should().Be("xn--85x722f.xn--55qx5d.cn");
    }

    public static TheoryData<string, string?> OfficialCases()
    {
        // The publicsuffix.org test cases (public domain), shipped with the list.
        var data = new TheoryData<string, string?>();
        var path = Path.Combine(AppContext.BaseDirectory, "Customers", "Identity", "test_psl.txt");
        foreach (var line in File.ReadLines(path))
        {
            var match = CheckCase().Match(line);
            if (match.Success && !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                var expected = match.Groups[2].Value;
                data.Add(match.Groups[1].Value, expected == "null" ? null : expected.Trim('\''));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OfficialCases))]
    public void Resolve_PassesTheOfficialTestCases(string host, string? expected)
    {
        var idn = new IdnMapping();
        var want = expected is null ? null : idn.GetAscii(expected).ToLowerInvariant();
        List.Resolve(host).Should().Be(want);
    }

    [Theory]
    [InlineData("https://www.shop.acme.co.uk/path", "shop.acme.co.uk", "acme.co.uk")]
    [InlineData("jane@acme.com", "acme.com", "acme.com")]
    [InlineData("ACME.COM.", "acme.com", "acme.com")]
    [InlineData("http://münchen-shop.de:8080/x", "xn--mnchen-shop-thb.de", "xn--mnchen-shop-thb.de")]
    // IDN maps case and normalises (needs ICU): upper case and a decomposed ü give the same domain.
    [InlineData("https://www.ÜBERSEE.de", "xn--bersee-2ya.de", "xn--bersee-2ya.de")]
    [InlineData("u\u0308bersee.de", "xn--bersee-2ya.de", "xn--bersee-2ya.de")]
    // "www" is stripped from the host only where it is not the label the company registered.
    [InlineData("www.com", "www.com", "www.com")]
    [InlineData("https://www.www.com/", "www.com", "www.com")]
    [InlineData("www.co.uk", "www.co.uk", "www.co.uk")]
    [InlineData("www.ck", "www.ck", "www.ck")]
    [InlineData("jane@www.acme.de", "acme.de", "acme.de")]
    public void WebDomainFrom_UsesThePublicSuffixListByDefault(string input, string host, string registrable)
    {
        var domain = WebDomain.From(input);

        domain.Host.Should().Be(host);
        domain.Registrable.Should().Be(registrable);
    }

    [Fact]
    public void WebDomainFrom_RejectsAPublicSuffix()
    {
        var act = () => WebDomain.From("co.uk");

        act.Should().Throw<CoSell.Domain.SeedWork.DomainValidationException>().Which.Code.Should().Be("customer.domain_invalid");
        WebDomain.TryFrom("https://co.uk", null, out var none).Should().BeFalse();
        none.Should().BeNull();
    }

    [Fact]
    public void WebDomainFrom_StillAcceptsAnExplicitResolver() =>
        WebDomain.From("shop.acme.co.uk", NaiveRegistrableDomainResolver.Instance).Registrable.Should().Be("co.uk");

    [GeneratedRegex(@"checkPublicSuffix\('([^']+)',\s*('[^']*'|null)\)")]
    private static partial Regex CheckCase();
}
