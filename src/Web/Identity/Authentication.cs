using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using CoSell.Domain.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace CoSell.Web.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>An OIDC authority; when set, its signing keys are used and no signing key is needed.</summary>
    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>A symmetric signing key of at least 32 bytes (UTF-8).</summary>
    public string? SigningKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>These settings with a blank value read as not set: an environment variable left empty by a template sets nothing.</summary>
    public AuthOptions Normalised() => new()
    {
        Authority = Blank(Authority) ? null : Authority!.Trim(),
        Issuer = Blank(Issuer) ? null : Issuer,
        Audience = Blank(Audience) ? null : Audience,
        SigningKey = Blank(SigningKey) ? null : SigningKey,
        TokenLifetime = TokenLifetime,
    };

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}

public static class Authentication
{
    /// <summary>The Development-only signing key; never accepted in any other environment.</summary>
    internal const string DevelopmentSigningKey = "cosell-development-signing-key-not-for-production-use-0001";
    internal const string DevelopmentIssuer = "cosell-dev";
    internal const string DevelopmentAudience = "cosell";

    public static IServiceCollection AddCoSellAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = (configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()).Normalised();
        if (environment.IsDevelopment())
        {
            options.Issuer ??= DevelopmentIssuer;
            options.Audience ??= DevelopmentAudience;
            if (options.Authority is null)
            {
                options.SigningKey ??= DevelopmentSigningKey;
            }
        }
        else
        {
            Validate(options);
        }

        services.AddSingleton(options);
        services.AddSingleton<TokenIssuer>();
        var keys = new IdentityProviderKeys(options.Authority);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            // The framework's own error_description quotes what it refused (a token's issuer, say): a header value that
            // a quote can break and a non-ASCII character make unsendable (a 500). The 401's body says why instead.
            jwt.IncludeErrorDetails = false;
            jwt.Authority = options.Authority;
            jwt.Audience = options.Audience;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = options.Issuer,
                ValidateAudience = true,
                ValidAudience = options.Audience,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = CoSellClaims.Subject,
                RoleClaimType = CoSellClaims.Role,
                IssuerSigningKey = options.SigningKey is null ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey)),
            };
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSockets: the hub takes the token from the query string.
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.TryGetValue("access_token", out var token))
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    // RFC 7515 4.1.11: a token whose "crit" names extensions must be refused by a recipient that does not
                    // understand them, and this service understands none.
                    if (context.SecurityToken is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt && jwt.TryGetHeaderValue<object>("crit", out _))
                    {
                        context.Fail(new UnusableTokenException("The token names critical header extensions (crit), which this service does not understand."));
                    }
                    else if (Unusable(context.Principal) is { } reason)
                    {
                        context.Fail(new UnusableTokenException(reason));
                    }
                    else if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") && context.SecurityToken.ValidTo <= DateTime.UtcNow)
                    {
                        // The API takes a token up to 30 s past its expiry (clock skew), but the hub closes a connection at
                        // the expiry itself and lets its client reconnect: a connection opened in those 30 s would be
                        // closed at once, and reopened, again and again. A feed opens only on a token that has not expired
                        // (on the wall clock the validator and the hub's close both read).
                        context.Fail(new SecurityTokenExpiredException("The token has expired."));
                    }

                    return Task.CompletedTask;
                },
                // A token refused for want of a key, under an authority whose keys may not be readable.
                OnAuthenticationFailed = keys.CheckAsync,
                // The problem the status page writes says why the token was refused, in the service's own words.
                OnChallenge = async context =>
                {
                    if (context.AuthenticateFailure is IdentityProviderKeysUnavailableException unavailable)
                    {
                        // No fault of the token: a 401 would send its client to sign in again, for nothing.
                        context.HandleResponse();
                        var problem = Http.ProblemExceptionHandler.Map(unavailable);
                        Http.ProblemExceptionHandler.Answer(context.Response, problem);
                        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                            .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
                        return;
                    }

                    if (context.AuthenticateFailure is not null)
                    {
                        context.Error = "invalid_token";
                    }

                    context.HttpContext.Items[TokenRefusal.Key] = TokenRefusal.Describe(context.AuthenticateFailure);
                },
            };
        });
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Http.RoleRefusal>();
        WithoutKeyRingWarmUp(services);
        return services;
    }

    /// <summary>
    /// Bearer tokens need no data protection, but <c>AddAuthentication</c> registers it, and its hosted service loads
    /// (or creates) the XML key ring on every start: a third of a second of start-up and the XML stack in memory for
    /// a key nobody uses. Without the warm-up the key ring would load on first use, which never comes.
    /// </summary>
    private static void WithoutKeyRingWarmUp(IServiceCollection services)
    {
        var warmUp = typeof(DataProtectionOptions).Assembly.GetType("Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == warmUp).ToList())
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>
    /// Why a validly signed token still signs nobody in, or null. Every change is recorded against the user who made
    /// it, so a token must name its subject; every rule keys on the role, so it must name exactly one this service
    /// knows (a token an identity provider issued for another audience's roles, or none, must not fall through to
    /// whatever a missing role happens to allow); and a partner's token must name its organisation, the wall between
    /// partners.
    /// </summary>
    internal static string? Unusable(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(CoSellClaims.Subject)?.Value is not { } subject || string.IsNullOrWhiteSpace(subject))
        {
            return "The token names no subject (sub).";
        }

        // As an identity provider issues one, and as a user row can hold it: a subject no row could take (a NUL in it,
        // 300 characters) would act as a user who could never be given a name, a role or a deactivation.
        if (!UserIds.IsSubject(subject))
        {
            return $"The token's subject (sub) is not 1 to {UserIds.MaximumSubjectLength} visible ASCII characters, as an identity provider issues it.";
        }

        var roles = principal.FindAll(CoSellClaims.Role).Select(c => c.Value).ToList();
        if (roles is not [var role] || !Roles.All.Contains(role))
        {
            return $"The token must name exactly one role of {string.Join(", ", Roles.All)}.";
        }

        if (role != Roles.Partner)
        {
            return null;
        }

        return principal.FindAll(CoSellClaims.PartnerId).Select(c => c.Value).ToList() is [var partner] && Guid.TryParse(partner, out _)
            ? null
            : "A partner's token must name its one partner organisation (partner_id).";
    }

    /// <summary>Outside Development the service refuses to start without a real token configuration.</summary>
    internal static void Validate(AuthOptions options)
    {
        if (Problem(options) is { } problem)
        {
            throw new StartupRefusedException(problem);
        }
    }

    /// <summary>
    /// An authority that is not an https address: the bearer handler would refuse it at the first request, every request,
    /// health checks included, a 500. In every environment.
    /// </summary>
    internal static string? AuthorityProblem(AuthOptions options) =>
        options.Normalised().Authority is not { } authority || (Uri.TryCreate(authority, UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"Auth:Authority is '{authority}': set the https:// address of the OpenID Connect issuer whose keys sign the tokens (its metadata is read from <address>/.well-known/openid-configuration).";

    /// <summary>What the token configuration lacks, in one sentence; null when nothing.</summary>
    internal static string? Problem(AuthOptions options)
    {
        options = options.Normalised();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            problems.Add("Auth:Issuer");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add("Auth:Audience");
        }

        if (string.IsNullOrWhiteSpace(options.Authority) && (options.SigningKey is null || TooShort(options.SigningKey)))
        {
            problems.Add("either Auth:Authority or an Auth:SigningKey of at least 32 bytes (not counting blanks)");
        }
        else if (options.SigningKey is { } key && TooShort(key))
        {
            // Beside an authority a key still signs what the service accepts: a short one would be a guessable key.
            problems.Add("an Auth:SigningKey of at least 32 bytes (not counting blanks) beside Auth:Authority, or none");
        }

        if (options.SigningKey == DevelopmentSigningKey)
        {
            problems.Add("a signing key other than the Development one");
        }

        return problems.Count > 0 ? $"CoSell will not start without token configuration: set {string.Join(", and ", problems)}." : null;
    }

    /// <summary>
    /// In Development, a signing key that is set but too short: every token the demo sign-in issued with it would fail
    /// to be signed (a 500). Unset, the Development key stands in.
    /// </summary>
    internal static string? DevelopmentSigningKeyProblem(AuthOptions options) =>
        options.Normalised().SigningKey is { } key && TooShort(key)
            ? "Auth:SigningKey is shorter than 32 bytes (not counting blanks): set a longer key, or leave it unset to sign the demo sign-in's tokens with the Development key."
            : null;

    // Counted without blanks: forty spaces are forty bytes, and no secret.
    private static bool TooShort(string key) => Encoding.UTF8.GetByteCount(string.Concat(key.Where(c => !char.IsWhiteSpace(c)))) < 32;
}

/// <summary>Issues tokens for the Development sign-in, on the wall clock the token validator also uses.</summary>
public sealed class TokenIssuer(AuthOptions options)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(User user)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now.Add(options.TokenLifetime);
        var claims = new List<Claim>
        {
            new(CoSellClaims.Subject, user.Subject ?? user.Id.ToString()),
            new(CoSellClaims.Role, user.Role),
            new(CoSellClaims.Name, user.UserName),
        };
        if (user.PartnerId is { } partner)
        {
            claims.Add(new Claim(CoSellClaims.PartnerId, partner.ToString()));
        }

        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey!)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(options.Issuer, options.Audience, claims, now.UtcDateTime, expires.UtcDateTime, credentials);
        return (new JwtSecurityTokenHandler().WriteToken(token), expires);
    }
}
