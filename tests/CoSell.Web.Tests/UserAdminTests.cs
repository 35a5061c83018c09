using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using CoSell.Web.Tests.Infrastructure;
using static CoSell.Web.Tests.Infrastructure.CoSelling;

namespace CoSell.Web.Tests;

/// <summary>The users an admin adds, renames and (de)activates over HTTP, and what CoSell assigns them.</summary>
public sealed class UserAdminTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public UserAdminTests(CoSellApp app) => _app = app;

    [Fact]
    public async Task AnAdminAddsARep_UnderItsIdentityProvidersId_WhoIsThenAssignedADeal_AndListed()
    {
        var admin = await _app.ClientFor("admin");
        var id = Guid.NewGuid();
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { id, userName = "jordan.rep", displayName = "Jordan Rep", role = "rep" });
        await Api.Expect(created, HttpStatusCode.Created);
        created.Headers.Location!.ToString().Should().Be($"/api/v1/users/{id}");
        created.Headers.ETag!.Tag.Should().Be("\"1\"");

        var rep = await _app.ClientFor("rep");
        var opportunity = await OpenDirect(rep, _app, "Handed To Jordan Ltd", "handed-to-jordan.com");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(opportunity)}", new { ownerId = id }, Api.Version(opportunity));
        var jordan = Tokens.ClientWith(_app, _app.TokenForUnseeded(id, "rep"));
        (await Api.Get(jordan, $"/api/v1/opportunities/{Api.Id(opportunity)}"))["ownerId"]!.GetValue<string>().Should().Be(id.ToString());

        var reps = await Api.Get(admin, "/api/v1/users?role=rep&pageSize=100");
        reps["items"]!.AsArray().Should().Contain(u => u!["id"]!.GetValue<string>() == id.ToString() && u["displayName"]!.GetValue<string>() == "Jordan Rep");
        reps["items"]!.AsArray().Should().OnlyContain(u => u!["role"]!.GetValue<string>() == "rep");
        (await Api.Get(admin, $"/api/v1/users?partnerId={Northwind}"))["items"]!.AsArray().Should().ContainSingle()
            .Which!["userName"]!.GetValue<string>().Should().Be("partner.northwind");
    }

    [Fact]
    public async Task AUserWhoseSubjectIsNoGuid_IsAddedUnderIt_AndActsAndIsAssignedUnderTheIdItGives()
    {
        var admin = await _app.ClientFor("admin");
        const string subject = "auth0|5f7c8ec7c33c6c004bbafe82";
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { subject, userName = "quinn.rep", displayName = "Quinn Rep", role = "rep" });
        await Api.Expect(created, HttpStatusCode.Created);
        var body = await Api.Body(created);
        var id = Api.Id(body);
        id.Should().Be(Domain.Users.UserIds.FromSubject(subject).ToString()).And.NotBe(Guid.Empty.ToString());
        body["subject"]!.GetValue<string>().Should().Be(subject);
        (await Api.Get(admin, $"/api/v1/users/{id}"))["subject"]!.GetValue<string>().Should().Be(subject);
        var riley = await Api.Get(admin, $"/api/v1/users/{Rep}");
        riley["subject"]!.GetValue<string>().Should().Be(Rep, "a user added by a GUID subject has it as its id");
        riley["version"]!.GetValue<long>().Should().Be(1, "the demo users are added as an admin adds users");
        (await _app.Db(db => db.AuditEntries.CountAsync(a => a.AggregateId == Guid.Parse(Rep) && a.Type == "user.created"))).Should().Be(1);

        // Signed in with that subject, the user is the user the admin added: what it opens it owns, under that id.
        var quinn = Tokens.ClientWith(_app, _app.TokenForSubject(subject, "rep"));
        var own = await OpenDirect(quinn, _app, "Subject Mapping Ltd", "subject-mapping.com");
        own["ownerId"]!.GetValue<string>().Should().Be(id);
        var timeline = await Api.Get(quinn, $"/api/v1/opportunities/{Api.Id(own)}/timeline");
        timeline["items"]!.AsArray().Should().Contain(e => e!["actor"]!.GetValue<string>() == id);

        // And another rep can hand it a deal, which it then works.
        var rep = await _app.ClientFor("rep");
        var handed = await OpenDirect(rep, _app, "Handed By Subject GmbH", "handed-by-subject.de");
        await Api.PatchOk(rep, $"/api/v1/opportunities/{Api.Id(handed)}", new { ownerId = id }, Api.Version(handed));
        (await Api.Get(quinn, $"/api/v1/opportunities/{Api.Id(handed)}"))["ownerId"]!.GetValue<string>().Should().Be(id);

        // A subject is added once, by one of the two ways of naming it, and as an identity provider issues it.
        var before = (await Api.Get(admin, "/api/v1/users"))["total"]!.GetValue<int>();
        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", new { subject, userName = "quinn.again", displayName = "Quinn", role = "rep" }), HttpStatusCode.Conflict, "user.exists");
        (await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", new { id, userName = "quinn.by.id", displayName = "Quinn", role = "rep" }), HttpStatusCode.BadRequest, "validation_failed"))
            ["errors"]!["id"].Should().NotBeNull("an id derived from a subject is not given as an id");
        async Task Refused(object request, string field) =>
            (await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", request), HttpStatusCode.BadRequest, "validation_failed"))["errors"]![field].Should().NotBeNull();
        await Refused(new { id = Guid.NewGuid(), subject = "okta|both", userName = "both.ways", displayName = "Both", role = "rep" }, "subject");
        await Refused(new { userName = "neither.way", displayName = "Neither", role = "rep" }, "id");
        await Refused(new { subject = "has space", userName = "spaced.subject", displayName = "Spaced", role = "rep" }, "subject");
        await Refused(new { subject = "", userName = "empty.subject", displayName = "Empty", role = "rep" }, "subject");
        await Refused(new { subject = new string('x', 256), userName = "long.subject", displayName = "Long", role = "rep" }, "subject");
        await Refused(new { subject = "caf\u00e9", userName = "accented.subject", displayName = "Accented", role = "rep" }, "subject");
        var derived = Domain.Users.UserIds.NameBased(Domain.Users.UserIds.SubjectNamespace, "somebody else");
        await Refused(new { id = derived, userName = "derived.id", displayName = "Derived", role = "rep" }, "id");
        (await Api.Get(admin, "/api/v1/users"))["total"]!.GetValue<int>().Should().Be(before);

        // A subject written as an id CoSell derives, or as the empty GUID, is a subject like any other: it gives its own id.
        foreach (var (odd, name) in new[] { (derived.ToString(), "looks.derived"), (Guid.Empty.ToString(), "empty.guid"), ($"{{{Rep}}}", "braced.rep") })
        {
            var added = await Api.Body(await admin.PostAsJsonAsync("/api/v1/users", new { subject = odd, userName = name, displayName = "Odd Subject", role = "rep" }));
            added["subject"]!.GetValue<string>().Should().Be(odd, "a subject is kept as issued");
            Api.Id(added).Should().Be(Domain.Users.UserIds.NameBased(Domain.Users.UserIds.SubjectNamespace, odd).ToString())
                .And.NotBe(derived.ToString()).And.NotBe(Guid.Empty.ToString()).And.NotBe(Rep);
        }
    }

    [Fact]
    public async Task ASubjectAddedTwice_IsSaidBackByItsFirstFortyCharacters_AsAnyRefusedValueIs()
    {
        var admin = await _app.ClientFor("admin");
        var subject = "auth0|" + new string('x', 249);
        await Api.Post(admin, "/api/v1/users", new { subject, userName = "long.subject.once", displayName = "Long", role = "rep" }, HttpStatusCode.Created);

        var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", new { subject, userName = "long.subject.twice", displayName = "Long", role = "rep" }),
            HttpStatusCode.Conflict, "user.exists");

        var detail = problem["detail"]!.GetValue<string>();
        detail.Should().Contain(subject[..40]).And.NotContain(subject[..41], "before, the whole subject came back, 255 characters of it");
    }

    [Fact]
    public async Task ASubjectThatIsAGuidInCapitals_IsTheSameUser_AndANonGuidSubjectIsFollowedOnTheHub()
    {
        var shouting = Tokens.ClientWith(_app, _app.TokenForSubject(Rep.ToUpperInvariant(), "rep"));
        (await OpenDirect(shouting, _app, "Capital Letters Ltd", "capital-letters.com"))["ownerId"]!.GetValue<string>().Should().Be(Rep);

        const string subject = "okta|00u1hubwatcher";
        var admin = await _app.ClientFor("admin");
        var id = Api.Id(await Api.Post(admin, "/api/v1/users", new { subject, userName = "hub.watcher", displayName = "Hub Watcher", role = "rep" }, HttpStatusCode.Created));
        var token = _app.TokenForSubject(subject, "rep");
        var watcher = Tokens.ClientWith(_app, token);
        var own = await OpenDirect(watcher, _app, "Watched By Subject Ltd", "watched-by-subject.com");

        // Negotiated over long polling (the connection is then held to its owner) and over WebSockets: the owner may watch its deal.
        foreach (var transport in new[] { Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling, Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets })
        {
            await using var hub = await HubClient.ConnectAsync(_app, token, transport);
            await hub.WatchOpportunity(Api.Id(own));
            var latest = await Api.Get(watcher, $"/api/v1/opportunities/{Api.Id(own)}");
            await Api.PatchOk(watcher, $"/api/v1/opportunities/{Api.Id(own)}", new { nextStep = $"Call them ({transport})" }, Api.Version(latest));
            (await hub.WaitFor<Application.Abstractions.OpportunityChangedMessage>(m => m.OpportunityId == Guid.Parse(Api.Id(own)) && m.Version == Api.Version(latest) + 1))
                .Should().NotBeNull();
        }

        id.Should().Be(own["ownerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABadOrRepeatedUser_IsRefused_AndNothingIsAdded()
    {
        var admin = await _app.ClientFor("admin");
        async Task Refused(object body, HttpStatusCode status, string code, string? field = null)
        {
            var problem = await Api.Problem(await admin.PostAsJsonAsync("/api/v1/users", body), status, code);
            if (field is not null)
            {
                problem["errors"]![field].Should().NotBeNull();
            }
        }

        var before = (await Api.Get(admin, "/api/v1/users"))["total"]!.GetValue<int>();
        await Refused(new { id = Guid.NewGuid(), userName = "pat.partner", displayName = "Pat", role = "partner" }, HttpStatusCode.BadRequest, "validation_failed", "partnerId");
        await Refused(new { id = Guid.NewGuid(), userName = "vic.vendor", displayName = "Vic", role = "rep", partnerId = Northwind }, HttpStatusCode.BadRequest, "validation_failed", "partnerId");
        await Refused(new { id = Guid.NewGuid(), userName = "nobody.partner", displayName = "Nobody", role = "partner", partnerId = Guid.NewGuid() }, HttpStatusCode.BadRequest, "validation_failed", "partnerId");
        await Refused(new { id = Guid.NewGuid(), userName = "sam.super", displayName = "Sam", role = "superuser" }, HttpStatusCode.BadRequest, "validation_failed", "role");
        await Refused(new { id = Guid.Empty, userName = "zero.id", displayName = "Zero", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "id");
        await Refused(new { id = Guid.NewGuid(), userName = "two words", displayName = "Two", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "userName");
        await Refused(new { id = Guid.NewGuid(), userName = "rtl.name", displayName = "\u202eevil", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "displayName");
        await Refused(new { id = Guid.NewGuid(), userName = "rep\u200b", displayName = "Invisible", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "userName");
        await Refused(new { id = Guid.NewGuid(), userName = "\u0430dmin", displayName = "Lookalike", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "userName");
        await Refused(new { id = Guid.NewGuid(), userName = "two.lines", displayName = "Riley\u2028Rep", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "displayName");
        await Refused(new { id = Guid.NewGuid(), userName = "tab.name", displayName = "Riley\tRep", role = "rep" }, HttpStatusCode.BadRequest, "validation_failed", "displayName");
        await Refused(new { id = Guid.NewGuid(), userName = "rep", displayName = "Another Riley", role = "rep" }, HttpStatusCode.Conflict, "user.name_taken");
        await Refused(new { id = Guid.NewGuid(), userName = "REP", displayName = "Another Riley", role = "rep" }, HttpStatusCode.Conflict, "user.name_taken");
        await Refused(new { id = Guid.Parse(Rep), userName = "riley.again", displayName = "Riley", role = "rep" }, HttpStatusCode.Conflict, "user.exists");
        (await Api.Get(admin, "/api/v1/users"))["total"]!.GetValue<int>().Should().Be(before);

        foreach (var name in new[] { "manager", "rep", "arbiter", "partner.northwind" })
        {
            var client = await _app.ClientFor(name);
            await Api.Problem(await client.PostAsJsonAsync("/api/v1/users", new { id = Guid.NewGuid(), userName = "x." + name, displayName = "X", role = "rep" }), HttpStatusCode.Forbidden, "forbidden");
            await Api.Problem(await client.GetAsync("/api/v1/users"), HttpStatusCode.Forbidden, "forbidden");
            await Api.Problem(await client.GetAsync($"/api/v1/users/{Rep}"), HttpStatusCode.Forbidden, "forbidden");
        }

        await Api.Problem(await admin.GetAsync($"/api/v1/users/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");
        await Api.Problem(await admin.GetAsync("/api/v1/users?role=superuser"), HttpStatusCode.BadRequest, "validation_failed");
        (await Api.Problem(await admin.GetAsync("/api/v1/users?isActive=maybe"), HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["isActive"].Should().NotBeNull();
    }

    [Fact]
    public async Task AUserStillAnsweringForSomething_IsNotDeactivated_AndADeactivatedManagerIsAssignedNoPartner()
    {
        var admin = await _app.ClientFor("admin");
        var manager = await Api.Get(admin, "/api/v1/users/00000000-0000-0000-0000-0000000000c1");
        var refused = await Api.Problem(await Api.Patch(admin, "/api/v1/users/00000000-0000-0000-0000-0000000000c1", new { isActive = false }, Api.Version(manager)), HttpStatusCode.Conflict, "user.still_assigned");
        refused["detail"]!.GetValue<string>().Should().Contain("partners it manages");
        var self = await Api.Get(admin, "/api/v1/users/00000000-0000-0000-0000-0000000000a1");
        await Api.Problem(await Api.Patch(admin, "/api/v1/users/00000000-0000-0000-0000-0000000000a1", new { isActive = false }, Api.Version(self)), HttpStatusCode.Conflict, "user.self");

        // A channel manager owning an open deal (the joint one of a co-sell decision for its partner) answers for it too,
        // once the partner itself is handed to another manager.
        var owner = Guid.NewGuid();
        await Api.Post(admin, "/api/v1/users", new { id = owner, userName = "owning.manager", displayName = "Owning Manager", role = "channel_manager" }, HttpStatusCode.Created);
        var partner = await Api.Post(admin, "/api/v1/partners", new { name = "Owned Deals Partner", tier = "gold", territories = new[] { "US" }, channelManagerId = owner }, HttpStatusCode.Created);
        var seller = Tokens.ClientWith(_app, _app.TokenForUnseeded(Guid.NewGuid(), "partner", Guid.Parse(Api.Id(partner))));
        var ours = await Api.Create(seller, Api.NewRegistration(_app, "Owned By A Manager Ltd", "owned-by-manager.com"));
        await Api.Post(seller, $"/api/v1/registrations/{Api.Id(ours)}/submit");
        var fabrikam = await _app.ClientFor("partner.fabrikam");
        var theirs = await Api.Create(fabrikam, Api.NewRegistration(_app, "Owned By A Manager Ltd", "owned-by-manager.com"));
        (await Api.Post(fabrikam, $"/api/v1/registrations/{Api.Id(theirs)}/submit"))["status"]!.GetValue<string>().Should().Be("inConflict");
        var arbiter = await _app.ClientFor("arbiter");
        var conflict = (await Api.Get(arbiter, "/api/v1/conflicts?status=open&pageSize=100"))["items"]!.AsArray()
            .Single(c => c!["claims"]!.AsArray().Any(cl => cl!["claimId"]!.GetValue<string>() == Api.Id(theirs)))!["id"]!.GetValue<string>();
        await Api.Post(arbiter, $"/api/v1/conflicts/{conflict}/decision", new { decision = "coSell", awardedClaimId = Api.Id(ours), rationale = "Both; the partner leads." });
        await Api.PatchOk(admin, $"/api/v1/partners/{Api.Id(partner)}", new { channelManagerId = "00000000-0000-0000-0000-0000000000c1" }, Api.Version(await Api.Get(admin, $"/api/v1/partners/{Api.Id(partner)}")));
        var owning = await Api.Get(admin, $"/api/v1/users/{owner}");
        (await Api.Problem(await Api.Patch(admin, $"/api/v1/users/{owner}", new { isActive = false }, Api.Version(owning)), HttpStatusCode.Conflict, "user.still_assigned"))["detail"]!
            .GetValue<string>().Should().Contain("open opportunities it owns: 1");

        var id = Guid.NewGuid();
        var fresh = await Api.Post(admin, "/api/v1/users", new { id, userName = "casey.manager", displayName = "Casey Manager", role = "channel_manager" }, HttpStatusCode.Created);
        var path = $"/api/v1/users/{id}";
        await Api.Problem(await Api.Patch(admin, path, new { isActive = false }, null), HttpStatusCode.PreconditionRequired);
        var inactive = await Api.PatchOk(admin, path, new { isActive = false, displayName = "Casey (left)" }, Api.Version(fresh));
        inactive["isActive"]!.GetValue<bool>().Should().BeFalse();
        inactive["displayName"]!.GetValue<string>().Should().Be("Casey (left)");
        await Api.Problem(await Api.Patch(admin, path, new { isActive = true }, Api.Version(fresh)), HttpStatusCode.PreconditionFailed);

        await Api.Problem(await admin.PostAsJsonAsync("/api/v1/partners", new { name = "Casey's Channel", tier = "silver", territories = new[] { "FR" }, channelManagerId = id }), HttpStatusCode.BadRequest, "validation_failed");
        await Api.Problem(await _app.CreateClient().PostAsJsonAsync("/api/v1/dev/token", new { user = "casey.manager" }), HttpStatusCode.BadRequest, "dev.user_inactive");
        await Api.PatchOk(admin, path, new { isActive = true }, Api.Version(inactive));
        await Api.Expect(await _app.CreateClient().PostAsJsonAsync("/api/v1/dev/token", new { user = "casey.manager" }), HttpStatusCode.OK);
        await Api.Post(admin, "/api/v1/partners", new { name = "Casey's Channel", tier = "silver", territories = new[] { "FR" }, channelManagerId = id }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ADeactivatedRepWhoseTokenStillWorks_OpensNoDealOfItsOwn()
    {
        var admin = await _app.ClientFor("admin");
        var id = Guid.NewGuid();
        var created = await Api.Post(admin, "/api/v1/users", new { id, userName = "leaving.rep", displayName = "Leaving Rep", role = "rep" }, HttpStatusCode.Created);
        var leaving = Tokens.ClientWith(_app, _app.TokenForUnseeded(id, "rep"));
        await Api.Expect(await leaving.PostAsJsonAsync("/api/v1/opportunities", NewOpportunity(_app, "Before Leaving Ltd", "before-leaving.com")), HttpStatusCode.Created);
        var owned = (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray().Single(o => o!["customer"]!["name"]!.GetValue<string>() == "Before Leaving Ltd")!;
        await Api.PatchOk(admin, $"/api/v1/opportunities/{owned["id"]}", new { ownerId = Rep }, owned["version"]!.GetValue<long>());
        await Api.PatchOk(admin, $"/api/v1/users/{id}", new { isActive = false }, Api.Version(created));

        await Api.Problem(await leaving.PostAsJsonAsync("/api/v1/opportunities", NewOpportunity(_app, "After Leaving Ltd", "after-leaving.com")), HttpStatusCode.Forbidden, "forbidden");
        // Naming itself the owner is the same deal of its own: refused for the caller (403), not as another's id (400).
        var namingItself = System.Text.Json.JsonSerializer.SerializeToNode(NewOpportunity(_app, "After Leaving Ltd", "after-leaving.com"))!.AsObject();
        namingItself["ownerId"] = id.ToString();
        var refused = await Api.Problem(await leaving.PostAsJsonAsync("/api/v1/opportunities", namingItself), HttpStatusCode.Forbidden, "forbidden");
        refused["detail"]!.GetValue<string>().Should().Be("Your user is deactivated: it is given no new deals.");
        (await Api.Get(admin, "/api/v1/opportunities?pageSize=100"))["items"]!.AsArray().Should().NotContain(o => o!["customer"]!["name"]!.GetValue<string>() == "After Leaving Ltd");
    }
}
