using System.Text;
using CoSell.Application.AccountMapping;

namespace CoSell.Web.Identity;

/// <summary>The key of the account-mapping tokens: a fixed one in Development, a real one everywhere else.</summary>
public static class AccountMappingSecret
{
    /// <summary>The Development-only secret; never accepted in any other environment.</summary>
    internal const string DevelopmentSecret = "cosell-development-account-mapping-secret-not-for-production-0001";

    internal const string Key = AccountMappingOptions.Section + ":" + nameof(AccountMappingOptions.Secret);

    private const int MinimumBytes = 32;

    /// <summary>
    /// Fills in the Development secret where none is set, or refuses to start without a real one outside Development. A
    /// secret set in Development is held to the same length as anywhere else: a short one would key tokens a guess finds.
    /// </summary>
    public static void Apply(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            if (string.IsNullOrWhiteSpace(configuration[Key]))
            {
                configuration[Key] = DevelopmentSecret;
            }
            else if (DevelopmentProblem(configuration[Key]) is { } problem)
            {
                throw new StartupRefusedException(problem);
            }

            return;
        }

        Validate(configuration[Key]);
    }

    internal static void Validate(string? secret)
    {
        if (Problem(secret) is { } problem)
        {
            throw new StartupRefusedException(problem);
        }
    }

    /// <summary>In Development, a secret that is set but too short, in one sentence; null when unset (the Development one stands in) or long enough.</summary>
    internal static string? DevelopmentProblem(string? secret) =>
        !string.IsNullOrWhiteSpace(secret) && Encoding.UTF8.GetByteCount(secret) < MinimumBytes
            ? $"The account-mapping secret {Key} is shorter than {MinimumBytes} bytes: set at least {MinimumBytes} random bytes, or leave it unset in Development for the Development one."
            : null;

    /// <summary>What is wrong with the secret, in one sentence; null when nothing.</summary>
    internal static string? Problem(string? secret) =>
        string.IsNullOrWhiteSpace(secret) || Encoding.UTF8.GetByteCount(secret) < MinimumBytes || secret == DevelopmentSecret
            ? $"CoSell will not start without an account-mapping secret: set {Key} to at least {MinimumBytes} random bytes, other than the Development one. " +
              "Changing it later re-keys the stored tokens at the next start."
            : null;
}
