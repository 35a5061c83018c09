using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CoSell.LoadDriver;

/// <summary>Mints HS256 bearer tokens with the key the service under test is configured with.</summary>
internal static class Jwt
{
    public static string Mint(string signingKey, string issuer, string audience, IReadOnlyDictionary<string, string> claims, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in claims)
            {
                json.WriteString(name, value);
            }

            json.WriteString("iss", issuer);
            json.WriteString("aud", audience);
            json.WriteNumber("iat", now);
            json.WriteNumber("nbf", now - 5);
            json.WriteNumber("exp", now + (long)lifetime.TotalSeconds);
            json.WriteEndObject();
        }

        var payload = Base64Url(buffer.ToArray());
        var signingInput = $"{header}.{payload}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
