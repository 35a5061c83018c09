using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

public sealed class RegistrationHandlerTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public RegistrationHandlerTests(Harness harness) => _harness = harness;

    private CreateRegistration NewRegistration(string name, string domain, decimal amount = 120_000m) => new(
        new CustomerInput(name, domain, "US", null),
        ["Security"],
        new MoneyInput(amount, "USD"),
        DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30),
        null);

    private void AsNorthwind() => _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);

    [Fact]
    public async Task Create_WritesTheRegistrationAndItsAuditRowInOneCommit()
    {
        AsNorthwind();
        var before = await _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().AuditEntries.CountAsync());

        var created = await _harness.Send(NewRegistration("Audit Trail Inc", "audit-trail.com"));

        var (rows, audit) = await _harness.InScope(async sp =>
        {
            var db = sp.GetRequiredService<CoSellDbContext>();
            return (await db.Registrations.CountAsync(r => r.Id == created.Id), await db.AuditEntries.CountAsync());
        });
        rows.Should().Be(1);
        audit.Should().Be(before + 1);
        created.Version.Should().Be(1);
    }

    [Fact]
    public async Task Create_WhoseAuditRowCannotBeWritten_StoresNoRegistration()
    {
        AsNorthwind();
        // The store refuses this one audit row; the registration it records goes with it, or the commit was not one.
        await _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_one_audit_row BEFORE INSERT ON audit_log WHEN NEW.Summary LIKE '%Unaudited Works%' BEGIN SELECT RAISE(ABORT, 'audit refused'); END"));
        try
        {
            var create = () => _harness.Send(NewRegistration("Unaudited Works Inc", "unaudited-works.com"));

            await create.Should().ThrowAsync<Exception>();
            var stored = await _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().Database
                .SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM registrations WHERE customer_name = 'Unaudited Works Inc'").SingleAsync());
            stored.Should().Be(0, "a registration is never stored without its audit row");
        }
        finally
        {
            await _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_one_audit_row"));
        }
    }

    [Fact]
    public async Task ASubmission_WhoseLikelyRivalLeavesAfterItWasJudged_IsRefusedAsAConcurrentChange_AndJudgedAfreshOnItsRetry()
    {
        AsNorthwind();
        var rival = await _harness.Send(NewRegistration("Hollowbrook Mills", "hollowbrook-mills.com"));
        await _harness.Send(new SubmitRegistration(rival.Id));
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        await _harness.Send(new ApproveRegistration(rival.Id));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        var late = await _harness.Send(NewRegistration("Hollowbrook Mills", "hollowbrook-mills.com"));

        // Northwind withdraws its claim after the submission was judged against it and before the case is opened on it.
        _harness.BeforeListingRegistrations = async () =>
        {
            AsNorthwind();
            await _harness.Send(new WithdrawRegistration(rival.Id, "Lost the customer."));
            _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        };
        var submit = () => _harness.Send(new SubmitRegistration(late.Id));

        (await submit.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("conflict.concurrent_change");
        _harness.BeforeListingRegistrations.Should().BeNull("the withdrawal ran where it was meant to");
        (await _harness.Send(new GetRegistration(late.Id))).Status.Should().Be(RegistrationStatus.Draft, "nothing of the refused submission is stored");
        var retried = await _harness.Send(new SubmitRegistration(late.Id));
        retried.Duplicate!.Verdict.Should().Be(DuplicateVerdict.Clear, "the withdrawn claim is no rival any more");
    }

    [Fact]
    public async Task StatusChange_IsPushedOnlyAfterItsCommit_AndALosingConcurrentWritePushesNothing()
    {
        AsNorthwind();
        var created = await _harness.Send(NewRegistration("Race Condition GmbH", "race-condition.com"));
        var pushedBefore = _harness.Notifier.Messages.Count;
        // The submission commits between the withdrawal's reads and its commit, as a concurrent request would.
        _harness.BeforeCommit = () => _harness.InScope(sp => sp.GetRequiredService<MediatR.IMediator>().Send(new SubmitRegistration(created.Id, created.Version)));

        // No If-Match, so nothing refuses it before it reaches its commit, which it loses.
        var late = () => _harness.Send(new WithdrawRegistration(created.Id));

        (await late.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("conflict.concurrent_change");
        var pushed = _harness.Notifier.Messages.Skip(pushedBefore).ToList();
        pushed.Should().ContainSingle("the withdrawal that lost its commit pushes nothing").Which.To.Should().Be(RegistrationStatus.Submitted);
        var stored = await _harness.Send(new GetRegistration(created.Id));
        stored.Status.Should().Be(RegistrationStatus.Submitted);
    }

    [Fact]
    public async Task TwoUnitsOfWorkLoadingTheSameVersion_TheSecondCommitIsRefused()
    {
        AsNorthwind();
        var created = await _harness.Send(NewRegistration("Optimistic Locks Ltd", "optimistic-locks.com"));
        using var a = _harness.Services.CreateScope();
        using var b = _harness.Services.CreateScope();
        var repoA = a.ServiceProvider.GetRequiredService<IRepository<Domain.Registrations.DealRegistration>>();
        var repoB = b.ServiceProvider.GetRequiredService<IRepository<Domain.Registrations.DealRegistration>>();
        var copyA = await repoA.GetByIdAsync(created.Id, CancellationToken.None);
        var copyB = await repoB.GetByIdAsync(created.Id, CancellationToken.None);

        copyA!.Withdraw("changed my mind", "user", _harness.Time.GetUtcNow());
        await a.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        copyB!.Withdraw("me too", "user", _harness.Time.GetUtcNow());
        var commit = () => b.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);

        await commit.Should().ThrowAsync<PreconditionFailedException>();
        var timeline = await _harness.InScope(sp => sp.GetRequiredService<IAuditTrail>().GetAsync(AuditAggregates.Registration, created.Id, new PageRequest(1, 100), CancellationToken.None));
        timeline.Items.Should().HaveCount(2, "the refused change wrote no audit row");
    }

    [Fact]
    public async Task AnotherPartnersRegistration_DoesNotExistForAPartner()
    {
        AsNorthwind();
        var created = await _harness.Send(NewRegistration("Hidden Accounts SA", "hidden-accounts.fr"));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);

        var read = () => _harness.Send(new GetRegistration(created.Id));
        var withdraw = () => _harness.Send(new WithdrawRegistration(created.Id));

        await read.Should().ThrowAsync<NotFoundException>();
        await withdraw.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task AChannelManagerTheRegistrationIsNotRoutedTo_MayNotApproveIt()
    {
        AsNorthwind();
        var created = await _harness.Send(NewRegistration("Routing Rules Inc", "routing-rules.com"));
        await _harness.Send(new SubmitRegistration(created.Id));
        _harness.User.Is(DemoProgramme.Manager2, Roles.ChannelManager);

        var approve = () => _harness.Send(new ApproveRegistration(created.Id));

        await approve.Should().ThrowAsync<ForbiddenException>();
    }

    [Fact]
    public async Task TheRoleIsCheckedBeforeValidation_AndBadInputIsExplainedToTheRightRole()
    {
        var bad = new CreateRegistration(new CustomerInput("", null, "ZZ", null), [], new MoneyInput(-1, "XXX"), null, null);
        var act = () => _harness.Send(bad);

        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        await act.Should().ThrowAsync<ForbiddenException>("a caller who may not register learns nothing from how the content would be judged");

        AsNorthwind();
        (await act.Should().ThrowAsync<ValidationException>()).Which.Errors.Select(e => e.PropertyName)
            .Should().Contain(["Customer.Name", "Customer.Country", "ProductLines", "EstimatedValue.Amount", "EstimatedValue.Currency", "ExpectedCloseDate"]);
    }

    [Fact]
    public async Task ReviewQueue_IsSoonestSlaFirst_AndOnlyTheCallersOrUnrouted()
    {
        AsNorthwind();
        var early = await _harness.Send(NewRegistration("Early Bird Co", "early-bird.com"));
        await _harness.Send(new SubmitRegistration(early.Id));
        _harness.Time.Advance(TimeSpan.FromHours(1));
        var late = await _harness.Send(NewRegistration("Late Comer Co", "late-comer.com"));
        await _harness.Send(new SubmitRegistration(late.Id));

        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        var queue = await _harness.Send(new GetReviewQueue(1, 100));
        _harness.User.Is(DemoProgramme.Manager2, Roles.ChannelManager);
        var otherQueue = await _harness.Send(new GetReviewQueue(1, 100));

        var ids = queue.Items.Select(i => i.Registration.Id).ToList();
        ids.IndexOf(early.Id).Should().BeLessThan(ids.IndexOf(late.Id));
        queue.Items.Select(i => i.Registration.ReviewDueAt).Should().BeInAscendingOrder();
        otherQueue.Items.Select(i => i.Registration.Id).Should().NotContain([early.Id, late.Id]);
    }
}
