using System.Globalization;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>An amount in an ISO 4217 currency.</summary>
public sealed record Money
{
    /// <summary>No single deal is worth more than this; larger figures are typing mistakes.</summary>
    public const decimal MaximumAmount = 100_000_000_000m;

    // Active ISO 4217 codes.
    private static readonly HashSet<string> Currencies = new(StringComparer.Ordinal)
    {
        "AED","AFN","ALL","AMD","ANG","AOA","ARS","AUD","AWG","AZN","BAM","BBD","BDT","BGN","BHD","BIF","BMD","BND","BOB","BRL","BSD","BTN","BWP","BYN","BZD","CAD",
        "CDF","CHF","CLP","CNY","COP","CRC","CUP","CVE","CZK","DJF","DKK","DOP","DZD","EGP","ERN","ETB","EUR","FJD","FKP","GBP","GEL","GHS","GIP","GMD","GNF","GTQ",
        "GYD","HKD","HNL","HTG","HUF","IDR","ILS","INR","IQD","IRR","ISK","JMD","JOD","JPY","KES","KGS","KHR","KMF","KPW","KRW","KWD","KYD","KZT","LAK","LBP","LKR",
        "LRD","LSL","LYD","MAD","MDL","MGA","MKD","MMK","MNT","MOP","MRU","MUR","MVR","MWK","MXN","MYR","MZN","NAD","NGN","NIO","NOK","NPR","NZD","OMR","PAB","PEN",
        "PGK","PHP","PKR","PLN","PYG","QAR","RON","RSD","RUB","RWF","SAR","SBD","SCR","SDG","SEK","SGD","SHP","SLE","SOS","SRD","SSP","STN","SVC","SYP","SZL","THB",
        "TJS","TMT","TND","TOP","TRY","TTD","TWD","TZS","UAH","UGX","USD","UYU","UZS","VED","VES","VND","VUV","WST","XAF","XCD","XCG","XOF","XPF","YER","ZAR","ZMW","ZWG",
    };

    // ISO 4217 currencies with no minor unit: a yen or a won is not divided.
    private static readonly HashSet<string> WholeUnitCurrencies = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    // ISO 4217 currencies whose minor unit is a thousandth: a dinar is 1,000 fils, an Omani rial 1,000 baisa.
    private static readonly HashSet<string> ThreeDecimalCurrencies = new(StringComparer.Ordinal)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    private Money(decimal amount, string currency)
    {
        Amount = OneWrittenForm(amount);
        Currency = currency;
    }

    /// <summary>
    /// One written form per value: 120000, 120000.0 and 120000.00 are the same amount, but a decimal keeps the scale it
    /// was made with (SQLite hands back "120000.0", a request may send 1.2300). Dividing by one with 28 zeros drops the
    /// trailing zeros, so an amount reads back exactly as it was first answered.
    /// </summary>
    public static decimal OneWrittenForm(decimal amount) => amount / 1.0000000000000000000000000000m;

    public decimal Amount { get; }

    public string Currency { get; }

    /// <summary>
    /// An amount as a sentence shows it, with its currency: a whole amount as 1,000 USD, any other with every decimal of
    /// the currency's minor unit, 999.50 USD or 1.200 BHD, and never rounded, so a figure in words is the one the rules
    /// compare against.
    /// </summary>
    public static string InWords(decimal amount, string currency)
    {
        var fraction = decimal.Truncate(amount) == amount ? "" : "." + new string('0', Decimals(currency)) + new string('#', 28);
        return string.Create(CultureInfo.InvariantCulture, $"{amount.ToString("#,##0" + fraction, CultureInfo.InvariantCulture)} {currency.ToUpperInvariant()}");
    }

    /// <summary>
    /// What a currency the service does not take is told: an active ISO 4217 code of a currency in circulation is taken,
    /// so a fund or unit of account (CLF, UYW), a metal (XAU) or a withdrawn code is refused as well as a made-up one.
    /// </summary>
    public static string UnknownCurrency(string? code) =>
        $"'{code}' is not a currency CoSell takes: give the ISO 4217 code of a currency in circulation, such as USD or EUR.";

    /// <remarks>Only ASCII letters are taken, as for a country: upper-cased, <c>uſd</c> would pass for USD.</remarks>
    public static bool IsKnownCurrency(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetter) && Currencies.Contains(code.ToUpperInvariant());

    /// <summary>
    /// How many decimals an amount in the currency has, its ISO 4217 minor unit: three for the dinars and rials of
    /// BHD, IQD, JOD, KWD, LYD, OMR and TND, none for a currency without a minor unit (JPY, KRW), two for every other.
    /// </summary>
    public static int Decimals(string code)
    {
        var upper = code.ToUpperInvariant();
        return WholeUnitCurrencies.Contains(upper) ? 0 : ThreeDecimalCurrencies.Contains(upper) ? 3 : 2;
    }

    /// <summary>The smallest amount there is in the currency, one of its minor unit: 0.01 USD, 0.001 BHD, 1 JPY.</summary>
    public static decimal SmallestAmount(string code) => Decimals(code) switch { 0 => 1m, 3 => 0.001m, _ => 0.01m };

    /// <summary>Whether the amount has no more decimals than the currency's minor unit allows.</summary>
    public static bool FitsMinorUnit(decimal amount, string code) => decimal.Round(amount, Decimals(code)) == amount;

    /// <summary>What an amount finer than the currency's minor unit is told.</summary>
    public static string MinorUnitRule(string code)
    {
        var upper = code.ToUpperInvariant();
        var decimals = Decimals(upper);
        return decimals == 0
            ? $"{upper} has no minor unit: give a whole amount."
            : $"An amount in {upper} has at most {(decimals == 3 ? "three" : "two")} decimals.";
    }

    public static Money Of(decimal amount, string? currency)
    {
        if (!IsKnownCurrency(currency))
        {
            throw new DomainValidationException("money.unknown_currency", "currency", UnknownCurrency(Characters.Shown(currency)));
        }

        var code = currency!.ToUpperInvariant();
        if (amount < SmallestAmount(code) || amount > MaximumAmount)
        {
            throw new DomainValidationException("money.out_of_range", "amount", string.Create(CultureInfo.InvariantCulture, $"An amount must be at least {SmallestAmount(code)} and at most {MaximumAmount:N0}."));
        }

        // Nothing is rounded away: 999.995 USD is not 1,000 USD, and 1.2345 BHD is not 1.235 BHD.
        if (!FitsMinorUnit(amount, code))
        {
            throw new DomainValidationException("money.fraction_invalid", "amount", MinorUnitRule(code));
        }

        return new Money(amount, code);
    }

    /// <summary>
    /// The amount with every decimal of its currency's minor unit and the currency, in the same form on every host:
    /// 1234.50 USD, 1.200 BHD, 1000 JPY. Timeline lines keep it.
    /// </summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount.ToString(Decimals(Currency) == 0 ? "0" : "0." + new string('0', Decimals(Currency)), CultureInfo.InvariantCulture)} {Currency}");
}
