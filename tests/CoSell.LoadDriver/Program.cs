using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CoSell.LoadDriver;

// Measures the foundation's figures on loopback: see docs/perf/foundation.md for what and why.
var options = DriverOptions.Parse(args);
ThreadPool.SetMinThreads(Math.Max(64, options.Clients * 2), Math.Max(64, options.Clients * 2));

var repository = DriverOptions.FindRepositoryRoot();
var machine = Machine.Describe();
Console.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}, load {machine.LoadAverage}");

var webProject = Path.Combine(repository, "src", "Web");
var work = Directory.CreateTempSubdirectory("cosell-perf-").FullName;
var web = options.Web ?? Path.Combine(webProject, "bin", "Release", "net10.0");
if (options.Publish)
{
    // As deployed: Release, framework-dependent, ReadyToRun (precompiled code starts faster and needs less JIT).
    web = Path.Combine(work, "web");
    Console.WriteLine($"Publishing src/Web in Release with ReadyToRun for {RuntimeInformation.RuntimeIdentifier}…");
    Run("dotnet", ["publish", webProject, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", web, "--nologo", "-v", "q"], repository);
}
else if (options.Build)
{
    Console.WriteLine("Building src/Web in Release…");
    Run("dotnet", ["build", webProject, "-c", "Release", "--nologo", "-v", "q"], repository);
}

var database = Path.Combine(work, "cosell.db");
var log = Path.Combine(work, "service.log");
var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
// One secret for the run, as a deployment keeps it: a new one at each start would re-key the account rows every time.
var accountMappingSecret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
var settings = new ServiceSettings(web, database, "cosell-perf", "cosell", signingKey, accountMappingSecret);
var report = new Report { Machine = machine, Options = options, Deployment = options.Publish ? "published in Release, ReadyToRun, framework-dependent" : $"run from {Path.GetRelativePath(repository, web)}" };
Console.WriteLine($"Working in {work}");

try
{
    // 1. First start on a new file: the service creates and migrates it, and publishes the default rules.
    var (service, ready) = await ServiceProcess.StartAsync(settings, log);
    report.ReadyFirstStart = ready;
    Console.WriteLine($"First start (new database, migrations): ready in {ready.TotalMilliseconds:0} ms");
    await Task.Delay(options.Idle);
    report.RssEmpty = service.Memory();
    await service.DisposeAsync();

    // 2. Seed the stopped service's database directly.
    var clock = Stopwatch.StartNew();
    report.AuditRowsSeeded = Seeder.Seed(database, options.Rows, DateTimeOffset.UtcNow);
    report.DatabaseBytes = new FileInfo(database).Length;
    Console.WriteLine($"Seeded {options.Rows:N0} registrations and {report.AuditRowsSeeded:N0} audit rows in {clock.Elapsed.TotalSeconds:0.0} s ({report.DatabaseBytes / 1048576.0:0.0} MiB)");

    // 3. Restart on the seeded file.
    (service, ready) = await ServiceProcess.StartAsync(settings, log);
    report.ReadyRestart = ready;
    Console.WriteLine($"Restart on {options.Rows:N0} registrations: ready in {ready.TotalMilliseconds:0} ms");
    await Task.Delay(options.Idle);
    report.RssSeeded = service.Memory();
    Console.WriteLine($"Idle RSS with {options.Rows:N0} rows stored: {report.RssSeeded.RssKb / 1024.0:0.0} MiB ({report.RssSeeded.AnonymousKb / 1024.0:0.0} MiB anonymous)");
    if (options.Attach > TimeSpan.Zero)
    {
        Console.WriteLine($"Service pid {service.Pid}: waiting {options.Attach.TotalSeconds:0} s for a profiler");
        await Task.Delay(options.Attach);
    }

    // 4. Load over HTTP.
    var partners = Seeder.Partners();
    string Token(LoadPartner p) => Jwt.Mint(signingKey, settings.Issuer, settings.Audience, new Dictionary<string, string>
    {
        ["sub"] = p.UserId.ToString(),
        ["role"] = "partner",
        ["partner_id"] = p.Id.ToString(),
        ["name"] = p.UserName,
    }, TimeSpan.FromHours(1));
    using (var http = new HttpScenarios(service.BaseAddress, options.Clients, partners, Token))
    {
        report.CreateSubmit = await Phase("create+submit over HTTP", options.Clients, options.Warmup, http.CreateAndSubmit, service.CpuTime);
        report.Health = await Phase("GET /health/live", options.Clients, options.ShortWarmup, http.HealthLive, service.CpuTime);
    }

    await Task.Delay(options.Idle);
    report.RssAfterLoad = service.Memory();
    if (options.Attach > TimeSpan.Zero)
    {
        Console.WriteLine($"Service pid {service.Pid} after the load: waiting {options.Attach.TotalSeconds:0} s for a profiler");
        await Task.Delay(options.Attach);
    }

    Console.WriteLine($"Idle RSS after the load: {report.RssAfterLoad.RssKb / 1024.0:0.0} MiB ({report.RssAfterLoad.AnonymousKb / 1024.0:0.0} MiB anonymous), peak {report.RssAfterLoad.PeakKb / 1024.0:0.0} MiB");
    await service.DisposeAsync();
    report.RegistrationsAfterLoad = Seeder.Count(database, "registrations");
    report.LoadAverageDuringRun = Machine.LoadAverageNow();

    // 5. The same rows straight through Microsoft.Data.Sqlite, into copies of the same file.
    var raw = Path.Combine(work, "raw.db");
    Seeder.Copy(database, raw);
    using (var inserts = new RawInserts(raw, options.Clients, partners, "FULL"))
    {
        report.RawConcurrent = await Phase($"raw insert, {options.Clients} writers", options.Clients, options.ShortWarmup, inserts.InsertOne);
    }

    Seeder.Copy(database, raw);
    using (var inserts = new RawInserts(raw, 1, partners, "FULL"))
    {
        report.RawSingle = await Phase("raw insert, 1 writer", 1, options.ShortWarmup, inserts.InsertOne);
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    var markdown = report.ToMarkdown();
    Console.WriteLine();
    Console.WriteLine(markdown);
    var output = options.Output ?? Path.Combine(repository, "docs", "perf", "foundation.md");
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, markdown);
    Console.WriteLine($"Written to {output}");
    return report.Failed ? 1 : 0;
}
finally
{
    if (options.Keep)
    {
        Console.WriteLine($"Kept {work}");
    }
    else
    {
        Directory.Delete(work, recursive: true);
    }
}

async Task<PhaseResult> Phase(string name, int clients, TimeSpan warmup, Load.Operation operation, Func<TimeSpan>? serviceCpu = null)
{
    Console.Write($"{name}: {clients} clients, {warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s… ");
    var result = await Load.RunAsync(name, clients, warmup, options.Duration, operation, serviceCpu);
    Console.WriteLine($"{result.PerSecond:0} ops/s, p50 {result.Percentile(50):0.00} ms, p99 {result.Percentile(99):0.00} ms, {result.Errors} errors; CPU/op service {result.ServiceCpuMsPerOp:0.000} ms, driver {result.DriverCpuMsPerOp:0.000} ms");
    foreach (var sample in result.ErrorSamples)
    {
        Console.WriteLine($"  error: {sample}");
    }

    return result;
}

static void Run(string file, string[] arguments, string directory)
{
    using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, UseShellExecute = false })!;
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}.");
    }
}
