using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>
/// The newest-first lists (registrations, opportunities, referrals) read on from the last item seen (<c>?after=</c>):
/// what is created meanwhile neither repeats an item on the next page nor pushes one out of it.
/// </summary>
public sealed class ReadingOnTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public ReadingOnTests(CoSellApp app) => _app = app;


    /// <summary>Creates an item a second after the one before, so that newest first is the order of creation.</summary>
    private async Task<string> Created(HttpClient client, string path, object body)
    {
        _app.Time.Advance(TimeSpan.FromSeconds(1));
        var response = await client.PostAsJsonAsync(path, body);
        await Api.Expect(response, HttpStatusCode.Created);
        return Api.Id(await Api.Body(response));
    }

    /// <summary>
    /// Reads two items, creates two more, and reads on: the next page is what followed the second item before, where
    /// page 2 now repeats what page 1 showed.
    /// </summary>
    private static async Task ReadsOnWhereItLeftOff(HttpClient reader, string list, Func<int, Task<string>> create)
    {
        for (var i = 0; i < 5; i++)
        {
            await create(i);
        }

        var before = Api.Ids(await Api.Get(reader, $"{list}?pageSize=100"));
        var first = Api.Ids(await Api.Get(reader, $"{list}?pageSize=2"));
        first.Should().Equal(before.Take(2));
        var newer = new[] { await create(10), await create(11) };

        var next = Api.Ids(await Api.Get(reader, $"{list}?pageSize=2&after={first[^1]}"));
        var secondPage = Api.Ids(await Api.Get(reader, $"{list}?pageSize=2&page=2"));

        next.Should().Equal(before.Skip(2).Take(2), "reading on continues after the last item read");
        next.Should().NotIntersectWith(newer).And.NotIntersectWith(first);
        secondPage.Should().Equal(first, "page numbers count the list as it is now: the two new items pushed page 1 onto page 2");
    }

    [Fact]
    public async Task Registrations_ReadOnFromTheLastOneRead()
    {
        var northwind = await _app.ClientFor("partner.northwind");

        await ReadsOnWhereItLeftOff(northwind, "/api/v1/registrations",
            i => Created(northwind, "/api/v1/registrations", Api.NewRegistration(_app, $"Read On {i} Ltd", $"read-on-{i}.com")));
    }

    [Fact]
    public async Task Opportunities_ReadOnFromTheLastOneRead()
    {
        var rep = await _app.ClientFor("rep");

        await ReadsOnWhereItLeftOff(rep, "/api/v1/opportunities",
            i => Created(rep, "/api/v1/opportunities", NewOpportunity(_app, $"Read On Deal {i} Inc", $"read-on-deal-{i}.com")));
    }

    [Fact]
    public async Task Referrals_ReadOnFromTheLastOneRead()
    {
        var rep = await _app.ClientFor("rep");

        await ReadsOnWhereItLeftOff(rep, "/api/v1/referrals", i => Created(rep, "/api/v1/referrals", new
        {
            partnerId = Northwind,
            customer = new { name = $"Read On Lead {i} GmbH", domain = $"read-on-lead-{i}.de", country = "DE" },
            contact = new { name = "Lee Lead", email = $"lee@read-on-lead-{i}.de" },
            productLines = new[] { "Analytics" },
            message = "A lead.",
        }));
    }

    /// <summary>Reads a list to its end by its <c>next</c> cursors, a few items a page; fails rather than loop if a page repeats.</summary>
    internal static async Task<List<string>> WalkAsync(HttpClient reader, string list, Func<JsonObject, string> idOf, int pageSize = 2)
    {
        var seen = new List<string>();
        string? next = null;
        for (var pages = 0; pages < 500; pages++)
        {
            var page = await Api.Get(reader, $"{list}{(list.Contains('?', StringComparison.Ordinal) ? '&' : '?')}pageSize={pageSize}{(next is null ? string.Empty : $"&after={next}")}");
            var ids = page["items"]!.AsArray().Select(i => idOf(i!.AsObject())).ToList();
            if (ids.Count == 0)
            {
                page["next"].Should().BeNull("an empty page ends nowhere");
                return seen;
            }

            seen.AddRange(ids);
            next = page["next"]!.GetValue<string>();
        }

        throw new Xunit.Sdk.XunitException($"Reading {list} on by its cursors did not end: {seen.Count} items read.");
    }

    [Fact]
    public async Task Registrations_CreatedAtTheSameInstant_AreEachReadOnceByTheirCursors_InTheListsOrder()
    {
        var adatum = await _app.ClientFor("partner.adatum");
        for (var i = 0; i < 7; i++)
        {
            // No time passes between them: the id alone orders them.
            var response = await adatum.PostAsJsonAsync("/api/v1/registrations", Api.NewRegistration(_app, $"Same Instant {i} KK", $"same-instant-{i}.jp", "JP"));
            await Api.Expect(response, HttpStatusCode.Created);
        }

        var all = Api.Ids(await Api.Get(adatum, "/api/v1/registrations?pageSize=100"));

        var walked = await WalkAsync(adatum, "/api/v1/registrations", Api.Id);

        all.Should().HaveCountGreaterThanOrEqualTo(7);
        walked.Should().Equal(all, "each registration once, in the list's order");
    }

    [Fact]
    public async Task AnAfterTheCallersListNeverShowed_Is400_WhetherItExistsOrNot()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var theirs = await Created(fabrikam, "/api/v1/registrations", Api.NewRegistration(_app, "Not Yours To Read On AG", "not-yours-to-read-on.de"));

        foreach (var after in new[] { theirs, Guid.NewGuid().ToString() })
        {
            var problem = await Api.Problem(await northwind.GetAsync($"/api/v1/registrations?after={after}"), HttpStatusCode.BadRequest, "validation_failed");
            problem["errors"]!["after"].Should().NotBeNull();
        }

        (await Api.Problem(await northwind.GetAsync("/api/v1/opportunities?after=not-an-id"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["after"].Should().NotBeNull();
        (await Api.Problem(await northwind.GetAsync($"/api/v1/opportunities?after={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["after"]![0]!.GetValue<string>()
            .Should().Be("Give the list's next cursor, or the id of an opportunity you can still see.");
        (await Api.Problem(await northwind.GetAsync($"/api/v1/referrals?after={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["after"]![0]!.GetValue<string>()
            .Should().Be("Give the list's next cursor, or the id of a referral you can still see.");
    }

    [Fact]
    public async Task AnItemTheCallerSees_ReadsOn_WhicheverPartnerTheListIsNarrowedTo()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var admin = await _app.ClientFor("admin");
        var older = await Created(fabrikam, "/api/v1/registrations", Api.NewRegistration(_app, "Narrowed Older AG", "narrowed-older.de"));
        var read = await Created(northwind, "/api/v1/registrations", Api.NewRegistration(_app, "Narrowed Read Ltd", "narrowed-read.com"));

        var vendors = Api.Ids(await Api.Get(admin, $"/api/v1/registrations?partnerId={Fabrikam}&pageSize=100&after={read}"));
        var partners = await Api.Get(northwind, $"/api/v1/registrations?partnerId={Fabrikam}&after={read}");

        vendors.Should().Contain(older, "the list reads on from where Northwind's registration stands, among Fabrikam's");
        vendors.Should().NotContain(read);
        partners["items"]!.AsArray().Should().BeEmpty("a partner's list narrowed to another partner is empty, read on or not");
    }

    /// <summary>Every list that reads on from a cursor, with what each of its items is called in a refusal.</summary>
    private static readonly (string List, string Item)[] ListsThatReadOn =
    [
        ("/api/v1/registrations", "a registration"),
        ("/api/v1/reviews", "a registration"),
        ("/api/v1/opportunities", "an opportunity"),
        ("/api/v1/referrals", "a referral"),
        ("/api/v1/conflicts", "a case"),
    ];

    /// <summary>Something in every list that reads on, so that each hands out a cursor; the admin reads them all.</summary>
    private async Task<HttpClient> EveryListHoldsAnItem()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var adatum = await _app.ClientFor("partner.adatum");
        var rep = await _app.ClientFor("rep");
        var manager = await _app.ClientFor("manager");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var claimed = await Api.Create(northwind, Api.NewRegistration(_app, $"Cursor Owner {tag} KK", $"cursor-owner-{tag}.jp", "JP"));
        await Api.Post(northwind, $"/api/v1/registrations/{Api.Id(claimed)}/submit");
        var unspotted = await Api.Create(adatum, Api.NewRegistration(_app, $"Cursor Ownr {tag} Kabushiki Kaisha", null, "JP"));
        await Api.Post(adatum, $"/api/v1/registrations/{Api.Id(unspotted)}/submit");
        await Api.Post(manager, "/api/v1/conflicts", new { registrationId = Api.Id(unspotted), withClaims = new[] { Api.Id(claimed) } }, HttpStatusCode.Created);
        await OpenDirect(rep, _app, $"Cursor Deal {tag} Inc", $"cursor-deal-{tag}.com");
        await Created(rep, "/api/v1/referrals", new
        {
            partnerId = Northwind,
            customer = new { name = $"Cursor Lead {tag} GmbH", domain = $"cursor-lead-{tag}.de", country = "DE" },
            contact = new { name = "Lee Lead", email = $"lee@cursor-lead-{tag}.de" },
        });
        return await _app.ClientFor("admin");
    }

    [Fact]
    public async Task ACursorOfOneList_IsRefusedByEveryOtherList_AsACursorOfAnotherList_AndReadsOnInItsOwn()
    {
        var admin = await EveryListHoldsAnItem();
        var cursors = new Dictionary<string, string>();
        foreach (var (list, _) in ListsThatReadOn)
        {
            cursors[list] = (await Api.Get(admin, $"{list}?pageSize=1"))["next"]!.GetValue<string>();
        }

        using var scope = new FluentAssertions.Execution.AssertionScope();
        foreach (var (from, cursor) in cursors)
        {
            foreach (var (to, item) in ListsThatReadOn)
            {
                var response = await admin.GetAsync($"{to}?pageSize=1&after={cursor}");
                if (to == from)
                {
                    response.StatusCode.Should().Be(HttpStatusCode.OK, $"{from}'s cursor reads on in {to}");
                    continue;
                }

                var problem = await Api.Problem(response, HttpStatusCode.BadRequest, "cursor.of_another_list");
                var detail = problem["detail"]!.GetValue<string>();
                detail.Should().Contain("cursor of another list", $"{from}'s cursor given to {to}").And.Contain($"the id of {item} you can still see");
                problem["errors"]!["after"]![0]!.GetValue<string>().Should().Be(detail);
            }
        }
    }

    [Fact]
    public async Task ACursorOfTheReviewQueue_GivenToTheListOfRegistrations_SaysWhichListGaveIt()
    {
        var admin = await EveryListHoldsAnItem();
        var next = (await Api.Get(admin, "/api/v1/reviews?pageSize=1"))["next"]!.GetValue<string>();

        var problem = await Api.Problem(await admin.GetAsync($"/api/v1/registrations?after={next}"), HttpStatusCode.BadRequest, "cursor.of_another_list");

        problem["detail"]!.GetValue<string>().Should().Be(
            "This is a next cursor of another list, the review queue (GET /reviews), not of registrations (GET /registrations): a cursor reads on only in the list that gave it. "
            + "Give this list's next cursor or the id of a registration you can still see, or read this list from its first page.");
    }

    /// <summary>The cursor a list handed out before cursors named their list: the instant and id of the place, 32 characters.</summary>
    private static string UntaggedCursor(DateTimeOffset at, Guid id)
    {
        var bytes = new byte[24];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, at.UtcTicks);
        id.TryWriteBytes(bytes.AsSpan(8), bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    [Fact]
    public async Task ACursorHandedOutBeforeCursorsNamedTheirList_StillReadsOn()
    {
        var northwind = await _app.ClientFor("partner.northwind");
        for (var i = 0; i < 3; i++)
        {
            await Created(northwind, "/api/v1/registrations", Api.NewRegistration(_app, $"Untagged Cursor {i} Ltd", $"untagged-cursor-{i}.com"));
        }

        var first = await Api.Get(northwind, "/api/v1/registrations?pageSize=2");
        var last = first["items"]!.AsArray()[^1]!.AsObject();
        var untagged = UntaggedCursor(last["createdAt"]!.GetValue<DateTimeOffset>(), Guid.Parse(Api.Id(last)));
        untagged.Should().HaveLength(32);

        var readOn = await Api.Get(northwind, $"/api/v1/registrations?pageSize=2&after={untagged}");

        Api.Ids(readOn).Should().Equal(Api.Ids(await Api.Get(northwind, $"/api/v1/registrations?pageSize=2&after={first["next"]!.GetValue<string>()}")));
        Api.Ids(readOn).Should().NotBeEmpty().And.NotIntersectWith(Api.Ids(first));
    }

    /// <summary>
    /// An id written as 32 hex digits (a GUID's "N" form) reads as base64 too, and in upper case can name an instant a
    /// cursor could: it is an id, and one of no item the caller can see is refused as such, not read as a place.
    /// </summary>
    [Theory]
    [InlineData("A1B2C3D4E5F60718293A4B5C6D7E8F90")]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("C0FFEE00C0FFEE00C0FFEE00C0FFEE00")]
    public async Task AnIdOfHexDigitsAlone_IsReadAsAnId_NotAsACursor(string id)
    {
        var northwind = await _app.ClientFor("partner.northwind");

        var problem = await Api.Problem(await northwind.GetAsync($"/api/v1/registrations?after={id}"), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["after"]![0]!.GetValue<string>().Should().Be("Give the list's next cursor, or the id of a registration you can still see.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(255)]
    public async Task ACursorNamingNoListThereIs_IsRefusedAsAnyUnreadableAfterIs(byte tag)
    {
        var northwind = await _app.ClientFor("partner.northwind");
        var bytes = new byte[25];
        bytes[0] = tag;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), _app.Time.GetUtcNow().UtcTicks);
        var cursor = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        cursor.Should().HaveLength(34);

        var problem = await Api.Problem(await northwind.GetAsync($"/api/v1/registrations?after={cursor}"), HttpStatusCode.BadRequest, "validation_failed");

        problem["errors"]!["after"]![0]!.GetValue<string>().Should().Be("after is the list's next cursor, or the id (a GUID) of the last item read.");
    }
}
