using System.Text;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.AccountMapping;
using CoSell.Infrastructure.Identity;

namespace CoSell.MappingBenchmarks;

/// <summary>
/// Synthetic account lists of the sizes the figures are stated for: the vendor's 1,000,000 accounts and a
/// partner's 100,000, of which 20 % (20,000) are also the vendor's. Deterministic (fixed seeds).
/// </summary>
public static class MappingData
{
    public const int VendorRows = 1_000_000;
    public const int PartnerRows = 100_000;
    public const double OverlapShare = 0.20;

    public static readonly HmacAccountKeyer Keyer = new("benchmark-account-mapping-secret-0000000001");
    public static readonly CustomerNormaliser Normaliser = new(AnyAsciiTransliterator.Instance);

    private static readonly string[] Words =
    [
        "acme", "northern", "blue", "river", "global", "united", "pacific", "summit", "atlas", "vertex", "harbor", "pioneer", "silver", "granite", "eagle",
        "orbit", "quantum", "maple", "coastal", "prime", "delta", "sterling", "cedar", "falcon", "metro", "nova", "apex", "union", "liberty", "crown",
    ];

    private static readonly string[] Forms = ["Inc", "Corp.", "GmbH", "Ltd", "S.A.", "AG", "LLC", "B.V.", "K.K.", "Pty Ltd", "", "Holdings", "& Co. KG"];
    private static readonly string[] Countries = ["US", "DE", "GB", "FR", "JP", "CA", "NL", "AU", "ES", "IT", "SE", "BR"];
    private static readonly string[] Foreign = ["Müller Maschinenbau", "Société Générale d'Études", "株式会社 東京", "Газпром Нефть", "Øresund Logistik", "Škoda Strojírny"];

    /// <summary>One company of the synthetic market: name, web address (in the forms people write), country, sometimes a DUNS.</summary>
    public static (string Name, string? Domain, string Country, string? Duns) Company(int id)
    {
        var a = Words[id % Words.Length];
        var b = Words[id / Words.Length % Words.Length];
        var name = id % 50 == 0 ? $"{Foreign[id / 50 % Foreign.Length]} {id}" : $"{Cap(a)} {Cap(b)} {Number(id)} {Forms[id % Forms.Length]}".TrimEnd();
        var domain = (id % 4) switch
        {
            0 => $"{a}{b}{id}.com",
            1 => $"https://www.{a}-{b}-{id}.co.uk/contact",
            2 => $"info@{a}{id}.de",
            _ => id % 8 == 3 ? null : $"{a}.{b}{id}.io",
        };
        var duns = id % 3 == 0 ? (100_000_000 + id).ToString("000-000-000", System.Globalization.CultureInfo.InvariantCulture) : null;
        return (name, domain, Countries[id % Countries.Length], duns);
    }

    /// <summary>The vendor's list as a CSV file with the documented columns, one private account in a hundred.</summary>
    public static byte[] VendorCsv()
    {
        var csv = new StringBuilder(VendorRows * 80);
        csv.Append("name,domain,country,duns,private\n");
        for (var id = 0; id < VendorRows; id++)
        {
            var (name, domain, country, duns) = Company(id);
            csv.Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(domain).Append(',').Append(country).Append(',')
                .Append(duns).Append(',').Append(id % 100 == 99 ? "true" : string.Empty).Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>
    /// Token rows of both sides, made by the service's own normaliser and keyer. The partner's first 20 % are
    /// vendor companies (every fifth of the vendor's first 100,000), written the same way; the rest are its own.
    /// </summary>
    public static (TokenRow[] Vendor, TokenRow[] Partner) Tokens()
    {
        var vendor = new TokenRow[VendorRows];
        Parallel.For(0, VendorRows, id => vendor[id] = Row(id, id, id));
        var shared = (int)(PartnerRows * OverlapShare);
        var partner = new TokenRow[PartnerRows];
        Parallel.For(0, PartnerRows, i => partner[i] = Row(VendorRows + i, i < shared ? i * 5 : VendorRows + i, i));
        return (vendor, partner);
    }

    private static TokenRow Row(long rowId, int company, int index)
    {
        var (name, domain, country, duns) = Company(company);
        var registrable = Normaliser.RegistrableDomain(domain);
        var tokens = Keyer.Tokenise(registrable, CustomerNormaliser.DunsDigits(duns), Normaliser.NameKey(name), country);
        return new TokenRow(rowId, (AccountPopulation)(index % 3), tokens);
    }

    private static string Number(int id)
    {
        string[] names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        return string.Concat(id.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => names[c - '0'][..2]));
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
