using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoSell.HubLoad;

/// <summary>The shape of the service's <c>OpportunityChanged</c> message.</summary>
internal sealed record OpportunityChangedMessage(Guid OpportunityId, long Version, string Type, string Stage, string Summary, string Actor, DateTimeOffset At);

internal static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
