using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoSell.HubLoad;

/// <summary>One co-selling pair: a rep, a partner organisation and its user, and the opportunity they share.</summary>
internal sealed class Pair(int index, Guid repId, Guid partnerId, Guid partnerUserId, Guid opportunityId)
{
    public int Index { get; } = index;

    public Guid RepId { get; } = repId;

    public Guid PartnerId { get; } = partnerId;

    public Guid PartnerUserId { get; } = partnerUserId;

    public Guid OpportunityId { get; } = opportunityId;

    public string RepToken { get; set; } = string.Empty;

    /// <summary>The opportunity's current version (its ETag), moved on by each update.</summary>
    public long Version { get; set; }

    public HubConnection? Rep { get; set; }

    public HubConnection? Partner { get; set; }

    public static string Group(Pair pair) => $"pair:{pair.Index}";
}

/// <summary>Waits for a message (opportunity, version) to reach both connections of its pair.</summary>
internal sealed class Arrivals
{
    private readonly ConcurrentDictionary<(Guid, long), Expectation> _pending = new();

    public OpportunityChangedMessage? LastMessage { get; private set; }

    public Task<long> Expect(Guid opportunityId, long version) => _pending.GetOrAdd((opportunityId, version), _ => new Expectation()).Task;

    public void Arrived(OpportunityChangedMessage message)
    {

        var expectation = _pending.GetOrAdd((message.OpportunityId, message.Version), _ => new Expectation());
        if (expectation.Signal())
        {
            _pending.TryRemove((message.OpportunityId, message.Version), out _);
            LastMessage = message;
        }
    }

    private sealed class Expectation
    {
        private readonly TaskCompletionSource<long> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = 2;

        public Task<long> Task => _done.Task;

        public bool Signal()
        {
            if (Interlocked.Decrement(ref _remaining) != 0)
            {
                return false;
            }

            _done.TrySetResult(Stopwatch.GetTimestamp());
            return true;
        }
    }
}

/// <summary>Talks to the service under load as its users would, with tokens the driver mints.</summary>
internal sealed class ServiceApi(HttpClient http, Tokens tokens)
{
    private int _updates;

    public async Task<List<Pair>> SeedAsync(int count, int parallelism)
    {
        var admin = tokens.Mint(Guid.NewGuid(), "admin");
        var pairs = new Pair[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var partner = await SendAsync(HttpMethod.Post, "/api/v1/partners", admin, new { name = $"Load Partner {i:0000}", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
            var pair = new Pair(i, Guid.NewGuid(), Guid.Parse(partner["id"]!.GetValue<string>()), Guid.NewGuid(), Guid.Empty);
            var rep = tokens.Mint(pair.RepId, "rep");
            var opportunity = await SendAsync(HttpMethod.Post, "/api/v1/opportunities", rep, new
            {
                customer = new { name = $"Load Customer {i:0000}", domain = $"load-customer-{i}.example", country = "US" },
                contact = new { name = "Casey Contact", email = $"casey@load-customer-{i}.example" },
                amount = new { amount = 100_000 + i, currency = "USD" },
                closeDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }, HttpStatusCode.Created);
            var opportunityId = Guid.Parse(opportunity["id"]!.GetValue<string>());
            var invitation = await SendAsync(HttpMethod.Post, $"/api/v1/opportunities/{opportunityId}/invitations", rep, new { partnerId = pair.PartnerId }, HttpStatusCode.Created);
            var accepted = await SendAsync(HttpMethod.Post, $"/api/v1/invitations/{invitation["id"]!.GetValue<string>()}/accept", tokens.Mint(pair.PartnerUserId, "partner", pair.PartnerId), null, HttpStatusCode.OK);
            pairs[i] = new Pair(i, pair.RepId, pair.PartnerId, pair.PartnerUserId, opportunityId) { RepToken = rep, Version = accepted["version"]!.GetValue<long>() };
        });
        return [.. pairs];
    }

    /// <summary>Patches the next step (If-Match) and answers (until both clients have it, the PATCH round trip) in milliseconds.</summary>
    public async Task<(double Total, double Http)> UpdateAsync(Pair pair, Arrivals arrivals)
    {
        // Every update writes a next step never written before, so each one is a change (a same-value patch records nothing).
        var step = Interlocked.Increment(ref _updates);
        var arrived = arrivals.Expect(pair.OpportunityId, pair.Version + 1);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/opportunities/{pair.OpportunityId}")
        {
            Content = JsonContent.Create(new { nextStep = $"Follow-up call number {step:000000}" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.RepToken);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{pair.Version.ToString(CultureInfo.InvariantCulture)}\""));
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var answered = Stopwatch.GetTimestamp();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"PATCH answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        pair.Version = long.Parse(response.Headers.ETag!.Tag.Trim('"'), CultureInfo.InvariantCulture);
        var done = await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        return (Stopwatch.GetElapsedTime(started, done).TotalMilliseconds, Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string token, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>Two hub connections per pair, each recording OpportunityChanged arrivals.</summary>
internal sealed class HubFleet : IAsyncDisposable
{
    private readonly List<Pair> _pairs;

    private HubFleet(List<Pair> pairs) => _pairs = pairs;

    public int Count => _pairs.Count * 2;

    public static async Task<HubFleet> ConnectAsync(Uri hub, List<Pair> pairs, Func<Pair, (string? Rep, string? Partner)> tokensOf, Arrivals arrivals)
    {
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(pairs.Select(async pair =>
        {
            await gate.WaitAsync();
            try
            {
                var (rep, partner) = tokensOf(pair);
                pair.Rep = await ConnectAsync(hub, rep, arrivals);
                pair.Partner = await ConnectAsync(hub, partner, arrivals);
            }
            finally
            {
                gate.Release();
            }
        }));
        return new HubFleet(pairs);
    }

    public async Task InvokeAllAsync(Func<Pair, HubConnection, Task> call)
    {
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(_pairs.SelectMany(p => new[] { (p, p.Rep!), (p, p.Partner!) }).Select(async x =>
        {
            await gate.WaitAsync();
            try
            {
                await call(x.Item1, x.Item2);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>The rep's connection asks the bare hub to broadcast the payload to its pair's group; answers until both have it.</summary>
    public static async Task<(double Total, double Http)> BroadcastAsync(Pair pair, OpportunityChangedMessage payload, Arrivals arrivals)
    {
        pair.Version++;
        var arrived = arrivals.Expect(pair.OpportunityId, pair.Version);
        var started = Stopwatch.GetTimestamp();
        await pair.Rep!.SendAsync("Broadcast", Pair.Group(pair), payload with { OpportunityId = pair.OpportunityId, Version = pair.Version, At = DateTimeOffset.UtcNow });
        var done = await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        return (Stopwatch.GetElapsedTime(started, done).TotalMilliseconds, 0);
    }

    private static async Task<HubConnection> ConnectAsync(Uri hub, string? token, Arrivals arrivals)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        connection.On<OpportunityChangedMessage>("OpportunityChanged", arrivals.Arrived);
        await connection.StartAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pair in _pairs)
        {
            await pair.Rep!.DisposeAsync();
            await pair.Partner!.DisposeAsync();
        }
    }
}

/// <summary>Runs updates round-robin over the pairs, with at most <c>concurrency</c> in flight and never two on one pair.</summary>
internal static class Measure
{
    public static async Task RunAsync(List<Pair> pairs, int updates, int concurrency, Func<Pair, Task<(double Total, double Http)>> update, Action<double, double>? record)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < updates)
            {
                // Worker w owns the pairs w, w + c, w + 2c…, so no two updates race on one opportunity.
                var mine = (pairs.Count - worker + concurrency - 1) / concurrency;
                var pair = pairs[worker + (n / concurrency % mine * concurrency)];
                var (total, http) = await update(pair);
                record?.Invoke(total, http);
            }
        }));
    }
}

/// <summary>The figures, as the console and docs/perf/realtime.md show them.</summary>
internal sealed class Report(LoadOptions options)
{
    private readonly List<(string Scenario, int Concurrency, double[] Sorted)> _rows = [];

    public double SeedSeconds { get; set; }

    public double ConnectSeconds { get; set; }

    public int PayloadBytes { get; set; }

    public string LoadAverage { get; set; } = "n/a";

    public void Add(string scenario, int concurrency, List<double> samples) => _rows.Add((scenario, concurrency, [.. samples.Order()]));

    public string Last(int count) => string.Join('\n', _rows.TakeLast(count).Select(Line));

    public bool TargetsMet => options.Concurrency.All(c => Api(c) is { } api && Bare(c) is { } bare && P(api, 0.99) < 50 && P(api, 0.99) <= 2 * P(bare, 0.99));

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Describe()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Sizes: {options.Pairs} opportunities, {options.Pairs * 2} hub connections (a rep and a partner per opportunity, each watching it), {options.Updates} measured updates per row after {options.Warmup} warm-up, SQLite synchronous={options.Synchronous}, payload {PayloadBytes} bytes of JSON.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Set-up: seeding {SeedSeconds:0.0} s, connecting and watching {ConnectSeconds:0.0} s. Load average (1 min) {LoadAverage}.");
        text.AppendLine();
        text.AppendLine("| Scenario | In flight | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario.Trim()} | {row.Concurrency} | {row.Sorted.Length} | {P(row.Sorted, 0.5):0.00} | {P(row.Sorted, 0.9):0.00} | {P(row.Sorted, 0.99):0.00} | {row.Sorted[^1]:0.00} | {row.Sorted.Average():0.00} |");
        }

        text.AppendLine();
        foreach (var c in options.Concurrency)
        {
            if (Api(c) is { } api && Bare(c) is { } bare)
            {
                var ratio = P(api, 0.99) / P(bare, 0.99);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"- {c} in flight: API p99 {P(api, 0.99):0.00} ms ({(P(api, 0.99) < 50 ? "meets" : "misses")} < 50 ms), {ratio:0.00} × the bare broadcast p99 {P(bare, 0.99):0.00} ms ({(ratio <= 2 ? "meets" : "misses")} ≤ 2 ×); p50 ratio {P(api, 0.5) / P(bare, 0.5):0.00} ×.");
            }
        }

        return text.ToString();
    }

    private double[]? Api(int c) => _rows.FirstOrDefault(r => r.Scenario.StartsWith("API", StringComparison.Ordinal) && r.Concurrency == c).Sorted;

    private double[]? Bare(int c) => _rows.FirstOrDefault(r => r.Scenario.StartsWith("Bare", StringComparison.Ordinal) && r.Concurrency == c).Sorted;

    private static string Line((string Scenario, int Concurrency, double[] Sorted) row) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.Scenario,-36} c={row.Concurrency,-3} n={row.Sorted.Length,-6} p50={P(row.Sorted, 0.5),7:0.00} ms  p99={P(row.Sorted, 0.99),7:0.00} ms  max={row.Sorted[^1],7:0.00} ms");

    private static double P(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
