using CoSell.Infrastructure;

namespace CoSell.Web.Identity;

/// <summary>The settings a start outside Development cannot do without, checked together so that one refusal names every one missing.</summary>
public static class RequiredSettings
{
    public static void Check(IConfiguration configuration, IHostEnvironment environment)
    {
        if ((configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).Problem() is { } database)
        {
            throw new StartupRefusedException(database);
        }

        if (environment.IsDevelopment())
        {
            return;
        }

        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var missing = new[] { Authentication.Problem(auth), AccountMappingSecret.Problem(configuration[AccountMappingSecret.Key]) }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            throw new StartupRefusedException(string.Join(Environment.NewLine, missing));
        }
    }
}
