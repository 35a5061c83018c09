using Microsoft.IdentityModel.Tokens;

namespace CoSell.Web.Identity;

/// <summary>
/// Why a request was not signed in, for the 401 problem's <c>detail</c>: an operator whose issuer or audience setting is
/// wrong, or a client whose token expired, learns which, in words of this service's own. Nothing of the token is
/// echoed, nor what the service expected instead.
/// </summary>
public static class TokenRefusal
{
    internal static readonly object Key = new();

    public static string Describe(Exception? failure) => failure switch
    {
        null => "Send a bearer token in the Authorization header.",
        SecurityTokenExpiredException => "The token has expired: sign in again.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token names no expiry (exp): this service accepts only tokens that expire.",
        SecurityTokenInvalidLifetimeException => "The token's validity ends before it begins (its exp is not after its nbf).",
        SecurityTokenInvalidAudienceException => "The token was issued for another audience than this service's.",
        SecurityTokenInvalidIssuerException => "The token was issued by an issuer this service does not trust.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify with this service's keys.",
        // Three segments that are not base64url JSON fail to decode before the handler can call them malformed.
        SecurityTokenMalformedException or ArgumentException => "The token cannot be read as a JWT.",
        UnusableTokenException own => own.Message,
        _ => "The token is not accepted.",
    };

    /// <summary>The refusal described for this request's challenge, if it had one.</summary>
    public static string? Of(HttpContext http) => http.Items.TryGetValue(Key, out var detail) ? detail as string : null;
}

/// <summary>A signed token the service's own checks refuse (its sub, role, partner_id or crit header), saying why.</summary>
public sealed class UnusableTokenException(string message) : Exception(message);

/// <summary>The identity provider's signing keys cannot be read now, so no token can be verified.</summary>
public sealed class IdentityProviderKeysUnavailableException()
    : Exception("The service cannot read its identity provider's signing keys now, so it can verify no token: try again later.");
