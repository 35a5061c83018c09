using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>An ISO 3166-1 alpha-2 country code, upper case.</summary>
public readonly record struct CountryCode
{
    // Officially assigned ISO 3166-1 alpha-2 codes.
    private static readonly HashSet<string> Assigned = new(StringComparer.Ordinal)
    {
        "AD","AE","AF","AG","AI","AL","AM","AO","AQ","AR","AS","AT","AU","AW","AX","AZ","BA","BB","BD","BE","BF","BG","BH","BI","BJ","BL","BM","BN","BO","BQ","BR","BS",
        "BT","BV","BW","BY","BZ","CA","CC","CD","CF","CG","CH","CI","CK","CL","CM","CN","CO","CR","CU","CV","CW","CX","CY","CZ","DE","DJ","DK","DM","DO","DZ","EC","EE",
        "EG","EH","ER","ES","ET","FI","FJ","FK","FM","FO","FR","GA","GB","GD","GE","GF","GG","GH","GI","GL","GM","GN","GP","GQ","GR","GS","GT","GU","GW","GY","HK","HM",
        "HN","HR","HT","HU","ID","IE","IL","IM","IN","IO","IQ","IR","IS","IT","JE","JM","JO","JP","KE","KG","KH","KI","KM","KN","KP","KR","KW","KY","KZ","LA","LB","LC",
        "LI","LK","LR","LS","LT","LU","LV","LY","MA","MC","MD","ME","MF","MG","MH","MK","ML","MM","MN","MO","MP","MQ","MR","MS","MT","MU","MV","MW","MX","MY","MZ","NA",
        "NC","NE","NF","NG","NI","NL","NO","NP","NR","NU","NZ","OM","PA","PE","PF","PG","PH","PK","PL","PM","PN","PR","PS","PT","PW","PY","QA","RE","RO","RS","RU","RW",
        "SA","SB","SC","SD","SE","SG","SH","SI","SJ","SK","SL","SM","SN","SO","SR","SS","ST","SV","SX","SY","SZ","TC","TD","TF","TG","TH","TJ","TK","TL","TM","TN","TO",
        "TR","TT","TV","TW","TZ","UA","UG","UM","US","UY","UZ","VA","VC","VE","VG","VI","VN","VU","WF","WS","YE","YT","ZA","ZM","ZW",
    };

    private CountryCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>
    /// Whether <paramref name="value"/> is an assigned code in either case. Only ASCII letters are: upper-casing would
    /// make the long s (<c>ſ</c>) an S, so <c>uſ</c> would pass for US.
    /// </summary>
    public static bool IsValid(string? value) =>
        value is { Length: 2 } && value.All(char.IsAsciiLetter) && Assigned.Contains(value.ToUpperInvariant());

    public static CountryCode From(string? value) =>
        IsValid(value)
            ? new CountryCode(value!.ToUpperInvariant())
            : throw new DomainValidationException("country.unknown", "country", $"'{Characters.Shown(value)}' is not an ISO 3166-1 alpha-2 country code.");

    public override string ToString() => Value;
}
