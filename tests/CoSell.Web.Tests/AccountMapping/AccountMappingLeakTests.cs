using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.AccountMapping.MappingApi;

namespace CoSell.Web.Tests.AccountMapping;

/// <summary>
/// The vendor and Northwind, each with three lists whose overlaps the test knows row by row: every cell has
/// its own number of shared companies (some under the minimum of 3, one none), matched on domain, DUNS or
/// name and country, plus a private account on each side that matches the other side and must never count.
/// </summary>
public sealed class LeakWorld : IAsyncLifetime
{
    public static readonly string[] Populations = ["customers", "prospects", "openOpportunities"];
    public static readonly string[] Levels = ["hidden", "counts", "overlaps", "all"];

    /// <summary>Shared companies per cell: [vendor population, partner population].</summary>
    private static readonly int[,] SharedPerCell = { { 5, 2, 0 }, { 3, 4, 1 }, { 1, 6, 3 } };

    public CoSellApp App { get; } = new();

    public HttpClient Vendor { get; private set; } = null!;

    public HttpClient Partner { get; private set; } = null!;

    public string Id { get; private set; } = string.Empty;

    /// <summary>Every uploaded row, by side ("vendor" or "partner").</summary>
    public List<ModelRow> Rows { get; } = [];

    public async Task InitializeAsync()
    {
        Vendor = await App.ClientFor("manager");
        Partner = await App.ClientFor("partner.northwind");
        var company = 0;
        for (var v = 0; v < 3; v++)
        {
            for (var p = 0; p < 3; p++)
            {
                for (var n = 0; n < SharedPerCell[v, p]; n++)
                {
                    company++;
                    var (vendorAccount, partnerAccount) = SharedCompany(company);
                    Rows.Add(new ModelRow("vendor", v, vendorAccount, $"c{company}"));
                    Rows.Add(new ModelRow("partner", p, partnerAccount, $"c{company}"));
                }
            }
        }

        // A private account matches the other side but never counts, shows or leaves the service.
        Rows.Add(new ModelRow("vendor", 0, new Account("Secretco Holdings", "secretco.com", "US", Private: true), "secret"));
        Rows.Add(new ModelRow("partner", 0, new Account("Secretco Partner View", "https://secretco.com", "US"), "secret"));
        Rows.Add(new ModelRow("partner", 1, new Account("Hiddenpartner Labs", "hiddenp.com", "US", Private: true), "hidden"));
        Rows.Add(new ModelRow("vendor", 2, new Account("Hiddenp Vendor Side", "hiddenp.com", "US"), "hidden"));

        foreach (var side in new[] { "vendor", "partner" })
        {
            for (var pop = 0; pop < 3; pop++)
            {
                var filler = Fillers($"{(side == "vendor" ? "Vfill" : "Pfill")} {Populations[pop]}", 30 - Rows.Count(r => r.Side == side && r.Population == pop));
                Rows.AddRange(filler.Select(a => new ModelRow(side, pop, a, null)));
                await Upload(side == "vendor" ? Vendor : Partner, Populations[pop], Rows.Where(r => r.Side == side && r.Population == pop).Select(r => r.Account));
            }
        }

        Id = await ActivePartnership(Vendor, Partner);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The same company as each side writes it: matching on domain, on DUNS, or on name within a country.</summary>
    private static (Account Vendor, Account Partner) SharedCompany(int i) => (i % 3) switch
    {
        0 => (new Account($"Vdom {Words(i)} Inc", $"shared-{i}.com", "US"), new Account($"Pdom {Words(i)} SA", $"https://www.shared-{i}.com/", "FR")),
        1 => (new Account($"Vduns {Words(i)} Ltd", null, "GB", $"{100_000_000 + i}"), new Account($"Pduns {Words(i)}", null, "IE", $"{(100_000_000 + i).ToString().Insert(2, "-").Insert(6, "-")}")),
        _ => (new Account($"Samename {Words(i)} GmbH", null, "DE"), new Account($"SAMENAME {Words(i)} AG", null, "DE")),
    };

    /// <summary>The pairs the settings are applied to: shared companies, neither side's row private.</summary>
    public IEnumerable<(ModelRow Vendor, ModelRow Partner)> Pairs() =>
        from v in Rows
        where v.Side == "vendor" && v.Company is not null && !v.Account.Private
        from p in Rows
        where p.Side == "partner" && p.Company == v.Company && !p.Account.Private
        select (v, p);
}

public sealed record ModelRow(string Side, int Population, Account Account, string? Company);

/// <summary>
/// For every combination of both sides' sharing levels (4 levels × 3 populations on each side: 4,096), each
/// response holds exactly what the settings allow — counts, names, white space, errors — and nothing else.
/// </summary>
public sealed class AccountMappingLeakTests : IClassFixture<LeakWorld>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly LeakWorld _world;

    public AccountMappingLeakTests(LeakWorld world) => _world = world;

    /// <summary>The 64 settings of one side; each case runs them against all 64 of the other side.</summary>
    public static TheoryData<int> VendorSettings()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < 64; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static int[] Decode(int combination) => [combination / 16, combination / 4 % 4, combination % 4];

    [Theory]
    [MemberData(nameof(VendorSettings))]
    public async Task AccountMapping_EveryCombinationOfSettings_ShowsExactlyWhatBothSidesAllow(int vendorCombination)
    {
        var vendorLevels = Decode(vendorCombination);
        await SetLevels(_world.Vendor, vendorLevels);
        var unknownCell = await Api.Body(await _world.Vendor.GetAsync($"/api/v1/partnerships/{_world.Id}/overlaps/customers/nonsense"));
        for (var partnerCombination = 0; partnerCombination < 64; partnerCombination++)
        {
            var partnerLevels = Decode(partnerCombination);
            await SetLevels(_world.Partner, partnerLevels);
            var cell = (vendorCombination + partnerCombination) % 9;
            foreach (var viewer in new[] { "vendor", "partner" })
            {
                var (mine, theirs) = viewer == "vendor" ? (vendorLevels, partnerLevels) : (partnerLevels, vendorLevels);
                var because = $"{viewer} viewing, vendor shares [{Describe(vendorLevels)}], partner shares [{Describe(partnerLevels)}]";
                var client = viewer == "vendor" ? _world.Vendor : _world.Partner;

                var matrix = await Api.Get(client, $"/api/v1/partnerships/{_world.Id}/overlaps");
                JsonNode.DeepEquals(matrix, ExpectedMatrix(viewer, mine, theirs)).Should().BeTrue($"{because}: got {matrix.ToJsonString()}");
                await CheckCell(client, viewer, cell / 3, cell % 3, Math.Min(mine[cell / 3], theirs[cell % 3]), unknownCell, because);
            }
        }
    }

    /// <summary>
    /// Beside the rotation above, every cell at every pair of the two levels that govern it, with every other
    /// population shared in full, read by both sides: only the cell's own two levels decide what it shows.
    /// </summary>
    [Fact]
    public async Task AccountMapping_EveryCell_AtEveryPairOfItsLevels_ListsExactlyWhatBothSidesShare()
    {
        var unknownCell = await Api.Body(await _world.Partner.GetAsync($"/api/v1/partnerships/{_world.Id}/overlaps/nonsense/customers"));
        for (var ours = 0; ours < 3; ours++)
        {
            for (var theirs = 0; theirs < 3; theirs++)
            {
                for (var vendorLevel = 0; vendorLevel < 4; vendorLevel++)
                {
                    for (var partnerLevel = 0; partnerLevel < 4; partnerLevel++)
                    {
                        var vendorLevels = new[] { 3, 3, 3 };
                        var partnerLevels = new[] { 3, 3, 3 };
                        vendorLevels[ours] = vendorLevel;
                        partnerLevels[theirs] = partnerLevel;
                        await SetLevels(_world.Vendor, vendorLevels);
                        await SetLevels(_world.Partner, partnerLevels);
                        var because = $"cell {LeakWorld.Populations[ours]}/{LeakWorld.Populations[theirs]}, vendor {LeakWorld.Levels[vendorLevel]}, partner {LeakWorld.Levels[partnerLevel]}";
                        var level = Math.Min(vendorLevel, partnerLevel);
                        await CheckCell(_world.Vendor, "vendor", ours, theirs, level, unknownCell, because);
                        await CheckCell(_world.Partner, "partner", theirs, ours, level, unknownCell, because);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task AccountMapping_APartnershipOneIsNotIn_AnswersLikeOneThatDoesNotExist()
    {
        var fabrikam = await _world.App.ClientFor("partner.fabrikam");
        foreach (var path in new[] { "", "/overlaps", "/overlaps/customers/customers", "/overlaps/customers/customers/white-space", "/sharing" })
        {
            var notIn = await Api.Problem(await fabrikam.GetAsync($"/api/v1/partnerships/{_world.Id}{path}"), HttpStatusCode.NotFound, "not_found");
            var missing = Guid.NewGuid().ToString();
            var none = await Api.Problem(await fabrikam.GetAsync($"/api/v1/partnerships/{missing}{path}"), HttpStatusCode.NotFound, "not_found");
            Shape(notIn).Should().Be(Shape(none).Replace(missing, _world.Id), path);
        }

        await Api.Problem(await fabrikam.PostAsJsonAsync($"/api/v1/partnerships/{_world.Id}/pause", new { }), HttpStatusCode.NotFound, "not_found");
    }

    private async Task CheckCell(HttpClient client, string viewer, int ours, int theirs, int level, JsonObject unknownCell, string because)
    {
        var route = $"/api/v1/partnerships/{_world.Id}/overlaps/{LeakWorld.Populations[ours]}/{LeakWorld.Populations[theirs]}";
        var overlaps = await client.GetAsync(route + "?pageSize=100");
        if (level >= 2)
        {
            await Api.Expect(overlaps, HttpStatusCode.OK);
            SamePage(await Api.Body(overlaps), ExpectedOverlaps(viewer, ours, theirs), because);
        }
        else
        {
            NotShared(await Api.Problem(overlaps, HttpStatusCode.NotFound, "not_found"), unknownCell, because);
        }

        var whiteSpace = await client.GetAsync(route + "/white-space?pageSize=100");
        if (level == 3)
        {
            await Api.Expect(whiteSpace, HttpStatusCode.OK);
            SamePage(await Api.Body(whiteSpace), ExpectedWhiteSpace(viewer, ours, theirs), because);
        }
        else
        {
            NotShared(await Api.Problem(whiteSpace, HttpStatusCode.NotFound, "not_found"), unknownCell, because);
        }
    }

    private JsonNode ExpectedMatrix(string viewer, int[] mine, int[] theirs)
    {
        var cells = new JsonArray();
        for (var o = 0; o < 3; o++)
        {
            for (var t = 0; t < 3; t++)
            {
                var level = Math.Min(mine[o], theirs[t]);
                cells.Add(new JsonObject
                {
                    ["ours"] = LeakWorld.Populations[o],
                    ["theirs"] = LeakWorld.Populations[t],
                    ["visibility"] = LeakWorld.Levels[level],
                    ["overlaps"] = level >= 1 ? Count(ExpectedOverlaps(viewer, o, t).Count) : null,
                    ["whiteSpace"] = level == 3 ? Count(ExpectedWhiteSpace(viewer, o, t).Count) : null,
                });
            }
        }

        return new JsonObject
        {
            ["partnershipId"] = _world.Id,
            ["status"] = "active",
            ["yourSide"] = viewer,
            ["minimumCount"] = 3,
            ["cells"] = cells,
        };
    }

    private static JsonObject Count(int n) => n < 3
        ? new JsonObject { ["count"] = null, ["fewerThan"] = 3, ["text"] = "fewer than 3" }
        : new JsonObject { ["count"] = n, ["fewerThan"] = null, ["text"] = n.ToString() };

    private List<JsonNode> ExpectedOverlaps(string viewer, int ours, int theirs) =>
        _world.Pairs()
            .Select(p => viewer == "vendor" ? (Mine: p.Vendor, Theirs: p.Partner) : (Mine: p.Partner, Theirs: p.Vendor))
            .Where(p => p.Mine.Population == ours && p.Theirs.Population == theirs)
            .Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Theirs.Account.Name,
                ["population"] = LeakWorld.Populations[theirs],
                ["yourAccount"] = p.Mine.Account.Name,
                ["yourPopulation"] = LeakWorld.Populations[ours],
                ["yourCountry"] = p.Mine.Account.Country,
            }).ToList();

    private List<JsonNode> ExpectedWhiteSpace(string viewer, int ours, int theirs)
    {
        var other = viewer == "vendor" ? "partner" : "vendor";
        var matched = _world.Pairs()
            .Select(p => viewer == "vendor" ? (Mine: p.Vendor, Theirs: p.Partner) : (Mine: p.Partner, Theirs: p.Vendor))
            .Where(p => p.Mine.Population == ours).Select(p => p.Theirs).ToHashSet();
        return _world.Rows.Where(r => r.Side == other && r.Population == theirs && !r.Account.Private && !matched.Contains(r))
            .Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Account.Name,
                // The registrable domain alone, whatever form (URL, e-mail address) the row was uploaded in.
                ["domain"] = r.Account.Domain is { } d && CoSell.Domain.Customers.WebDomain.TryFrom(d, null, out var web) ? web.Registrable : null,
                ["country"] = r.Account.Country,
                ["population"] = LeakWorld.Populations[theirs],
            }).ToList();
    }

    private static void SamePage(JsonObject actual, List<JsonNode> expected, string because)
    {
        actual.Select(p => p.Key).Should().BeEquivalentTo(["items", "page", "pageSize", "total"], because);
        actual["total"]!.GetValue<int>().Should().Be(expected.Count, because);
        actual["items"]!.AsArray().Select(i => i!.ToJsonString()).Order(StringComparer.Ordinal)
            .Should().Equal(expected.Select(e => e.ToJsonString()).Order(StringComparer.Ordinal), because);
    }

    /// <summary>A cell not shared answers exactly like a cell that does not exist.</summary>
    private static void NotShared(JsonObject body, JsonObject unknownCell, string because)
    {
        body.Select(p => p.Key).Should().BeEquivalentTo(unknownCell.Select(p => p.Key), because);
        body["title"]!.GetValue<string>().Should().Be(unknownCell["title"]!.GetValue<string>(), because);
        body["detail"]!.GetValue<string>().Should().StartWith("No overlap cell '").And.EndWith("' was found.", because);
    }

    private static string Shape(JsonObject problem)
    {
        var copy = problem.DeepClone().AsObject();
        copy.Remove("traceId");
        copy.Remove("instance");
        return copy.ToJsonString();
    }

    private async Task SetLevels(HttpClient client, int[] levels)
    {
        await Share(client, _world.Id, Levels(LeakWorld.Levels[levels[0]], LeakWorld.Levels[levels[1]], LeakWorld.Levels[levels[2]]), Json);
    }

    private static string Describe(int[] levels) => string.Join(", ", levels.Select((l, i) => $"{LeakWorld.Populations[i]} {LeakWorld.Levels[l]}"));
}
