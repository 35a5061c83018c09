using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Serilog.Events;

namespace CoSell.Web.Tests;

/// <summary>What the README's deployment section promises of the host's own settings: a proxy's headers, the log's first lines.</summary>
public sealed class HostSettingsTests
{
    private static async Task<string> ServerOfTheApiDescription(CoSellApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await app.CreateClient().SendAsync(request);
        await Api.Expect(response, System.Net.HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["servers"]!.AsArray().Single()!["url"]!.GetValue<string>();
    }

    [Fact]
    public async Task BehindAProxyThatEndsTls_WithForwardedHeadersEnabled_TheApiDescriptionNamesHttpsAddresses()
    {
        using var plain = new CoSellApp();
        using var behindAProxy = new ForwardedHeadersApp();

        (await ServerOfTheApiDescription(plain)).Should().StartWith("http://", "a proxy's headers are not believed unless the setting says so");
        (await ServerOfTheApiDescription(behindAProxy)).Should().StartWith("https://");
    }

    [Fact]
    public async Task TheLog_NamesTheEnvironmentTheServiceStartedIn()
    {
        using var app = new InformationLogApp();
        await Api.Expect(await Api.Ready(app.CreateClient()), System.Net.HttpStatusCode.OK);

        app.Logs.AtOrAbove(LogEventLevel.Information).Should().Contain(line => line.Contains("Hosting environment: \"Development\""));
    }

    private sealed class ForwardedHeadersApp : CoSellApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, as the README sets it.
            builder.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
        }
    }

    [Fact]
    public async Task TheFrameworksRequestLines_WriteNoQueryToken_AndNoControlCharacterOfAPath()
    {
        using var app = new FrameworkInformationLogApp();
        var client = app.CreateClient();
        await Api.Expect(await Api.Ready(client), System.Net.HttpStatusCode.OK);

        await client.PostAsync("/hubs/cosell/negotiate?negotiateVersion=1&access_token=eyJhbGciOi.secret-payload.signature&x=1", null);
        await client.GetAsync("/x%0D%0A%5B19:40:00%20ERR%5D%20forged%1B%5B2K");

        var lines = app.Logs.AtOrAbove(LogEventLevel.Information);
        lines.Should().Contain(line => line.Contains("access_token=[redacted]&x=1"), "the framework's request line is written, the token in it is not");
        lines.Should().NotContain(line => line.Contains("secret-payload"));
        lines.Should().Contain(line => line.Contains("/x\\u000d\\u000a[19:40:00 ERR] forged\\u001b[2K"));
        lines.Should().NotContain(line => line.Contains('\r') || line.Contains('\n') || line.Contains('\u001b'));
    }

    private sealed class FrameworkInformationLogApp : CoSellApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
            builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Information");
        }
    }

    private sealed class InformationLogApp : CoSellApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        }
    }
}
