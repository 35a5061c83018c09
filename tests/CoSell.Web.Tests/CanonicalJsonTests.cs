using System.Text;
using CoSell.Web.Http;

namespace CoSell.Web.Tests;

/// <summary>The canonical form an Idempotency-Key's body is hashed in: one text for one meaning, two for two.</summary>
public sealed class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.TryWrite(Encoding.UTF8.GetBytes(json)) ?? throw new Xunit.Sdk.XunitException($"{json} was not read as JSON."));

    [Theory]
    [InlineData("2000", "2000.0", "2000.00", "2e3", "2E3", "2.000E+3", "20000e-1", "0.2e4")]
    [InlineData("0.5", "0.50", "5e-1", "5E-0001", "50e-2", "0.05e1")]
    [InlineData("-1.25", "-1.250", "-125e-2", "-0.0125E+2")]
    [InlineData("0", "-0", "0.0", "-0.000", "0e0", "0E+999999999999999999999999", "-0e-5")]
    [InlineData("1e400", "10e399", "1.0E+400", "0.001e403")]
    [InlineData("1e-400", "0.1e-399", "100E-402")]
    [InlineData("79228162514264337593543950336", "79228162514264337593543950336.000", "7.9228162514264337593543950336E28")]
    [InlineData("0.00000000000000000000000000000001", "1e-32", "1.0E-32")]
    [InlineData("1e1000000000000000", "10e999999999999999")]
    public void NumbersOfOneValue_WriteOneText(params string[] numbers)
    {
        var written = numbers.Select(n => Canonical($"{{\"amount\":{n}}}")).Distinct().ToList();

        written.Should().ContainSingle($"{string.Join(", ", numbers)} are one value");
    }

    [Theory]
    [InlineData("2000", "2001")]
    [InlineData("2000", "2000.01")]
    [InlineData("2000", "-2000")]
    [InlineData("2000", "2e4")]
    [InlineData("2000", "200")]
    [InlineData("0.1", "1")]
    [InlineData("1.0000000000000000000000000000001", "1.0000000000000000000000000000002")]
    [InlineData("79228162514264337593543950336", "79228162514264337593543950337")]
    [InlineData("1e400", "1e401")]
    [InlineData("1e-400", "1e-401")]
    [InlineData("1e1000000000000000", "1e1000000000000001")]
    public void NumbersOfTwoValues_WriteTwoTexts(string one, string other)
    {
        Canonical($"[{one}]").Should().NotBe(Canonical($"[{other}]"));
    }

    [Theory]
    [InlineData("1e1000000000000001")]
    [InlineData("1e99999999999999999999999")]
    [InlineData("-7.5E-99999999999999999999")]
    public void ANumberWhosePowerOfTenIsTooLargeToWorkWith_KeepsItsText(string number)
    {
        Canonical($"{{\"amount\":{number}}}").Should().Be($"{{\"amount\":{number}}}");
    }

    [Fact]
    public void AStringHoldingANumber_IsLeftAsItIs()
    {
        Canonical("{\"amount\":\"2000.00\"}").Should().Be("{\"amount\":\"2000.00\"}");
        Canonical("{\"amount\":\"2000.00\"}").Should().NotBe(Canonical("{\"amount\":\"2000\"}"));
        Canonical("{\"amount\":\"2000\"}").Should().NotBe(Canonical("{\"amount\":2000}"));
    }

    [Fact]
    public void ABody_IsWrittenWithoutWhiteSpace_ItsFieldsInOrderUnderLowerCaseNames_AndItsNumbersByValue()
    {
        Canonical("{ \"Notes\": \"Met at 2.50 pm\", \"estimatedValue\": { \"currency\": \"USD\", \"amount\": 120000.00 }, \"tags\": [1.0, true, null] }")
            .Should().Be("{\"estimatedvalue\":{\"amount\":12E4,\"currency\":\"USD\"},\"notes\":\"Met at 2.50 pm\",\"tags\":[1,true,null]}");
    }

    [Fact]
    public void TheEarlierForm_KeepsEachNumberAsItWasSent()
    {
        var body = Encoding.UTF8.GetBytes("{ \"B\": 2000.00, \"a\": [2e3] }");

        Encoding.UTF8.GetString(CanonicalJson.TryWriteWithNumbersAsSent(body)!).Should().Be("{\"a\":[2e3],\"b\":2000.00}");
        Encoding.UTF8.GetString(CanonicalJson.TryWrite(body)!).Should().Be("{\"a\":[2E3],\"b\":2E3}");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"amount\":}")]
    [InlineData("{\"amount\":01}")]
    [InlineData("{\"amount\":1.}")]
    [InlineData("{\"amount\":.5}")]
    [InlineData("{\"amount\":1e}")]
    [InlineData("{\"amount\":NaN}")]
    public void ABodyThatIsNotJson_HasNoCanonicalForm(string body)
    {
        CanonicalJson.TryWrite(Encoding.UTF8.GetBytes(body)).Should().BeNull();
    }
}
