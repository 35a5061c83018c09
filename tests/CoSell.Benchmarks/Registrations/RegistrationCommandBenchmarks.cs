using BenchmarkDotNet.Attributes;
using CoSell.Application.Registrations;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Benchmarks.Registrations;

/// <summary>
/// A partner's create and submit of a registration nobody else claims, and a read of one by id, through the application
/// pipeline on a SQLite file (WAL, <c>synchronous=FULL</c>, the one writer): what a request costs below HTTP, mostly
/// EF Core's reads, change tracking and saves. Allocations are counted per operation.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RegistrationCommandBenchmarks
{
    private BenchmarkHost _host = null!;
    private int _next;
    private Guid _stored;

    [GlobalSetup]
    public void Setup()
    {
        _host = new BenchmarkHost("registrations");
        _host.LoadClaims();
        _host.ActAs(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        _stored = Create().Id;
    }

    [Benchmark(Description = "create + submit")]
    public RegistrationDto CreateAndSubmit()
    {
        var submitted = _host.Send(new SubmitRegistration(Create().Id));
        return submitted.Status is RegistrationStatus.Submitted or RegistrationStatus.Approved ? submitted : throw new InvalidOperationException($"Submitted as {submitted.Status}.");
    }

    [Benchmark(Description = "read by id")]
    public RegistrationDto Read() => _host.Send(new GetRegistration(_stored));

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    private RegistrationDto Create()
    {
        var n = Interlocked.Increment(ref _next);
        return _host.Send(new CreateRegistration(
            new CustomerInput($"Benchmark Customer {n} Inc", $"benchmark-customer-{n}.com", "US", null),
            ["Cloud"],
            new MoneyInput(60_000 + n, "USD"),
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
            null));
    }
}
