using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>The demo programme's ids and the co-selling steps the tests share.</summary>
public static class CoSelling
{
    public const string Rep = "00000000-0000-0000-0000-0000000000d1";
    public const string Northwind = "10000000-0000-0000-0000-000000000001";
    public const string Fabrikam = "10000000-0000-0000-0000-000000000002";
    public const string Adatum = "10000000-0000-0000-0000-000000000003";

    public static object NewOpportunity(CoSellApp app, string name = "Contoso Retail", string? domain = "contoso-retail.com", string country = "US", decimal amount = 250_000m) => new
    {
        customer = new { name, domain, country },
        contact = new { name = "Dana Buyer", email = "dana.buyer@" + (domain ?? "example.com"), phone = "+1 555 0100" },
        amount = new { amount, currency = "USD" },
        closeDate = Api.CloseDate(app, 90),
        nextStep = "Discovery call",
    };

    /// <summary>The demo rep opens a direct opportunity.</summary>
    public static async Task<JsonObject> OpenDirect(HttpClient rep, CoSellApp app, string name, string domain)
    {
        var response = await rep.PostAsJsonAsync("/api/v1/opportunities", NewOpportunity(app, name, domain));
        await Api.Expect(response, HttpStatusCode.Created);
        return await Api.Body(response);
    }

    public static async Task<JsonObject> Invite(HttpClient vendor, string opportunityId, string partnerId)
    {
        var response = await vendor.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/invitations", new { partnerId, message = "Help us land this one." });
        await Api.Expect(response, HttpStatusCode.Created);
        return await Api.Body(response);
    }

    /// <summary>The rep opens an opportunity and the partner accepts the rep's invitation to it; answers the opportunity as the partner sees it.</summary>
    public static async Task<JsonObject> CoSold(CoSellApp app, HttpClient rep, HttpClient partner, string partnerId, string name, string domain)
    {
        var opportunity = await OpenDirect(rep, app, name, domain);
        var invitation = await Invite(rep, Api.Id(opportunity), partnerId);
        return await Api.Post(partner, $"/api/v1/invitations/{Api.Id(invitation)}/accept");
    }

    /// <summary>A referral's body: to the named partner from the vendor, or from a partner to the vendor when none is named.</summary>
    public static object Lead(string name, string domain, string? partnerId = null, decimal? amount = 90_000m, string country = "US") => new
    {
        partnerId,
        customer = new { name, domain, country },
        contact = new { name = "Lee Lead", email = $"lee@{domain}", phone = "+1 555 0199" },
        productLines = new[] { "Analytics" },
        estimatedValue = amount is null ? null : new { amount, currency = "USD" },
        message = "They asked for a local partner.",
    };

    /// <summary>
    /// Sends the partner a referral and waits for its push on the partner's connection: everything sent to that
    /// connection before it has been delivered by then.
    /// </summary>
    public static async Task Marker(HttpClient vendor, HubClient hub, string partnerId)
    {
        var marker = await Api.Post(vendor, "/api/v1/referrals", new
        {
            partnerId,
            customer = new { name = "Marker Lead " + Guid.NewGuid().ToString("N")[..8], country = "US" },
            contact = new { name = "Mark Marker", phone = "+1 555 0123" },
        }, HttpStatusCode.Created);
        await hub.WaitFor<CoSell.Application.Abstractions.ReferralChangedMessage>(m => m.ReferralId == Guid.Parse(Api.Id(marker)));
    }

    public static IEnumerable<string> Types(JsonObject timeline) => timeline["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>());

    public static IEnumerable<string> Summaries(JsonObject timeline) => timeline["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>());
}
