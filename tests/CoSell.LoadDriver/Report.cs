using System.Globalization;
using System.Text;

namespace CoSell.LoadDriver;

/// <summary>The figures of one run and their Markdown page.</summary>
internal sealed class Report
{
    private const double MaximumIdleMiB = 150;
    private static readonly TimeSpan MaximumReady = TimeSpan.FromSeconds(2);

    public required Machine Machine { get; init; }

    public required DriverOptions Options { get; init; }

    public TimeSpan ReadyFirstStart { get; set; }

    public TimeSpan ReadyRestart { get; set; }

    public MemoryReading RssEmpty { get; set; }

    public MemoryReading RssSeeded { get; set; }

    public MemoryReading RssAfterLoad { get; set; }

    public long AuditRowsSeeded { get; set; }

    public long DatabaseBytes { get; set; }

    public long RegistrationsAfterLoad { get; set; }

    public PhaseResult CreateSubmit { get; set; } = null!;

    public PhaseResult Health { get; set; } = null!;

    public PhaseResult RawConcurrent { get; set; } = null!;

    public PhaseResult RawSingle { get; set; } = null!;

    public bool Failed => CreateSubmit.Errors > 0 || Health.Errors > 0 || RawConcurrent.Errors > 0 || RawSingle.Errors > 0;

    public required string Deployment { get; init; }

    public string LoadAverageDuringRun { get; set; } = "unknown";

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var toHealth = CreateSubmit.PerSecond / Health.PerSecond;
        var toRaw = CreateSubmit.PerSecond / RawConcurrent.PerSecond;
        var toRawSingle = CreateSubmit.PerSecond / RawSingle.PerSecond;
        var s = new StringBuilder();
        s.AppendLine("# Foundation performance figures");
        s.AppendLine();
        s.AppendLine("Measured by the load driver on loopback (127.0.0.1), service and driver on the same machine. Reproduce from the repository root:");
        s.AppendLine();
        s.AppendLine("```sh");
        s.AppendLine("dotnet run -c Release --project tests/CoSell.LoadDriver");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(c, $"Run on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z. The driver rewrites this page on every run; its options (rows, clients, durations) are described in `tests/CoSell.LoadDriver/DriverOptions.cs`.");
        s.AppendLine();
        s.AppendLine("## Machine and data");
        s.AppendLine();
        s.AppendLine("| | |");
        s.AppendLine("| --- | --- |");
        s.AppendLine(c, $"| Cores (nproc) | {Machine.Cores} |");
        s.AppendLine(c, $"| CPU | {Machine.Cpu} |");
        s.AppendLine(c, $"| Memory | {Machine.Memory} |");
        s.AppendLine(c, $"| OS | {Machine.Os} |");
        s.AppendLine(c, $"| Runtime | {Machine.Runtime}, SQLite {Machine.Sqlite} |");
        s.AppendLine(c, $"| Load average before / after the run | {Machine.LoadAverage} / {LoadAverageDuringRun} (the machine is shared with other work: absolute figures move with it, CPU per operation much less) |");
        s.AppendLine(c, $"| Service | `src/Web` {Deployment}, environment `Production` |");
        s.AppendLine(c, $"| Stored before the load | {Options.Rows:N0} registrations in every lifecycle state, {AuditRowsSeeded:N0} audit rows, {Seeder.PartnersPerTier * 4} partners ({Seeder.PartnersPerTier} per tier), {Seeder.ChannelManagers} channel managers; {DatabaseBytes / 1048576.0:0.0} MiB |");
        s.AppendLine(c, $"| Stored after the load | {RegistrationsAfterLoad:N0} registrations |");
        s.AppendLine("| Durability | WAL, `synchronous=FULL` (ADR 0005), service and raw inserts alike |");
        s.AppendLine();
        s.AppendLine("## Throughput and latency");
        s.AppendLine();
        s.AppendLine(c, $"Closed loop: each client sends its next request when the previous one answered. {Options.Duration.TotalSeconds:0} s measured per phase, after {Options.Warmup.TotalSeconds:0} s of warm-up for create+submit and {Options.ShortWarmup.TotalSeconds:0} s for the others. CPU per operation is the user+system time the service (for raw inserts: the driver, which does the inserting) used in the measured window, divided by the operations.");
        s.AppendLine();
        s.AppendLine("| Phase | Clients | Ops/s | p50 ms | p90 ms | p99 ms | Errors | CPU ms/op |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in new[] { CreateSubmit, Health, RawConcurrent, RawSingle })
        {
            var cpu = phase == RawConcurrent || phase == RawSingle ? phase.DriverCpuMsPerOp : phase.ServiceCpuMsPerOp;
            s.AppendLine(c, $"| {phase.Name} | {phase.Clients} | {phase.PerSecond:N0} | {phase.Percentile(50):0.00} | {phase.Percentile(90):0.00} | {phase.Percentile(99):0.00} | {phase.Errors} | {cpu:0.000} |");
        }

        s.AppendLine();
        s.AppendLine("## Targets");
        s.AppendLine();
        s.AppendLine("| Target | Measured | Met |");
        s.AppendLine("| --- | ---: | :---: |");
        s.AppendLine(c, $"| create+submit ≥ 10 % of `/health/live` | {toHealth:P1} | {Met(toHealth >= 0.10)} |");
        s.AppendLine(c, $"| create+submit ≥ 50 % of the raw insert ({RawConcurrent.Clients} writers) | {toRaw:P1} | {Met(toRaw >= 0.50)} |");
        s.AppendLine(c, $"| create+submit against the raw insert with 1 writer (context) | {toRawSingle:P1} | – |");
        s.AppendLine(c, $"| p99 create+submit at {CreateSubmit.Clients} clients (reported) | {CreateSubmit.Percentile(99):0.0} ms | – |");
        s.AppendLine(c, $"| no failed request | {CreateSubmit.Errors + Health.Errors} | {Met(CreateSubmit.Errors + Health.Errors == 0)} |");
        s.AppendLine(c, $"| idle RSS < {MaximumIdleMiB:0} MiB, {Options.Rows:N0} rows stored, before load | {Describe(RssSeeded)} | {Met(RssSeeded.RssKb / 1024.0 < MaximumIdleMiB)} |");
        s.AppendLine(c, $"| idle RSS < {MaximumIdleMiB:0} MiB after the load | {Describe(RssAfterLoad)}, peak {MiB(RssAfterLoad.PeakKb)} | {Met(RssAfterLoad.RssKb / 1024.0 < MaximumIdleMiB)} |");
        s.AppendLine(c, $"| ready < 2 s, first start (creates and migrates a new file) | {ReadyFirstStart.TotalMilliseconds:N0} ms | {Met(ReadyFirstStart < MaximumReady)} |");
        s.AppendLine(c, $"| ready < 2 s, restart on {Options.Rows:N0} stored rows | {ReadyRestart.TotalMilliseconds:N0} ms | {Met(ReadyRestart < MaximumReady)} |");
        s.AppendLine();
        s.AppendLine(c, $"Idle RSS of the freshly migrated, empty service: {Describe(RssEmpty)}. The anonymous part is the process's own memory (managed heap, native heap, SQLite caches); the rest is mapped program files and JIT code.");
        s.AppendLine();
        s.AppendLine("## Reading the figures");
        s.AppendLine();
        var perPair = CreateSubmit.ServiceCpuMsPerOp;
        var perProbe = Health.ServiceCpuMsPerOp;
        s.AppendLine(c, $"- One create+submit pair cost the service {perPair:0.00} ms of CPU; one liveness probe {perProbe:0.000} ms, {perPair / perProbe:0}× less. The first target asks a pair to cost at most 10× a probe: a pair is two authenticated requests that validate, read the partner, the rules and the customer's other claims, and commit two units of work with their audit rows, where a probe does none of that. With the CPU split between service and driver, create+submit is CPU-bound: its throughput is roughly the service's share of the cores divided by {perPair:0.00} ms.");
        s.AppendLine(c, $"- The raw insert does a fraction of that work ({RawSingle.DriverCpuMsPerOp:0.000} ms of CPU per row pair with one writer) and is bound by SQLite and the disk: one commit, one fsync. With {RawConcurrent.Clients} writers it reaches {RawConcurrent.PerSecond:N0} rows/s, p99 {RawConcurrent.Percentile(99):0} ms: writers that find the file locked wait in SQLite's busy handler, which sleeps and retries. One writer ({RawSingle.PerSecond:N0} rows/s, p99 {RawSingle.Percentile(99):0.0} ms) is the uncontended ceiling; the service funnels all writes through one writer for that reason and commits the units that queue up behind each other in one transaction (group commit), so the fsync is shared.");
        s.AppendLine(c, $"- The p99 of a pair at {CreateSubmit.Clients} clients, {CreateSubmit.Percentile(99):0} ms, is mostly queueing for CPU: {CreateSubmit.Clients} closed-loop clients keep {CreateSubmit.Clients} pairs in flight on {Machine.Cores} cores.");
        s.AppendLine();
        s.AppendLine("## What is measured");
        s.AppendLine();
        s.AppendLine("- **Service**: started as a child process on a free loopback port with a fresh SQLite file in a temp folder and a random HS256 signing key; the driver mints its own tokens with that key (`sub`, `role=partner`, `partner_id`).");
        s.AppendLine("- **Ready**: from process start until `GET /health/ready` (which opens the database and waits for the claims index to be loaded, ADR 0010) first answers 200. The first start creates the file, applies the migrations and publishes the default rules; the restart opens the seeded file and loads the live claims of its registrations.");
        s.AppendLine("- **Seeding**: after the first start the service is stopped and partners, users and registrations (with the audit rows the service would have written for each transition) are inserted with Microsoft.Data.Sqlite in transactions of 10,000 rows, in the exact column formats of the EF Core mapping; then the service is started again.");
        s.AppendLine("- **create+submit**: each client is a different partner user; one operation is `POST /api/v1/registrations` for a customer nobody has claimed, then `POST /api/v1/registrations/{id}/submit`. One deal in four is small (12,000 USD), under the auto-approve ceiling of every tier but Registered (whose ceiling is 0, and which a quarter of the clients' partners have), so about 3 in 16 are approved at once and the rest wait for review. Ops/s counts pairs; the latency is that of the pair. Any answer other than 201/200 is an error.");
        s.AppendLine("- **/health/live**: the same clients, same server, same duration, right after.");
        s.AppendLine("- **RSS**: `VmRSS` of the service from `/proc/<pid>/status` after it has been idle for " + Options.Idle.TotalSeconds.ToString("0", c) + " s, with `RssAnon`; the peak is `VmHWM`.");
        s.AppendLine("- **Raw insert**: after the service stopped, a copy of its database file; each operation is one `BEGIN IMMEDIATE` transaction with the two rows one HTTP create commits (the registration and its audit row) and a commit, on a connection per writer with the service's pragmas (`journal_mode=WAL`, `synchronous=FULL`, `busy_timeout=5000`, `foreign_keys=ON`).");
        s.AppendLine("- **The ratio** compares create+submit pairs per second (two HTTP requests, two units of work, about four row writes and four indexed reads per pair) with raw two-row transactions per second, so 50 % would mean one pair of HTTP requests costs no more than two raw transactions.");
        s.AppendLine();
        s.AppendLine("The service's SQLite writer and durability mode are recorded in [ADR 0005](../adr/0005-sqlite-single-writer-and-durability.md).");
        return s.ToString();
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Describe(MemoryReading m) => $"{MiB(m.RssKb)} ({MiB(m.AnonymousKb)} anonymous)";

    private static string MiB(long kb) => (kb / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
