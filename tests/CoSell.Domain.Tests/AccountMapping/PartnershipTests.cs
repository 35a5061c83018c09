using CoSell.Domain.AccountMapping;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.AccountMapping;

public sealed class PartnershipTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Partnership Active()
    {
        var p = Partnership.Propose(Guid.NewGuid(), Guid.NewGuid(), PartnershipSide.Partner, "p1", Now);
        p.OptIn(PartnershipSide.Vendor, "m1", Now);
        p.OptIn(PartnershipSide.Partner, "p1", Now);
        return p;
    }

    [Fact]
    public void Propose_OptsNobodyIn_AndOnlyBothOptInsMakeItActive()
    {
        var p = Partnership.Propose(Guid.NewGuid(), Guid.NewGuid(), PartnershipSide.Vendor, "m1", Now);
        p.Status.Should().Be(PartnershipStatus.AwaitingOptIn);
        p.OptIn(PartnershipSide.Vendor, "m1", Now);
        p.Status.Should().Be(PartnershipStatus.AwaitingOptIn);
        p.OptIn(PartnershipSide.Partner, "p1", Now.AddHours(1));
        p.Status.Should().Be(PartnershipStatus.Active);
        p.DomainEvents.Select(e => e.Type).Should().Equal("partnership.proposed", "partnership.opted_in", "partnership.opted_in");
        FluentActions.Invoking(() => p.OptIn(PartnershipSide.Partner, "p1", Now)).Should().Throw<DomainException>().Which.Code.Should().Be("partnership.already_opted_in");
    }

    [Fact]
    public void EitherSidesPause_HidesEveryCell_UntilThatSideResumes()
    {
        var p = Active();
        p.ChangeSharing(PartnershipSide.Vendor, SharingSettings.Of(SharingLevel.All, SharingLevel.All, SharingLevel.All), "m1", Now);
        p.ChangeSharing(PartnershipSide.Partner, SharingSettings.Of(SharingLevel.All, SharingLevel.All, SharingLevel.All), "p1", Now);
        p.Visibility(PartnershipSide.Vendor, AccountPopulation.Customers, AccountPopulation.Prospects).Should().Be(SharingLevel.All);

        p.Pause(PartnershipSide.Partner, "p1", Now);

        p.Status.Should().Be(PartnershipStatus.Paused);
        foreach (var side in Enum.GetValues<PartnershipSide>())
        {
            foreach (var ours in SharingSettings.Populations)
            {
                foreach (var theirs in SharingSettings.Populations)
                {
                    p.Visibility(side, ours, theirs).Should().Be(SharingLevel.Hidden);
                }
            }
        }

        FluentActions.Invoking(() => p.Resume(PartnershipSide.Vendor, "m1", Now)).Should().Throw<DomainException>().Which.Code.Should().Be("partnership.not_paused");
        FluentActions.Invoking(() => p.Pause(PartnershipSide.Partner, "p1", Now)).Should().Throw<DomainException>().Which.Code.Should().Be("partnership.already_paused");
        p.Resume(PartnershipSide.Partner, "p1", Now);
        p.Status.Should().Be(PartnershipStatus.Active);
    }

    [Fact]
    public void Pause_BeforeOptingIn_IsRefused()
    {
        var p = Partnership.Propose(Guid.NewGuid(), Guid.NewGuid(), PartnershipSide.Vendor, "m1", Now);
        FluentActions.Invoking(() => p.Pause(PartnershipSide.Partner, "p1", Now)).Should().Throw<DomainException>().Which.Code.Should().Be("partnership.not_opted_in");
    }

    [Fact]
    public void Visibility_IsTheLowerOfBothSidesLevels_ForEveryPairOfLevels()
    {
        var p = Active();
        foreach (var mine in Enum.GetValues<SharingLevel>())
        {
            foreach (var theirs in Enum.GetValues<SharingLevel>())
            {
                p.ChangeSharing(PartnershipSide.Vendor, new SharingSettings(mine, SharingLevel.Hidden, SharingLevel.All), "m1", Now);
                p.ChangeSharing(PartnershipSide.Partner, new SharingSettings(SharingLevel.All, theirs, SharingLevel.Hidden), "p1", Now);
                var expected = (SharingLevel)Math.Min((int)mine, (int)theirs);
                p.Visibility(PartnershipSide.Vendor, AccountPopulation.Customers, AccountPopulation.Prospects).Should().Be(expected);
                p.Visibility(PartnershipSide.Partner, AccountPopulation.Prospects, AccountPopulation.Customers).Should().Be(expected, "the intersection is the same from both sides");
                p.Visibility(PartnershipSide.Vendor, AccountPopulation.Prospects, AccountPopulation.Customers).Should().Be(SharingLevel.Hidden);
            }
        }
    }

    [Fact]
    public void SharingSettings_RejectUnknownLevels() =>
        FluentActions.Invoking(() => SharingSettings.Of((SharingLevel)9, SharingLevel.All, SharingLevel.All)).Should().Throw<DomainValidationException>().Which.Field.Should().Be("customers");

    [Fact]
    public void AccountList_RefusesTinyUploads_AndTooManyBadRows_AndKeepsItsState()
    {
        var list = AccountList.Open(Guid.NewGuid(), AccountList.VendorOwner, AccountPopulation.Customers);
        list.Replace(new UploadSummary(100, 100, 0, [], 0), UploadPolicy.Default, "m1", Now);
        var version = list.Version;

        FluentActions.Invoking(() => list.Replace(new UploadSummary(24, 24, 0, [], 0), UploadPolicy.Default, "m1", Now)).Should().Throw<UploadRefusedException>()
            .Which.Code.Should().Be("account_list.too_small");
        FluentActions.Invoking(() => list.Replace(new UploadSummary(200, 197, 0, [new RowProblem(5, "x")], 3), UploadPolicy.Default, "m1", Now)).Should().Throw<UploadRefusedException>()
            .Which.Code.Should().Be("account_list.too_many_bad_rows");
        list.RowCount.Should().Be(100);
        list.Version.Should().Be(version);

        list.Replace(new UploadSummary(200, 198, 4, [new RowProblem(5, "x"), new RowProblem(9, "y")], 2), UploadPolicy.Default, "m1", Now);
        list.RowCount.Should().Be(198);
        list.RejectedCount.Should().Be(2);
    }
}
