using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;

namespace CoSell.MappingBenchmarks;

/// <summary>Upload: read the vendor's 1,000,000-row CSV, check and normalise each row, and make its three tokens.</summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[Config(typeof(UploadConfig))]
public class UploadBenchmarks
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup() => _csv = MappingData.VendorCsv();

    [Benchmark(Description = "parse + normalise + tokenise 1M rows")]
    public async Task<int> ParseNormaliseTokenise()
    {
        var importer = new AccountRowImporter(MappingData.Normaliser, MappingData.Keyer, MappingData.VendorRows);
        await AccountCsvReader.ReadAsync(new MemoryStream(_csv, writable: false), importer.Add, importer.AddUnreadable, CancellationToken.None);
        var summary = importer.Summary;
        return summary.BadRows == 0 ? summary.GoodRows : throw new InvalidOperationException($"{summary.BadRows} bad rows, first: {summary.Problems[0]}");
    }
}

/// <summary>
/// Overlaps: the vendor's 1,000,000 token rows against a partner's 100,000 (20 % shared), in three populations
/// each. The baseline is a plain hash join of the same tokens — one dictionary of the partner's tokens probed
/// with the vendor's, counting hits — which does none of the engine's work of pairing, de-duplicating, sorting
/// per cell and finding white space.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[MaxColumn]
[Config(typeof(OverlapConfig))]
public class OverlapBenchmarks
{
    private TokenRow[] _vendor = [];
    private TokenRow[] _partner = [];

    [GlobalSetup]
    public void Setup()
    {
        (_vendor, _partner) = MappingData.Tokens();
        var (vendor, _) = OverlapEngine.Compute(_vendor, _partner);
        var pairs = SharingSettings.Populations.Sum(o => SharingSettings.Populations.Sum(t => vendor.Pairs(o, t).Count));
        var accounts = SharingSettings.Populations.Sum(o => SharingSettings.Populations.Sum(t => vendor.Count(o, t)));
        Console.WriteLine($"// Setup: {_vendor.Length:N0} vendor rows, {_partner.Length:N0} partner rows, {pairs:N0} matched pairs ({accounts:N0} accounts counted), join hits {PlainHashJoin():N0}");
    }

    [Benchmark(Baseline = true, Description = "plain hash join of the same tokens")]
    public int PlainHashJoin()
    {
        var index = new Dictionary<UInt128, int>(_partner.Length * 3);
        foreach (var row in _partner)
        {
            Add(index, row.Tokens.Domain);
            Add(index, row.Tokens.Duns);
            Add(index, row.Tokens.NameCountry);
        }

        var hits = 0;
        foreach (var row in _vendor)
        {
            hits += Hit(index, row.Tokens.Domain) + Hit(index, row.Tokens.Duns) + Hit(index, row.Tokens.NameCountry);
        }

        return hits;
    }

    [Benchmark(Description = "full overlap computation (both views)")]
    public int FullOverlap()
    {
        var (vendor, _) = OverlapEngine.Compute(_vendor, _partner);
        var total = 0;
        foreach (var ours in SharingSettings.Populations)
        {
            foreach (var theirs in SharingSettings.Populations)
            {
                total += vendor.Count(ours, theirs) + vendor.WhiteSpaceCount(ours, theirs);
            }
        }

        return total;
    }

    private static void Add(Dictionary<UInt128, int> index, UInt128 token)
    {
        if (token != UInt128.Zero)
        {
            index.TryAdd(token, 0);
        }
    }

    private static int Hit(Dictionary<UInt128, int> index, UInt128 token) => token != UInt128.Zero && index.ContainsKey(token) ? 1 : 0;
}

/// <summary>In-process (no separate build per benchmark): each upload operation takes seconds, so few, whole iterations.</summary>
public class UploadConfig : ManualConfig
{
    public UploadConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
}

/// <summary>In-process, both overlap benchmarks in the same process and run, so their ratio is fair.</summary>
public class OverlapConfig : ManualConfig
{
    public OverlapConfig() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15));
}
