using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CoSell.Web.Http;

/// <summary>
/// A JSON number as the value it writes: its sign, its significant digits (no zero at either end) and the power of ten of
/// the last one. Numbers of equal value read alike however they are written (<c>2000</c>, <c>2000.00</c>, <c>2e3</c>,
/// <c>2.000E+3</c>); zero is one, whatever its sign. Read exactly, with no range or precision of its own.
/// </summary>
public readonly record struct JsonNumber(bool Negative, string Digits, long Exponent)
{
    /// <summary>
    /// The largest power of ten read. No value the API takes comes near it; beyond it the number has no parts, so the
    /// arithmetic on the exponent never overflows.
    /// </summary>
    private const long LargestExponent = 1_000_000_000_000_000;

    private static readonly JsonNumber Zero = new(false, "0", 0);

    /// <summary>The parts of a JSON number token, or null for a power of ten beyond <see cref="LargestExponent"/> or a token that is no number.</summary>
    public static JsonNumber? TryRead(ReadOnlySpan<byte> number)
    {
        var negative = number.Length > 0 && number[0] == '-';
        var rest = negative ? number[1..] : number;
        var e = rest.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = e < 0 ? rest : rest[..e];
        var point = mantissa.IndexOf((byte)'.');
        var whole = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? [] : mantissa[(point + 1)..];
        if (whole.IsEmpty || whole.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return null;
        }

        var digits = string.Concat(Encoding.ASCII.GetString(whole), Encoding.ASCII.GetString(fraction));
        var significant = digits.TrimStart('0');
        if (significant.Length == 0)
        {
            // Zero is zero at any power of ten.
            return Zero;
        }

        long exponent = 0;
        if (e >= 0)
        {
            var power = rest[(e + 1)..];
            var minus = power.Length > 0 && power[0] == '-';
            power = power.Length > 0 && power[0] is (byte)'+' or (byte)'-' ? power[1..] : power;
            if (power.IsEmpty || power.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                return null;
            }

            power = power.TrimStart((byte)'0');
            if (power.Length > 18 || !Utf8Parser.TryParse(power.IsEmpty ? "0"u8 : power, out long magnitude, out _) || magnitude > LargestExponent)
            {
                return null;
            }

            exponent = minus ? -magnitude : magnitude;
        }

        var trimmed = significant.TrimEnd('0');
        return new JsonNumber(negative, trimmed, exponent - fraction.Length + (significant.Length - trimmed.Length));
    }

    /// <summary>The one way this value is written: its digits and, unless it is zero, the power of ten (<c>2000.00</c> is <c>2E3</c>, <c>-0.5</c> is <c>-5E-1</c>).</summary>
    public override string ToString() =>
        Exponent == 0 ? (Negative ? "-" : string.Empty) + Digits : string.Create(CultureInfo.InvariantCulture, $"{(Negative ? "-" : string.Empty)}{Digits}E{Exponent}");
}
