using BenchmarkDotNet.Attributes;
using CoSell.Domain.Customers.Identity;
using CoSell.Infrastructure.Identity;

namespace CoSell.Benchmarks.Identity;

/// <summary>
/// One duplicate check against programmes of 10k, 100k and 1M live claims: through the claims index,
/// and by scoring every claim with the same scorer. Each invocation checks the next of 1,000 prepared
/// customers (variants of claimed companies, unclaimed companies, look-alikes), so the figure is the
/// mean over a realistic mix, not one cached case. Index memory is printed during setup.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 15)]
[MinColumn]
[MedianColumn]
public class DuplicateCheckBenchmarks
{
    private ClaimsIndex _index = null!;
    private CustomerMatcher _matcher = null!;
    private IReadOnlyList<MatchQuery> _queries = [];
    private int _next;

    [Params(10_000, 100_000, 1_000_000)]
    public int Claims { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var built = IndexBuilder.Build(Claims);
        _index = built.Index;
        _matcher = new CustomerMatcher(_index);
        _queries = built.Queries;
        Console.WriteLine($"// {Claims:N0} claims: index holds {built.HeapBytes / 1024.0 / 1024.0:N1} MB of managed heap " +
            $"({built.Index.ApproximateSizeInBytes / 1024.0 / 1024.0:N1} MB by array capacity), built in {built.BuildTime.TotalSeconds:N1} s");
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Baseline = true)]
    public MatchResult CheckWithIndex() => _matcher.Match(NextQuery(), MatchThresholds.Default);

    [Benchmark]
    public MatchResult CheckWithFullScan() => _matcher.ScanAll(NextQuery(), MatchThresholds.Default);

    private MatchQuery NextQuery() => _queries[_next++ % _queries.Count];
}

/// <summary>Builds an index of synthetic claims and measures the managed memory it holds.</summary>
public static class IndexBuilder
{
    public sealed record Built(ClaimsIndex Index, IReadOnlyList<MatchQuery> Queries, long HeapBytes, TimeSpan BuildTime);

    public static Built Build(int claims, int queries = 1_000)
    {
        var synthetic = new SyntheticClaims(new CustomerNormaliser(AnyAsciiTransliterator.Instance));
        var companies = synthetic.Companies(claims);

        // The claims are streamed into the index and the company list lives on both sides of the
        // measurement, so the difference is the index alone.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var index = new ClaimsIndex(claims);
        index.Load(synthetic.Claims(claims, companies));
        var buildTime = started.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var checks = synthetic.Queries(companies, queries);
        return new Built(index, checks, after - before, buildTime);
    }
}
