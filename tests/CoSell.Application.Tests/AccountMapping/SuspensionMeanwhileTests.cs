using System.Text;
using CoSell.Application.Abstractions;
using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.AccountMapping;

/// <summary>
/// A partner's upload or change of its partnership rests on the partner being active up to its commit: a suspension
/// that commits while it is being made refuses it (409 <c>partner.changed</c>) and nothing it meant is stored. The
/// suspension lands between the real handler and its commit (<see cref="Harness.BeforeCommit"/>). Its own harness: these
/// tests suspend a demo partner, and reinstate it.
/// </summary>
public sealed class SuspensionMeanwhileTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public SuspensionMeanwhileTests(Harness harness) => _harness = harness;

    private static string Csv(string prefix, int count) =>
        "name,domain,country\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"{prefix} Account {string.Join(' ', i.ToString().Select(c => (c - '0').ToString()))} Zeta,{prefix.ToLowerInvariant()}-{i}.com,US\n"));

    private static UploadAccountList Upload(string prefix, int count) =>
        new(AccountPopulation.Prospects, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(Csv(prefix, count))));

    private void AsNorthwind() => _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);

    private Task SetStatusAsync(PartnerStatus status) => _harness.InScope(async sp =>
    {
        var stored = (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Northwind, CancellationToken.None))!;
        stored.Update(null, null, null, null, status, "admin", _harness.Time.GetUtcNow());
        await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        return stored.Version;
    });

    private async Task<DomainException> RefusedBySuspensionMeanwhile<T>(IRequest<T> command)
    {
        _harness.BeforeCommit = () => SetStatusAsync(PartnerStatus.Suspended);
        try
        {
            var send = () => _harness.Send(command);
            return (await send.Should().ThrowAsync<DomainException>()).Which;
        }
        finally
        {
            _harness.BeforeCommit = null;
            await SetStatusAsync(PartnerStatus.Active);
        }
    }

    [Fact]
    public async Task AnUploadWhosePartnerIsSuspendedMeanwhile_IsRefused_AndTheListStaysAsItWas()
    {
        AsNorthwind();
        var first = await _harness.Send(Upload("Kept", 30));

        var refused = await RefusedBySuspensionMeanwhile(Upload("Replacement", 40));

        refused.Code.Should().Be("partner.changed");
        AsNorthwind();
        var lists = await _harness.Send(new ListAccountLists());
        lists.Items.Should().ContainSingle(l => l.Population == AccountPopulation.Prospects).Which.Version.Should().Be(first.Version);
        var rows = await _harness.Send(new GetAccountListRows(AccountPopulation.Prospects, 1, 100));
        rows.Total.Should().Be(30);
        rows.Items.Should().OnlyContain(r => r.Name.StartsWith("Kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASharingChangeWhosePartnerIsSuspendedMeanwhile_IsRefused_AndTheSharingStaysAsItWas()
    {
        AsNorthwind();
        var partnership = await _harness.Send(new ProposePartnership(null));
        var optedIn = await _harness.Send(new OptInPartnership(partnership.Id));

        var refused = await RefusedBySuspensionMeanwhile(new ChangeSharing(partnership.Id, SharingLevel.All, SharingLevel.All, SharingLevel.All, optedIn.Version));

        refused.Code.Should().Be("partner.changed");
        AsNorthwind();
        var sharing = await _harness.Send(new GetSharing(partnership.Id));
        sharing.Version.Should().Be(optedIn.Version);
        sharing.Levels.Should().Be(new SharingSettingsDto(SharingLevel.Hidden, SharingLevel.Hidden, SharingLevel.Hidden));
    }
}
