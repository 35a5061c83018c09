using System.Net;
using System.Net.Http.Json;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Serilog.Events;

namespace CoSell.Web.Tests;

/// <summary>
/// A partner's name key is made by rules that change (folded letters beyond ASCII; joiners and marks left out). A partner
/// stored before a change is keyed again at the next start, so a name that reads like its own is refused from then on.
/// </summary>
public sealed class PartnerNameKeyStartTests
{
    [Fact]
    public async Task PartnersKeyedUnderEarlierRules_AreKeyedAgainAtTheNextStart_SoANameThatReadsLikeTheirsIs409()
    {
        var first = new CoSellApp();
        var admin = await first.ClientFor("admin");
        var marked = await Api.Post(admin, "/api/v1/partners", new { name = "Contoso\u200E Resellers", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        var cafe = await Api.Post(admin, "/api/v1/partners", new { name = "Café Olé Resellers", tier = "silver", territories = new[] { "FR" } }, HttpStatusCode.Created);

        using var restarted = first.Restart();
        // As a database of before today's rules holds them: the mark kept in the key, and only ASCII letters in capitals
        // (the store's upper() of the upgrade that made the keys).
        await restarted.ExecuteSqlAsync("""UPDATE partners SET NameKey = 'CONTOSO' || char(8206) || ' RESELLERS' WHERE Name = 'Contoso' || char(8206) || ' Resellers'""");
        await restarted.ExecuteSqlAsync("UPDATE partners SET NameKey = upper(Name) WHERE Name = 'Café Olé Resellers'");
        admin = await restarted.ClientFor("admin");

        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Contoso Resellers", tier = "gold", territories = new[] { "US" } }), HttpStatusCode.Conflict, "partner.name_taken");
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "CAFÉ OLÉ RESELLERS", tier = "gold", territories = new[] { "FR" } }), HttpStatusCode.Conflict, "partner.name_taken");
        (await Keys(restarted)).Should().Contain(["CONTOSO RESELLERS", "CAFÉ OLÉ RESELLERS"]);
        // The key is not shown: each partner reads, and changes under its ETag, as before.
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(marked)}", new { tier = "platinum" }, Api.Version(marked));
        (await Api.Get(admin, $"/api/v1/partners/{Api.Id(cafe)}"))["version"]!.GetValue<long>().Should().Be(Api.Version(cafe));
        restarted.Logs.AtOrAbove(LogEventLevel.Warning).Should().NotContain(line => line.Contains("read alike", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoPartnersWhoseNamesReadAlikeOnlyUnderTodaysRules_DoNotStopTheStart_TheFirstCreatedTakesTheKey_AndTheLogSaysToRenameOne()
    {
        var first = new CoSellApp();
        var admin = await first.ClientFor("admin");
        var older = await Api.Post(admin, "/api/v1/partners", new { name = "Wingtip Channel Group", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        var later = await Api.Post(admin, "/api/v1/partners", new { name = "Wingtip Channel Partners", tier = "silver", territories = new[] { "CA" } }, HttpStatusCode.Created);

        using var restarted = first.Restart();
        // Both stored when the key kept direction marks: two keys then, one now.
        await restarted.ExecuteSqlAsync($"""
            UPDATE partners SET Name = 'Wingtip' || char(8206) || ' Channel Group', NameKey = 'WINGTIP' || char(8206) || ' CHANNEL GROUP', CreatedAt = CreatedAt - 864000000000 WHERE Name = 'Wingtip Channel Group';
            UPDATE partners SET Name = 'Wingtip Channel Group' || char(8207), NameKey = 'WINGTIP CHANNEL GROUP' || char(8207) WHERE Name = 'Wingtip Channel Partners';
            """);
        admin = await restarted.ClientFor("admin");

        await Api.Expect(await Api.Ready(admin), HttpStatusCode.OK);
        var warning = restarted.Logs.AtOrAbove(LogEventLevel.Warning).Should().ContainSingle(line => line.Contains("read alike", StringComparison.Ordinal)).Which;
        warning.Should().Contain(Api.Id(older)).And.Contain(Api.Id(later)).And.Contain("rename one of them");
        (await Keys(restarted)).Should().Contain(["WINGTIP CHANNEL GROUP", "WINGTIP CHANNEL GROUP\u200F"], "the later partner keeps the key it had");
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Wingtip Channel Group", tier = "gold", territories = new[] { "US" } }), HttpStatusCode.Conflict, "partner.name_taken");

        // Both still read and change; renaming the later one ends it.
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(older)}", new { tier = "platinum" }, Api.Version(older));
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(later)}", new { tier = "gold" }, Api.Version(later));
        var renamed = await Api.Get(admin, $"/api/v1/partners/{Api.Id(later)}");
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(later)}", new { name = "Wingtip Channel North" }, Api.Version(renamed));
        (await Keys(restarted)).Should().Contain(["WINGTIP CHANNEL GROUP", "WINGTIP CHANNEL NORTH"]);
    }

    /// <summary>
    /// A name stored before letter variants were folded keeps its spelling (full-width letters, a letter and its accent
    /// apart), and is keyed as a name given now is: a name that reads like it is refused.
    /// </summary>
    [Fact]
    public async Task ANameStoredInLetterVariantsOrDecomposed_IsKeyedAsItReads()
    {
        var first = new CoSellApp();
        var admin = await first.ClientFor("admin");
        await Api.Post(admin, "/api/v1/partners", new { name = "Fullwidth Resellers", tier = "gold", territories = new[] { "US" } }, HttpStatusCode.Created);
        await Api.Post(admin, "/api/v1/partners", new { name = "Decomposed Resellers", tier = "gold", territories = new[] { "FR" } }, HttpStatusCode.Created);

        using var restarted = first.Restart();
        // As an upgrade of before the folding stored them: the spelling as given, the key its capitals.
        await restarted.ExecuteSqlAsync("""
            UPDATE partners SET Name = char(65318) || 'ullwidth Resellers', NameKey = char(65318) || 'ULLWIDTH RESELLERS' WHERE Name = 'Fullwidth Resellers';
            UPDATE partners SET Name = 'Decompose' || char(769) || 'd Resellers', NameKey = 'DECOMPOSE' || char(769) || 'D RESELLERS' WHERE Name = 'Decomposed Resellers';
            """);
        admin = await restarted.ClientFor("admin");

        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Fullwidth Resellers", tier = "gold", territories = new[] { "US" } }), HttpStatusCode.Conflict, "partner.name_taken");
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Decomposéd Resellers", tier = "gold", territories = new[] { "FR" } }), HttpStatusCode.Conflict, "partner.name_taken");
        (await Keys(restarted)).Should().Contain(["FULLWIDTH RESELLERS", "DECOMPOSÉD RESELLERS"]);
    }

    private static async Task<List<string>> Keys(CoSellApp app)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT NameKey FROM partners";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
