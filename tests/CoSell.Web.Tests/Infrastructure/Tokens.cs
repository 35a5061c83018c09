using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>Bearer tokens the service must refuse: signed with another key, expired, or not a token at all.</summary>
public static class Tokens
{
    /// <summary>A token for the Northwind partner user, signed with the given key (the service's own when null).</summary>
    public static string Mint(CoSellApp app, string? signingKey = null, DateTime? notBefore = null, DateTime? expires = null, IEnumerable<Claim>? claims = null)
    {
        var options = app.Services.GetRequiredService<AuthOptions>();
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey ?? options.SigningKey!));
        claims ??=
        [
            new Claim(CoSellClaims.Subject, DemoProgramme.NorthwindUser.ToString()),
            new Claim(CoSellClaims.Role, "partner"),
            new Claim(CoSellClaims.Name, "partner.northwind"),
            new Claim(CoSellClaims.PartnerId, DemoProgramme.Northwind.ToString()),
        ];
        var from = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        var token = new JwtSecurityToken(options.Issuer, options.Audience, claims, from, expires ?? from.AddHours(1), new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>A properly signed token for a partner user whose <c>partner_id</c> claim is missing or unreadable.</summary>
    public static string PartnerWithoutPartner(CoSellApp app, string? partnerId)
    {
        var claims = new List<Claim>
        {
            new(CoSellClaims.Subject, Guid.NewGuid().ToString()),
            new(CoSellClaims.Role, "partner"),
            new(CoSellClaims.Name, "partner.nobody"),
        };
        if (partnerId is not null)
        {
            claims.Add(new Claim(CoSellClaims.PartnerId, partnerId));
        }

        return Mint(app, claims: claims);
    }

    /// <summary>A token signed with the service's own key whose header marks an extension critical (RFC 7515 4.1.11).</summary>
    public static string WithCriticalExtension(CoSellApp app)
    {
        var token = new JwtSecurityTokenHandler().ReadJwtToken(Mint(app));
        var options = app.Services.GetRequiredService<AuthOptions>();
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey!)), SecurityAlgorithms.HmacSha256);
        var header = new JwtHeader(credentials) { ["crit"] = new[] { "exp2" }, ["exp2"] = 1 };
        return new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(header, token.Payload));
    }

    /// <summary>A well-formed token signed with a key the service never saw.</summary>
    public static string Forged(CoSellApp app) => Mint(app, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));

    /// <summary>A token signed with the service's own key whose lifetime ended an hour ago.</summary>
    public static string Expired(CoSellApp app) => Mint(app, notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-1));

    public static HttpClient ClientWith(CoSellApp app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
