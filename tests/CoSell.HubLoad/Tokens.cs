using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CoSell.HubLoad;

/// <summary>Mints HS256 JWTs with the key the service under load was started with (claims sub, role, partner_id).</summary>
internal sealed class Tokens(string issuer, string audience, string signingKey)
{
    public string Mint(Guid subject, string role, Guid? partnerId = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject.ToString(),
            ["role"] = role,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now - 60,
            ["exp"] = now + 4 * 3600,
        };
        if (partnerId is { } partner)
        {
            claims["partner_id"] = partner.ToString();
        }

        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
