using System.Text;
using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using static CoSell.Application.Tests.AccountMapping.AccountMappingHandlerTests;

namespace CoSell.Application.Tests.AccountMapping;

/// <summary>
/// An export streams a batch of rows at a time, holding no snapshot while its reader is slow: a list replaced while it
/// streams (its rows deleted and written again under new ids) ends it as an error, never as a complete answer with
/// rows missing. On a database file in WAL mode, as the service runs, so that the replacement commits beside the
/// export's reads.
/// </summary>
public sealed class OverlapSnapshotTests : IDisposable
{
    private const int Accounts = 1_200;
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cosell-snapshot-{Guid.NewGuid():N}.db");
    private readonly TestUser _user = new();
    private readonly ServiceProvider _services;

    public OverlapSnapshotTests() =>
        _services = Services($"Data Source={_file}", "one-secret-for-the-snapshot-tests-0000001", _user);

    private static UploadAccountList Upload(string prefix, int count) =>
        new(AccountPopulation.Customers, AccountListFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(Csv(prefix, count))), null);

    private void AsNorthwind() => _user.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);

    private void AsManager() => _user.Is(DemoProgramme.Manager, Roles.ChannelManager);

    /// <summary>Both sides hold the same accounts in their customers and share everything.</summary>
    private async Task<Guid> SharedPartnershipAsync()
    {
        using (var scope = _services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
        }

        AsManager();
        await Send(_services, Upload("Shared", Accounts));
        AsNorthwind();
        await Send(_services, Upload("Shared", Accounts));
        var partnership = await Send(_services, new ProposePartnership(null));
        var optedIn = await Send(_services, new OptInPartnership(partnership.Id));
        var shared = await Send(_services, new ChangeSharing(partnership.Id, SharingLevel.All, SharingLevel.All, SharingLevel.All, optedIn.Version));
        AsManager();
        var bothIn = await Send(_services, new OptInPartnership(partnership.Id, shared.Version));
        await Send(_services, new ChangeSharing(partnership.Id, SharingLevel.All, SharingLevel.All, SharingLevel.All, bothIn.Version));
        return partnership.Id;
    }

    /// <summary>Streams the export as the endpoint does, in one request's scope; the partner replaces its list after the first row.</summary>
    private async Task<List<T>> ExportWithReplacementMeanwhileAsync<T>(IRequest<IAsyncEnumerable<T>> export)
    {
        var read = new List<T>();
        using var scope = _services.CreateScope();
        await foreach (var row in await scope.ServiceProvider.GetRequiredService<IMediator>().Send(export))
        {
            if (read.Count == 0)
            {
                var exporter = _user.UserId;
                AsNorthwind();
                await Send(_services, Upload("Replacement", Accounts));
                if (exporter == DemoProgramme.Manager.ToString())
                {
                    AsManager();
                }
            }

            read.Add(row);
        }

        return read;
    }

    [Fact]
    public async Task AnOverlapExport_OvertakenByAReplacementOfTheOtherSidesList_EndsAsAnError_NeverShort()
    {
        var partnership = await SharedPartnershipAsync();
        AsManager();

        var export = () => ExportWithReplacementMeanwhileAsync(new ExportOverlapAccounts(partnership, "customers", "customers"));

        await export.Should().ThrowAsync<ExportOvertakenException>("the rows after the first batch were taken away by the replacement");
        var after = await Send(_services, new GetOverlapAccounts(partnership, "customers", "customers", 1, 10));
        after.Total.Should().Be(0, "the next read sees the replacement, which shares no account");
    }

    [Fact]
    public async Task AWhiteSpaceExport_OvertakenByAReplacementOfItsOwnersList_EndsAsAnError_NeverShort()
    {
        var partnership = await SharedPartnershipAsync();
        AsManager();
        await Send(_services, Upload("Vendoronly", 30));

        var export = () => ExportWithReplacementMeanwhileAsync(new ExportWhiteSpace(partnership, "customers", "customers"));

        await export.Should().ThrowAsync<ExportOvertakenException>();
    }

    [Fact]
    public async Task AnExportOfOnesOwnList_OvertakenByItsReplacement_EndsAsAnError_NeverMixingTheTwo()
    {
        await SharedPartnershipAsync();
        AsNorthwind();

        var export = () => ExportWithReplacementMeanwhileAsync(new ExportAccountList(AccountPopulation.Customers));

        await export.Should().ThrowAsync<ExportOvertakenException>("the list it began with was replaced after its first batch");
        using var scope = _services.CreateScope();
        var again = await (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExportAccountList(AccountPopulation.Customers))).ToListAsync();
        again.Should().HaveCount(Accounts).And.OnlyContain(a => a.Name.StartsWith("Replacement", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnExportOfOnesOwnListNothingChangesUnder_HoldsEveryRowOnce_InItsOrder()
    {
        await SharedPartnershipAsync();
        AsNorthwind();
        using var scope = _services.CreateScope();

        var rows = await (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExportAccountList(AccountPopulation.Customers))).ToListAsync();

        rows.Select(r => r.Line).Should().Equal(Enumerable.Range(2, Accounts), "every row once, across the batches, as uploaded after the header");
    }

    [Fact]
    public async Task AnExportNoListChangesUnder_HoldsEveryRow()
    {
        var partnership = await SharedPartnershipAsync();
        AsManager();
        using var scope = _services.CreateScope();

        var rows = await (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ExportOverlapAccounts(partnership, "customers", "customers"))).ToListAsync();

        rows.Should().HaveCount(Accounts).And.OnlyContain(a => a.Name.StartsWith("Shared", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }
}
