using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CoSell.Domain.AccountMapping;

namespace CoSell.Infrastructure.AccountMapping;

/// <summary>
/// HMAC-SHA256 tokens under the configured secret, truncated to 128 bits. Each kind of identifier is
/// prefixed before hashing (<c>d:</c> domain, <c>u:</c> DUNS, <c>n:</c> name key and country), so a domain
/// never matches a name.
/// </summary>
public sealed class HmacAccountKeyer : IAccountKeyer, IDisposable
{
    // Keys are ASCII; one of a long name can pass this, and is then hashed from the heap.
    private const int StackInputBytes = 1024;

    private readonly ThreadLocal<IncrementalHash> _hmac;

    public HmacAccountKeyer(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var key = Encoding.UTF8.GetBytes(secret);
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), trackAllValues: true);
        Fingerprint = Convert.ToHexString(HMACSHA256.HashData(key, "cosell:account-mapping:key-fingerprint"u8))[..32].ToLowerInvariant();
    }

    public string Fingerprint { get; }

    public AccountTokens Tokenise(string? registrableDomain, string? duns, string nameKey, string? country) => new(
        Token("d:", registrableDomain, null),
        Token("u:", duns, null),
        string.IsNullOrEmpty(nameKey) || country is null ? UInt128.Zero : Token("n:", nameKey, country));

    private UInt128 Token(string kind, string? value, string? country)
    {
        if (string.IsNullOrEmpty(value))
        {
            return UInt128.Zero;
        }

        var needed = kind.Length + Encoding.UTF8.GetByteCount(value) + 1 + (country?.Length ?? 0);
        Span<byte> input = needed <= StackInputBytes ? stackalloc byte[StackInputBytes] : new byte[needed];
        var length = Encoding.ASCII.GetBytes(kind, input);
        length += Encoding.UTF8.GetBytes(value, input[length..]);
        if (country is not null)
        {
            input[length++] = (byte)'|';
            length += Encoding.ASCII.GetBytes(country, input[length..]);
        }

        Span<byte> mac = stackalloc byte[32];
        var hmac = _hmac.Value!;
        hmac.AppendData(input[..length]);
        hmac.GetHashAndReset(mac);
        var token = BinaryPrimitives.ReadUInt128LittleEndian(mac);
        return token == UInt128.Zero ? UInt128.One : token;
    }

    public void Dispose()
    {
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _hmac.Dispose();
    }
}
