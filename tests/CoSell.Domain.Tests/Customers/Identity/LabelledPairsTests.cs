using System.Globalization;
using System.Text;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using Xunit.Abstractions;

namespace CoSell.Domain.Tests.Customers.Identity;

/// <summary>
/// Measures the matcher on company_pairs.csv: pairs of customers labelled by hand as the same company
/// or different companies (variants, legal forms, scripts, subsidiaries, look-alikes, namesakes abroad).
/// </summary>
public sealed class LabelledPairsTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Likely_HasHighPrecisionAndRecallOnTheLabelledPairs()
    {
        var pairs = LabelledPair.Load();
        var normaliser = TestTransliterator.Normaliser;
        int truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0, possible = 0;
        var report = new StringBuilder();

        foreach (var pair in pairs)
        {
            using var index = new ClaimsIndex();
            var claimed = normaliser.Normalise(pair.NameB, pair.DomainB, pair.CountryB, pair.DunsB);
            index.Upsert(new CustomerClaim(Guid.NewGuid(), ClaimKind.Registration, Guid.NewGuid(), claimed, [], "approved", Now.AddDays(-10), Now.AddDays(80)));
            var candidate = normaliser.Normalise(pair.NameA, pair.DomainA, pair.CountryA, pair.DunsA);

            var result = new CustomerMatcher(index).Match(new MatchQuery(candidate, [], Now), MatchThresholds.Default);

            var likely = result.Verdict == DuplicateVerdict.Likely;
            possible += result.Verdict == DuplicateVerdict.Possible ? 1 : 0;
            switch (likely, pair.Same)
            {
                case (true, true): truePositives++; break;
                case (true, false): falsePositives++; Describe("false positive", pair, candidate, claimed, result, report); break;
                case (false, true): falseNegatives++; Describe("missed", pair, candidate, claimed, result, report); break;
                default: trueNegatives++; break;
            }
        }

        var precision = truePositives / (double)(truePositives + falsePositives);
        var recall = truePositives / (double)(truePositives + falseNegatives);
        output.WriteLine($"{pairs.Count} pairs ({pairs.Count(p => p.Same)} same company, {pairs.Count(p => !p.Same)} different)");
        output.WriteLine($"likely: precision {precision:0.000}, recall {recall:0.000} (TP {truePositives}, FP {falsePositives}, FN {falseNegatives}, TN {trueNegatives}); {possible} pairs possible");
        foreach (var line in report.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine(line);
        }

        pairs.Count.Should().BeGreaterThanOrEqualTo(300);
        precision.Should().BeGreaterThanOrEqualTo(0.95);
        recall.Should().BeGreaterThanOrEqualTo(0.90);
    }

    private static void Describe(string what, LabelledPair pair, NormalisedCustomer a, NormalisedCustomer b, MatchResult result, StringBuilder report) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"{what}: {pair.NameA} / {pair.NameB} ({pair.Note}): {a} vs {b} -> {result.Verdict} {result.Score:0.00} [{string.Join("; ", result.Matches.SelectMany(m => m.Reasons))}]");

    internal sealed record LabelledPair(
        string NameA, string? DomainA, string CountryA, string? DunsA,
        string NameB, string? DomainB, string CountryB, string? DunsB,
        bool Same, string Note)
    {
        public static IReadOnlyList<LabelledPair> Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Customers", "Identity", "company_pairs.csv");
            var rows = Csv.Read(File.ReadAllText(path, Encoding.UTF8));
            return [.. rows.Skip(1).Select(r => new LabelledPair(
                r[0], Blank(r[1]), r[2], Blank(r[3]), r[4], Blank(r[5]), r[6], Blank(r[7]), r[8] == "1", r[9]))];
        }

        private static string? Blank(string value) => value.Length == 0 ? null : value;
    }

    /// <summary>RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    internal static class Csv
    {
        public static List<string[]> Read(string text)
        {
            var rows = new List<string[]>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\n')
                {
                    fields.Add(field.ToString().TrimEnd('\r'));
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            if (field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                rows.Add([.. fields]);
            }

            return rows;
        }
    }
}
