using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>Requests and readers the API tests share.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string CloseDate(CoSellApp app, int daysAhead = 60) =>
        DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime).AddDays(daysAhead).ToString("yyyy-MM-dd");

    public static object NewRegistration(CoSellApp app, string name = "Acme Corporation", string? domain = "acme.com", string country = "US", decimal amount = 120_000m, string currency = "USD", string? duns = null) => new
    {
        customer = new { name, domain, country, duns },
        productLines = new[] { "Security" },
        estimatedValue = new { amount, currency },
        expectedCloseDate = CloseDate(app),
        notes = "Met the CISO at a trade show.",
    };

    /// <summary>A new registration's body as JSON, to bend into bad input.</summary>
    public static JsonObject RawRegistration(CoSellApp app, string name, string domain) =>
        JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(NewRegistration(app, name, domain), Json))!.AsObject();

    public static async Task<JsonObject> Create(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/registrations", body);
        await Expect(response, HttpStatusCode.Created);
        return await Body(response);
    }

    public static async Task<JsonObject> Post(HttpClient client, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        await Expect(response, expected);
        return await Body(response);
    }

    public static async Task<JsonObject> Get(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(path);
        await Expect(response, expected);
        return await Body(response);
    }

    /// <summary>Sends a request with an optional JSON body (an object, or raw text sent as it is) and If-Match.</summary>
    public static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    /// <summary>Sends a PATCH with the given If-Match version (none when null).</summary>
    public static Task<HttpResponseMessage> Patch(HttpClient client, string path, object body, long? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        }

        return client.SendAsync(request);
    }

    /// <summary>Edits a registration with the given If-Match (an ETag such as <c>"3"</c>).</summary>
    public static Task<HttpResponseMessage> PatchRegistration(HttpClient client, string id, object body, string? ifMatch) =>
        Send(client, HttpMethod.Patch, $"/api/v1/registrations/{id}", body, ifMatch);

    public static string ETag(JsonObject registration) => $"\"{registration["version"]!.GetValue<long>()}\"";

    /// <summary>A PATCH that must succeed; answers the new state.</summary>
    public static async Task<JsonObject> PatchOk(HttpClient client, string path, object body, long ifMatch)
    {
        var response = await Patch(client, path, body, ifMatch);
        await Expect(response, HttpStatusCode.OK);
        return await Body(response);
    }

    public static string Id(JsonObject body) => body["id"]!.GetValue<string>();

    /// <summary>The ids of a page's items, in its order.</summary>
    public static List<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => Id(i!.AsObject())).ToList();

    public static long Version(JsonObject body) => body["version"]!.GetValue<long>();

    public static async Task<JsonObject> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// The first answer of <c>/health/ready</c> that is not "the claims index is loading" (503 while it loads on its
    /// own thread after start-up; requests meanwhile wait for it).
    /// </summary>
    public static async Task<HttpResponseMessage> Ready(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(20);
        }
    }

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds or ten seconds pass, and answers the last reading: for work a background
    /// service does on its own timer once the test has moved time.
    /// </summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        T value;
        do
        {
            await Task.Delay(50);
            value = await read();
        }
        while (!done(value) && DateTime.UtcNow < deadline);

        return value;
    }

    /// <summary>Asserts an RFC 9457 body with the given status and stable code.</summary>
    public static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        await Expect(response, status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var body = await Body(response);
        body["status"]!.GetValue<int>().Should().Be((int)status);
        body["traceId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["type"]?.GetValue<string>().Should().StartWith("https://", "every problem names its type");
        body["type"].Should().NotBeNull($"a {(int)status} names its type too");
        if (code is not null)
        {
            body["code"]!.GetValue<string>().Should().Be(code);
        }
        else
        {
            body["code"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        }

        return body;
    }
}
