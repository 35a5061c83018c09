using System.Globalization;
using CoSell.Application.AccountMapping;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CoSell.Web.Identity;

/// <summary>
/// The settings a start cannot do without or cannot run with, checked together so that one refusal names every one
/// wrong: in every environment the database, the background intervals and limits, account mapping's limits, the form
/// of a token authority, the log levels and every value's type; outside Development the tokens' and account mapping's
/// secrets too, and in Development a signing key, when one is set, as long as anywhere.
/// </summary>
public static class RequiredSettings
{
    /// <summary>The longest interval a background service waits between rounds (its timer takes at most 49 days).</summary>
    private static readonly TimeSpan LongestInterval = TimeSpan.FromDays(30);

    /// <returns>The database settings as bound here, so that the start binds them once.</returns>
    public static DatabaseOptions Check(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string?>
        {
            Bound<DatabaseOptions>(configuration, DatabaseOptions.Section, out var database) ?? database!.Problem(),
            IntervalProblem(configuration, "Expiry:Interval"),
            IntervalProblem(configuration, "Escalation:Interval"),
            PositiveCountProblem(configuration, "DuplicateChecks:PermitPerMinute"),
            Bound<AuthOptions>(configuration, AuthOptions.Section, out var auth) ?? Authentication.AuthorityProblem(auth!),
            auth is null ? null : TokenLifetimeProblem(auth),
        };
        problems.AddRange(LogSettings.Problems(configuration));
        problems.Add(ProtocolsProblem(configuration));
        problems.AddRange(Bound<AccountMappingOptions>(configuration, AccountMappingOptions.Section, out var mapping) is { } unbound ? [unbound] : mapping!.Problems());
        if (!environment.IsDevelopment())
        {
            problems.Add(auth is null ? null : Authentication.Problem(auth));
            problems.Add(AccountMappingSecret.Problem(configuration[AccountMappingSecret.Key]));
        }
        else
        {
            problems.Add(auth is null ? null : Authentication.DevelopmentSigningKeyProblem(auth));
            problems.Add(AccountMappingSecret.DevelopmentProblem(configuration[AccountMappingSecret.Key]));
        }

        if (problems.OfType<string>().ToList() is { Count: > 0 } refused)
        {
            throw new StartupRefusedException(string.Join(Environment.NewLine, refused));
        }

        return database!;
    }

    /// <summary>A section read into its options, or why it cannot be: a value of the wrong type (a time span of 'xyz').</summary>
    private static string? Bound<T>(IConfiguration configuration, string section, out T? options)
        where T : class, new()
    {
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
            return null;
        }
        catch (InvalidOperationException e)
        {
            options = null;
            return $"{e.Message} Correct or remove that setting.";
        }
    }

    /// <summary>
    /// Kestrel reads an endpoint's <c>Protocols</c>, <c>SslProtocols</c> or <c>ClientCertificateMode</c> it cannot parse
    /// as no setting at all, and serves its defaults: a misspelt TLS version or certificate mode would turn a restriction
    /// or mutual TLS off without a word. A value that names none of them (a misspelling, or a number) is refused here
    /// instead, on the endpoint defaults, each endpoint and each endpoint's server names (<c>Sni</c>).
    /// </summary>
    private static string? ProtocolsProblem(IConfiguration configuration)
    {
        var kestrel = configuration.GetSection("Kestrel");
        var endpoints = kestrel.GetSection("Endpoints").GetChildren().ToList();
        var places = endpoints.SelectMany(e => e.GetSection("Sni").GetChildren()).Concat(endpoints).Prepend(kestrel.GetSection("EndpointDefaults")).ToList();
        var wrong = places.Select(p => p.GetSection("Protocols")).Where(p => p.Value is { } value && !Names<HttpProtocols>(value, nameof(HttpProtocols.None)))
            .Select(p => $"{p.Path} is '{Characters.Shown(p.Value)}': set one of {string.Join(", ", Enum.GetNames<HttpProtocols>().Where(n => n != nameof(HttpProtocols.None)))}")
            // TLS versions are a list, each an item of its own (SslProtocols:0=Tls13): Kestrel reads no other form, and
            // passes over one value given for the whole list as it does a misspelt item.
            .Concat(places.Select(p => p.GetSection("SslProtocols")).Where(p => p.Value is { Length: > 0 })
                .Select(p => $"{p.Path} is '{Characters.Shown(p.Value)}': give TLS versions as a list, one item each ({p.Path}:0=Tls13), which is the form Kestrel reads"))
            .Concat(places.Select(p => p.GetSection("SslProtocols")).SelectMany(p => p.GetChildren()).Where(p => p.Value is { } value && !Names<System.Security.Authentication.SslProtocols>(value))
                .Select(p => $"{p.Path} is '{Characters.Shown(p.Value)}': name TLS versions as Tls12 and Tls13 (or None, for the system's choice)"))
            .Concat(places.Select(p => p.GetSection("ClientCertificateMode")).Where(p => p.Value is { } value && !Names<Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode>(value))
                .Select(p => $"{p.Path} is '{Characters.Shown(p.Value)}': set one of {string.Join(", ", Enum.GetNames<Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode>())}"))
            .ToList();
        return wrong.Count == 0 ? null : $"{string.Join("; ", wrong)}.";
    }

    /// <summary>Whether the value names members of the enum, one or a comma-separated few, by name (in any case) and none of <paramref name="refused"/>.</summary>
    private static bool Names<TEnum>(string value, params string[] refused)
        where TEnum : struct, Enum =>
        value.Split(',', StringSplitOptions.TrimEntries).All(name =>
            Enum.GetNames<TEnum>().Contains(name, StringComparer.OrdinalIgnoreCase) && !refused.Contains(name, StringComparer.OrdinalIgnoreCase));

    private static string? IntervalProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval) && interval >= TimeSpan.FromSeconds(1) && interval <= LongestInterval
                ? null
                : $"{key} is '{text}': set a time span from 00:00:01 to {LongestInterval.Days}.00:00:00 (days.hours:minutes:seconds).";

    /// <summary>A Development token that expires as it is issued, or lives for months, is no token a developer wants.</summary>
    private static string? TokenLifetimeProblem(AuthOptions auth) =>
        auth.TokenLifetime >= TimeSpan.FromMinutes(1) && auth.TokenLifetime <= LongestInterval
            ? null
            : $"Auth:TokenLifetime is '{auth.TokenLifetime.ToString("c", CultureInfo.InvariantCulture)}': set a time span from 00:01:00 to {LongestInterval.Days}.00:00:00 (days.hours:minutes:seconds).";

    private static string? PositiveCountProblem(IConfiguration configuration, string key) =>
        configuration[key] is not { } text
            ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? null
                : $"{key} is '{text}': set a whole number of 1 or more.";
}
