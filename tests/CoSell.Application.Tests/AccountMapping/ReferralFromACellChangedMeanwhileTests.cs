using System.Text;
using CoSell.Application.Abstractions;
using CoSell.Application.AccountMapping;
using CoSell.Application.Opportunities;
using CoSell.Application.Referrals;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.AccountMapping;

/// <summary>
/// A referral from an overlap cell rests on the partnership as read: a pause or a change of sharing by the other side
/// that commits between the referral's reads and its commit (<see cref="Harness.BeforeCommit"/>) refuses it, as one
/// committed before it does, and no referral is stored.
/// </summary>
public sealed class ReferralFromACellChangedMeanwhileTests : IAsyncLifetime, IDisposable
{
    private readonly Harness _harness = new();
    private Guid _partnership;

    public async Task InitializeAsync()
    {
        await _harness.InitializeAsync();
        AsNorthwind();
        var proposed = await _harness.Send(new ProposePartnership(null));
        var optedIn = await _harness.Send(new OptInPartnership(proposed.Id));
        var shared = await _harness.Send(new ChangeSharing(proposed.Id, SharingLevel.Overlaps, SharingLevel.Overlaps, SharingLevel.Overlaps, optedIn.Version));
        await _harness.Send(Upload());
        AsManager();
        var both = await _harness.Send(new OptInPartnership(proposed.Id, shared.Version));
        await _harness.Send(new ChangeSharing(proposed.Id, SharingLevel.Overlaps, SharingLevel.Overlaps, SharingLevel.Overlaps, both.Version));
        await _harness.Send(Upload());
        _partnership = proposed.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _harness.Dispose();

    private static UploadAccountList Upload() =>
        new(AccountPopulation.Customers, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(AccountMappingHandlerTests.Csv("Shared", 30))));

    private void AsNorthwind() => _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);

    private void AsManager() => _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);

    private ReferOverlap Referral(long? ifMatch) => new(_partnership, "customers", "customers", "Shared Account one", null,
        new ContactInput("Lena Ortiz", "lena@shared-1.com", null), null, ifMatch is { } version ? IfMatch.FromInt64(version) : null);

    /// <summary>Northwind changes its side of the partnership in a scope of its own, as a concurrent request would.</summary>
    private Task NorthwindMeanwhile(Action<Partnership, string, DateTimeOffset> change) => _harness.InScope(async sp =>
    {
        var stored = (await sp.GetRequiredService<IRepository<Partnership>>().GetByIdAsync(_partnership, CancellationToken.None))!;
        change(stored, DemoProgramme.NorthwindUser.ToString(), _harness.Time.GetUtcNow());
        await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        return stored.Version;
    });

    private async Task NoReferralIsStored()
    {
        AsManager();
        (await _harness.Send(new ListReferrals(null, null, 1, 100))).Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AReferralWhosePartnershipIsPausedMeanwhile_IsRefused_AsTheCellIsGone(bool sendsIfMatch)
    {
        AsManager();
        var read = await _harness.Send(new GetPartnership(_partnership));
        _harness.BeforeCommit = () => NorthwindMeanwhile((p, actor, at) => p.Pause(PartnershipSide.Partner, actor, at));

        var refer = () => _harness.Send(Referral(sendsIfMatch ? read.Version : null));

        await refer.Should().ThrowAsync<NotFoundException>("decided again, the referral meets a paused partnership, whose cells are gone");
        await NoReferralIsStored();
    }

    [Fact]
    public async Task AReferralWhoseCellIsHiddenMeanwhile_IsRefused_AndNothingIsStored()
    {
        AsManager();
        var read = await _harness.Send(new GetPartnership(_partnership));
        _harness.BeforeCommit = () => NorthwindMeanwhile((p, actor, at) =>
            p.ChangeSharing(PartnershipSide.Partner, SharingSettings.Of(SharingLevel.Hidden, SharingLevel.Hidden, SharingLevel.Hidden), actor, at));

        var refer = () => _harness.Send(Referral(read.Version));

        await refer.Should().ThrowAsync<NotFoundException>();
        await NoReferralIsStored();
    }

    [Fact]
    public async Task AReferralWhosePartnershipChangesMeanwhileWithoutHidingTheCell_IsMadeOnTheChangeAsItStands()
    {
        AsManager();
        _harness.BeforeCommit = () => NorthwindMeanwhile((p, actor, at) =>
            p.ChangeSharing(PartnershipSide.Partner, SharingSettings.Of(SharingLevel.All, SharingLevel.Overlaps, SharingLevel.Overlaps), actor, at));

        var referral = await _harness.Send(Referral(null));

        referral.Status.Should().Be(Domain.Referrals.ReferralStatus.Pending);
        (await _harness.Send(new ListReferrals(null, null, 1, 100))).Items.Should().ContainSingle(r => r.Id == referral.Id);
    }
}
