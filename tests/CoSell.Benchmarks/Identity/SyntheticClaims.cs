using System.Globalization;
using System.Text;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Benchmarks.Identity;

/// <summary>
/// A deterministic programme of customer claims shaped like real ones: invented brand names (a vocabulary
/// of millions), common words and surnames shared by many companies ("Summit Logistics" exists in many
/// places), industry words, each country's legal forms, web domains given as domains, URLs or e-mail
/// addresses (some at free-mail providers), DUNS numbers for some, and a fifth of the claims registering a
/// company already claimed, written differently (legal form, case, article, abbreviation, typo, no domain).
/// </summary>
public sealed class SyntheticClaims
{
    private static readonly string[] Onsets = ["b", "br", "c", "cr", "d", "dr", "f", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "pr", "qu", "r", "s", "st", "t", "tr", "v", "z", "x", "j", "sh", "ch", "w"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "eo", "ia", "y"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "x", "l", "s", "m", "nd", "rt", "ck", "v", "t"];

    private static readonly string[] CommonWords =
    [
        "Summit", "Pinnacle", "Apex", "Blue", "River", "North", "South", "East", "West", "Star", "Global", "United", "First", "Premier", "Prime",
        "Golden", "Silver", "Green", "Red", "Eagle", "Falcon", "Lion", "Oak", "Pine", "Cedar", "Maple", "Harbor", "Bay", "Lake", "Mountain",
        "Valley", "Metro", "City", "Capital", "Crown", "Royal", "Liberty", "Pioneer", "Frontier", "Atlas", "Orion", "Nova", "Vertex", "Quantum",
        "Bright", "Clear", "Swift", "Smart", "True", "Core", "Alpha", "Delta", "Omega", "Sigma", "Zenith", "Horizon", "Beacon", "Anchor",
        "Bridge", "Keystone", "Cornerstone", "Heritage", "Legacy", "Evergreen", "Sunrise", "Sunset", "Coastal", "Northern", "Southern",
        "Western", "Eastern", "Central", "National", "American", "Pacific", "Atlantic", "Continental", "Allied", "Advanced", "Modern",
    ];

    private static readonly string[] Surnames =
    [
        "Miller", "Smith", "Johnson", "Brown", "Schmidt", "Schneider", "Fischer", "Weber", "Martin", "Bernard", "Dubois", "Rossi", "Russo",
        "Garcia", "Fernandez", "Lopez", "Tanaka", "Suzuki", "Sato", "Kumar", "Sharma", "Patel", "Singh", "Wilson", "Taylor", "Anderson",
        "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green",
        "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
        "Meyer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Hofmann",
    ];

    private static readonly string[] Industries =
    [
        "Logistics", "Systems", "Solutions", "Technologies", "Software", "Consulting", "Health", "Healthcare", "Bank", "Capital", "Partners",
        "Energy", "Foods", "Media", "Networks", "Industries", "Manufacturing", "Pharmaceuticals", "Insurance", "Engineering", "Construction",
        "Retail", "Holdings", "Group", "Services", "Analytics", "Labs", "Robotics", "Motors", "Airlines", "Telecom", "Realty", "Properties",
        "Electric", "Chemicals", "Materials", "Textiles", "Logistik", "Dental", "Clinic", "Hotels", "Travel", "Security", "Data", "Cloud",
    ];

    private static readonly (string Country, int Weight, string[] Forms, string Tld)[] Countries =
    [
        ("US", 35, ["Inc.", "Inc", "LLC", "Corp.", "Corporation", "Co.", ""], ".com"),
        ("GB", 10, ["Ltd", "Limited", "PLC", "Ltd.", ""], ".co.uk"),
        ("DE", 10, ["GmbH", "AG", "GmbH & Co. KG", "SE", ""], ".de"),
        ("FR", 7, ["SA", "SAS", "SARL", "S.A.", ""], ".fr"),
        ("JP", 6, ["K.K.", "Co., Ltd.", "Corporation", "Kabushiki Kaisha", ""], ".co.jp"),
        ("IN", 5, ["Pvt Ltd", "Private Limited", "Limited", "Ltd", ""], ".in"),
        ("CA", 4, ["Inc.", "Ltd", "Corp.", ""], ".ca"),
        ("AU", 4, ["Pty Ltd", "Pty. Ltd.", "Limited", ""], ".com.au"),
        ("NL", 3, ["B.V.", "BV", "N.V.", ""], ".nl"),
        ("BR", 3, ["Ltda", "S.A.", "Ltda.", ""], ".com.br"),
        ("ES", 3, ["S.L.", "S.A.", "SL", ""], ".es"),
        ("IT", 3, ["S.p.A.", "S.r.l.", "SRL", ""], ".it"),
        ("SE", 2, ["AB", "AB (publ)", ""], ".se"),
        ("CH", 2, ["AG", "SA", "GmbH", ""], ".ch"),
        ("CN", 2, ["Co., Ltd.", "Limited", ""], ".cn"),
        ("MX", 1, ["S.A. de C.V.", "S. de R.L. de C.V.", ""], ".com.mx"),
    ];

    private static readonly string[] FreeMail = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "gmx.de", "web.de", "qq.com", "icloud.com"];
    private static readonly string[] ProductLines = ["Security", "Networking", "Cloud", "Collaboration", "Data Center", "Analytics", "IoT", "Services"];
    private static readonly string[] Statuses = ["submitted", "under review", "approved", "approved", "open"];
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CustomerNormaliser _normaliser;
    private readonly int _totalWeight = Countries.Sum(c => c.Weight);
    private readonly Guid[] _partners;

    public SyntheticClaims(CustomerNormaliser normaliser)
    {
        _normaliser = normaliser;
        var random = new Random(17);
        _partners = [.. Enumerable.Range(0, 2_000).Select(_ => NewGuid(random))];
    }

    public static DateTimeOffset At => Now;

    /// <summary>A company as people write it: name parts, country, domain and DUNS.</summary>
    public sealed record Company(string Brand, string? Second, string? Industry, int Country, string? Domain, string? Duns, bool CommonName);

    /// <summary>The companies of a programme of <paramref name="claims"/> claims: four in five claims are on a company of their own.</summary>
    public List<Company> Companies(int claims)
    {
        var random = new Random(1234);
        var count = Math.Max(1, (int)(claims * 0.8));
        var companies = new List<Company>(count);
        for (var i = 0; i < count; i++)
        {
            companies.Add(NewCompany(random, i));
        }

        return companies;
    }

    /// <summary>The claims, streamed: one on each company, then the rest on companies already claimed, spelt differently.</summary>
    public IEnumerable<CustomerClaim> Claims(int count, IReadOnlyList<Company> companies)
    {
        var random = new Random(5678);
        for (var i = 0; i < count; i++)
        {
            var repeat = i >= companies.Count;
            var company = repeat ? companies[random.Next(companies.Count)] : companies[i];
            yield return Claim(random, company, variant: repeat);
        }
    }

    /// <summary>
    /// Checks to run against a programme: half are other spellings of claimed companies, three in ten
    /// companies nobody claimed, two in ten look-alikes (a claimed company's brand in another trade).
    /// </summary>
    public IReadOnlyList<MatchQuery> Queries(IReadOnlyList<Company> claimed, int count)
    {
        var random = new Random(99);
        var queries = new List<MatchQuery>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            Company company;
            if (roll < 0.5)
            {
                company = claimed[random.Next(claimed.Count)];
            }
            else if (roll < 0.8)
            {
                company = NewCompany(random, -1 - i);
            }
            else
            {
                var original = claimed[random.Next(claimed.Count)];
                company = original with { Industry = Pick(random, Industries), Domain = null, Duns = null };
            }

            var (name, domain) = Spell(random, company, variant: true);
            var customer = _normaliser.Normalise(name, domain, Countries[company.Country].Country, company.Duns);
            queries.Add(new MatchQuery(customer, [Pick(random, ProductLines)], Now));
        }

        return queries;
    }

    private CustomerClaim Claim(Random random, Company company, bool variant)
    {
        var (name, domain) = Spell(random, company, variant);
        var customer = _normaliser.Normalise(name, domain, Countries[company.Country].Country, variant && random.Next(3) == 0 ? null : company.Duns);
        var direct = random.Next(100) < 15;
        var status = direct ? "open" : Statuses[random.Next(Statuses.Length - 1)];
        var claimedAt = Now.AddDays(-random.Next(0, 180)).AddMinutes(-random.Next(0, 1440));
        DateTimeOffset? protectedUntil = status == "approved" ? claimedAt.AddDays(90) : null;
        string[] lines = random.Next(3) == 0 ? [Pick(random, ProductLines), Pick(random, ProductLines)] : [Pick(random, ProductLines)];
        return new CustomerClaim(NewGuid(random), direct ? ClaimKind.DirectOpportunity : ClaimKind.Registration,
            direct ? null : _partners[random.Next(_partners.Length)], customer, lines, status, claimedAt, protectedUntil);
    }

    private Company NewCompany(Random random, int serial)
    {
        var country = PickCountry(random);
        var roll = random.Next(100);
        string brand;
        string? second = null, industry = null;
        var common = false;
        if (roll < 40)
        {
            brand = Brand(random);
            industry = Pick(random, Industries);
        }
        else if (roll < 60)
        {
            brand = Brand(random);
        }
        else if (roll < 75)
        {
            brand = Pick(random, CommonWords);
            industry = Pick(random, Industries);
            common = true;
        }
        else if (roll < 85)
        {
            brand = Pick(random, CommonWords);
            second = Brand(random);
        }
        else if (roll < 95)
        {
            brand = Pick(random, Surnames);
            second = "& " + Pick(random, Surnames);
            common = true;
        }
        else
        {
            brand = Brand(random);
            second = Pick(random, Industries);
            industry = Pick(random, Industries);
        }

        string? domain = null;
        if (random.Next(100) < 80)
        {
            var label = new StringBuilder();
            foreach (var part in new[] { brand, second, industry })
            {
                if (part is not null)
                {
                    label.Append(part.Replace("& ", "", StringComparison.Ordinal).ToLowerInvariant());
                }
            }

            if (common)
            {
                label.Append(serial.ToString(CultureInfo.InvariantCulture).TrimStart('-'));
            }

            domain = label + (random.Next(2) == 0 ? ".com" : Countries[country].Tld);
        }

        var duns = random.Next(100) < 30 ? random.Next(10_000_000, 999_999_999).ToString("D9", CultureInfo.InvariantCulture) : null;
        return new Company(brand, second, industry, country, domain, duns, common);
    }

    private static (string Name, string? Domain) Spell(Random random, Company company, bool variant)
    {
        var forms = Countries[company.Country].Forms;
        var brand = company.Brand;
        if (variant && brand.Length > 6 && random.Next(20) == 0)
        {
            var at = random.Next(1, brand.Length - 2);
            brand = string.Concat(brand.AsSpan(0, at), brand.AsSpan(at + 1, 1), brand.AsSpan(at, 1), brand.AsSpan(at + 2)); // a typo
        }

        var name = new StringBuilder();
        if (variant && random.Next(20) == 0)
        {
            name.Append("The ");
        }

        name.Append(brand);
        if (company.Second is not null)
        {
            name.Append(' ').Append(variant && random.Next(4) == 0 ? company.Second.Replace("&", "and", StringComparison.Ordinal) : company.Second);
        }

        if (company.Industry is not null)
        {
            var industry = company.Industry;
            if (variant && random.Next(5) == 0)
            {
                industry = industry switch
                {
                    "Technologies" => "Tech",
                    "Manufacturing" => "Mfg",
                    "Services" => "Svcs",
                    "Systems" => "Sys",
                    "Pharmaceuticals" => "Pharma",
                    "Healthcare" => "Health Care",
                    _ => industry,
                };
            }

            name.Append(' ').Append(industry);
        }

        var form = forms[random.Next(forms.Length)];
        if (form.Length > 0)
        {
            name.Append(form.StartsWith(',') ? "" : " ").Append(form);
        }

        var text = variant && random.Next(10) == 0 ? name.ToString().ToUpperInvariant() : name.ToString();
        var domain = company.Domain;
        if (domain is not null)
        {
            var roll = random.Next(100);
            domain = roll switch
            {
                < 20 when variant => null,
                < 35 => $"https://www.{domain}/contact",
                < 55 => $"sales@{domain}",
                < 60 => $"{Pick(random, Surnames).ToLowerInvariant()}@{Pick(random, FreeMail)}",
                _ => domain,
            };
        }

        return (text, domain);
    }

    private static string Brand(Random random)
    {
        var builder = new StringBuilder();
        var syllables = random.Next(2, 4);
        for (var i = 0; i < syllables; i++)
        {
            builder.Append(Pick(random, Onsets)).Append(Pick(random, Vowels));
            if (i == syllables - 1 || random.Next(3) == 0)
            {
                builder.Append(Pick(random, Codas));
            }
        }

        builder[0] = char.ToUpperInvariant(builder[0]);
        return builder.ToString();
    }

    private int PickCountry(Random random)
    {
        var roll = random.Next(_totalWeight);
        for (var i = 0; i < Countries.Length; i++)
        {
            roll -= Countries[i].Weight;
            if (roll < 0)
            {
                return i;
            }
        }

        return 0;
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
