using System.Diagnostics;
using System.Globalization;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;

namespace CoSell.Benchmarks.Identity;

/// <summary>
/// The per-check view BenchmarkDotNet's means do not give: the distribution of single-check latencies
/// through the index, a full scan for comparison, index memory, and how often the index and the full
/// scan reach the same verdict. Run with <c>dotnet run -c Release -- latency [sizes...]</c>.
/// </summary>
public static class LatencyReport
{
    public static void Run(IReadOnlyList<string> sizes)
    {
        var claims = sizes.Count == 0 ? [10_000, 100_000, 1_000_000] : sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"{Environment.ProcessorCount} cores, {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        foreach (var count in claims)
        {
            Measure(count);
        }
    }

    private static void Measure(int count)
    {
        var built = IndexBuilder.Build(count, queries: 5_000);
        var matcher = new CustomerMatcher(built.Index);
        var queries = built.Queries;
        Console.WriteLine();
        Console.WriteLine($"{count:N0} claims: built in {built.BuildTime.TotalSeconds:N1} s; index {Mb(built.HeapBytes)} MB managed heap, {Mb(built.Index.ApproximateSizeInBytes)} MB by array capacity");

        // Warm up until the JIT has compiled the hot paths at full optimisation.
        for (var round = 0; round < 3; round++)
        {
            foreach (var query in queries)
            {
                matcher.Match(query, MatchThresholds.Default);
            }

            matcher.ScanAll(queries[round], MatchThresholds.Default);
            Thread.Sleep(200);
        }

        var times = new double[queries.Count];
        var verdicts = new int[3];
        for (var i = 0; i < queries.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = matcher.Match(queries[i], MatchThresholds.Default);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            verdicts[(int)result.Verdict]++;
        }

        Array.Sort(times);
        Console.WriteLine($"  index check, {queries.Count:N0} checks: p50 {P(times, 0.50)} µs, p90 {P(times, 0.90)} µs, p99 {P(times, 0.99)} µs, max {times[^1]:N0} µs, mean {times.Average():N1} µs");
        Console.WriteLine($"  verdicts: {verdicts[(int)DuplicateVerdict.Likely]} likely, {verdicts[(int)DuplicateVerdict.Possible]} possible, {verdicts[(int)DuplicateVerdict.Clear]} clear");

        const int sample = 100;
        var scans = new double[sample];
        int sameVerdict = 0, sameScore = 0;
        for (var i = 0; i < sample; i++)
        {
            var query = queries[i * (queries.Count / sample)];
            var start = Stopwatch.GetTimestamp();
            var scanned = matcher.ScanAll(query, MatchThresholds.Default);
            scans[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var indexed = matcher.Match(query, MatchThresholds.Default);
            sameVerdict += indexed.Verdict == scanned.Verdict ? 1 : 0;
            if (indexed.Verdict != scanned.Verdict)
            {
                Console.WriteLine($"    index {indexed.Verdict}, full scan {scanned.Verdict} for {query.Customer}: {string.Join("; ", scanned.Matches[0].Reasons)}");
            }

            sameScore += Math.Abs(indexed.Score - scanned.Score) < 1e-9 ? 1 : 0;
        }

        Array.Sort(scans);
        Console.WriteLine($"  full scan, {sample} checks: p50 {P(scans, 0.50)} µs ({P(scans, 0.50) / Math.Max(P(times, 0.50), 0.001):N0} x the index p50)");
        Console.WriteLine($"  index vs full scan on those {sample}: same verdict {sameVerdict}, same best score {sameScore}");
    }

    private static double P(double[] sorted, double quantile) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))], 1);

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture);
}
