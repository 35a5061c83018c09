using System.Globalization;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>An amount in an ISO 4217 currency.</summary>
public sealed record Money
{
    /// <summary>No single deal is worth more than this; larger figures are typing mistakes.</summary>
    public const decimal MaximumAmount = 100_000_000_000m;

    /// <summary>Amounts are kept to two decimals, so one hundredth is the smallest there is.</summary>
    public const decimal SmallestAmount = 0.01m;

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

    private Money(decimal amount, string currency)
    {
        // One written form per value: 120000, 120000.0 and 120000.00 are the same amount, but a decimal keeps the
        // scale it was made with, and SQLite hands back "120000.0". Dividing by one with 28 zeros drops the
        // trailing zeros, so an amount reads back exactly as it was first answered.
        Amount = amount / 1.0000000000000000000000000000m;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }

    /// <summary>
    /// An amount as a sentence shows it: a whole amount as 1,000, any other with its cents, 999.50, and never rounded,
    /// so a figure in words is the one the rules compare against.
    /// </summary>
    public static string InWords(decimal amount) =>
        amount.ToString(decimal.Truncate(amount) == amount ? "#,##0" : "#,##0.00############################", CultureInfo.InvariantCulture);

    /// <summary>Whether the currency has no minor unit (a yen, a won): its amounts are whole.</summary>
    public static bool IsWholeUnit(string? code) => code is { Length: 3 } && WholeUnitCurrencies.Contains(code.ToUpperInvariant());

    public static bool IsKnownCurrency(string? code) => code is { Length: 3 } && Currencies.Contains(code.ToUpperInvariant());

    public static Money Of(decimal amount, string? currency)
    {
        if (!IsKnownCurrency(currency))
        {
            throw new DomainValidationException("money.unknown_currency", "currency", $"'{CountryCode.Truncate(currency)}' is not an ISO 4217 currency code.");
        }

        var rounded = decimal.Round(amount, 2);
        if (rounded < SmallestAmount || rounded > MaximumAmount)
        {
            throw new DomainValidationException("money.out_of_range", "amount", string.Create(CultureInfo.InvariantCulture, $"An amount must be at least {SmallestAmount} and at most {MaximumAmount:N0}."));
        }

        var code = currency!.ToUpperInvariant();
        if (IsWholeUnit(code) && decimal.Truncate(amount) != amount)
        {
            throw new DomainValidationException("money.fraction_invalid", "amount", $"{code} has no minor unit: give a whole amount.");
        }

        return new Money(rounded, code);
    }

    /// <summary>The amount with two decimals and the currency, in the same form on every host: timeline lines keep it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00} {Currency}");
}
