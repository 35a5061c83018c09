using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Benchmarks.Conflicts;

/// <summary>
/// With 100,000 registrations and 10,000 conflict cases stored in a SQLite file: opening a case from a
/// submission (duplicate check, case, arbiter assignment, one commit) and listing an arbiter's queue.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 40)]
public class ConflictBenchmarks
{
    private const int Registrations = 100_000;
    private const int Cases = 10_000;

    private BenchmarkHost _host = null!;
    private Guid _draft;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _host = new BenchmarkHost("conflicts");
        Seed();
        _host.LoadClaims();
    }

    [IterationSetup(Target = nameof(OpenCaseFromSubmit))]
    public void DraftACollidingRegistration()
    {
        // Fabrikam drafts a customer Northwind already holds (an approved registration seeded below).
        var n = Interlocked.Increment(ref _next);
        _host.ActAs(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        _draft = Send(new CreateRegistration(
            new CustomerInput($"Seeded Customer {n} GmbH", $"seeded-customer-{n}.com", "DE", null),
            ["Cloud"],
            new MoneyInput(20_000, "USD"),
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60),
            null)).Id;
    }

    [Benchmark(Description = "submit that opens a conflict case")]
    public RegistrationDto OpenCaseFromSubmit()
    {
        var submitted = Send(new SubmitRegistration(_draft));
        if (submitted.Status != RegistrationStatus.InConflict)
        {
            throw new InvalidOperationException($"Expected a conflict, got {submitted.Status}.");
        }

        return submitted;
    }

    [Benchmark(Description = "arbiter's queue, first page")]
    public Paged<ConflictDto> ListArbiterQueue()
    {
        _host.ActAs(DemoProgramme.Arbiter, Roles.Arbiter);
        return Send(new ListConflicts(ConflictStatus.Open, null, null, 1, 20));
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    private T Send<T>(IRequest<T> request) => _host.Send(request);

    /// <summary>100,000 registrations (Northwind's approved ones first) and 10,000 two-claim cases, written in large batches.</summary>
    private void Seed()
    {
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var rules = db.Rules.Single(r => r.IsActive);
        var partners = db.Partners.ToDictionary(p => p.Id);
        var now = DateTimeOffset.UtcNow;
        var close = DateOnly.FromDateTime(now.UtcDateTime).AddDays(90);
        var seeded = new List<DealRegistration>(Registrations);
        Guid[] owners = [DemoProgramme.Northwind, DemoProgramme.Fabrikam, DemoProgramme.Adatum];
        for (var i = 1; i <= Registrations; i++)
        {
            var partner = partners[i <= Registrations / 2 ? DemoProgramme.Northwind : owners[i % 3]];
            var country = partner.Territories[0];
            var r = DealRegistration.Draft(Guid.CreateVersion7(), partner.Id, "seed", Customer.Create($"Seeded Customer {i}", $"seeded-customer-{i}.com", country, null),
                ["Cloud"], Money.Of(80_000 + i, "USD"), close, null, now.AddMinutes(-i));
            r.Submit(partner, rules, DuplicateAssessment.Clear, "seed", now.AddMinutes(-i));
            if (i % 2 == 1)
            {
                r.Approve(rules.For(partner.Tier), "seed", now.AddMinutes(-i));
            }

            r.ClearDomainEvents();
            db.Registrations.Add(r);
            seeded.Add(r);
            if (i % 5_000 == 0)
            {
                db.SaveChanges();
                db.ChangeTracker.Clear();
            }
        }

        // Cases bind a Northwind claim from the second quarter with a claim of another partner from the second half.
        for (var c = 0; c < Cases; c++)
        {
            var a = seeded[(Registrations / 4) + c];
            var b = seeded[(Registrations / 2) + (c * 3) + 1];
            var claims = new[]
            {
                ConflictClaim.Of(a, now),
                ConflictClaim.Of(b, now),
            };
            var conflict = ChannelConflict.Open(Guid.CreateVersion7(), $"Seeded Customer {c}", $"seeded-case-{c}.com", "US", claims,
                ConflictRules.Recommend(claims, rules.DirectLookbackDays, now), rules.Number, TimeSpan.FromHours(72 - (c % 100)), "seed", now.AddMinutes(-c));
            conflict.Assign(DemoProgramme.Arbiter, "seed", now);
            conflict.ClearDomainEvents();
            db.Conflicts.Add(conflict);
            if (c % 2_000 == 1_999)
            {
                db.SaveChanges();
                db.ChangeTracker.Clear();
            }
        }

        db.SaveChanges();
    }
}
