using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;

namespace CoSell.Domain.Tests.Users;

public sealed class UserIdsTests
{
    [Fact]
    public void NameBased_IsRfc9562Version5()
    {
        // RFC 9562, appendix A.4: the DNS namespace and "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        UserIds.NameBased(dns, "www.example.com").Should().Be(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }

    [Fact]
    public void AGuidSubject_IsTheId_InAnyCase_AndAnyOtherSubjectGivesTheSameIdEachTime()
    {
        var id = Guid.NewGuid();
        UserIds.FromSubject(id.ToString()).Should().Be(id);
        UserIds.FromSubject(id.ToString().ToUpperInvariant()).Should().Be(id);

        var auth0 = UserIds.FromSubject("auth0|5f7c8ec7c33c6c004bbafe82");
        auth0.Should().Be(UserIds.FromSubject("auth0|5f7c8ec7c33c6c004bbafe82"));
        auth0.Should().NotBe(UserIds.FromSubject("AUTH0|5f7c8ec7c33c6c004bbafe82"), "a subject's case is part of it");
        auth0.Should().NotBe(Guid.Empty);
    }

    [Fact]
    public void OnlyAHyphenatedGuid_NeitherEmptyNorVersion5_IsTakenAsTheId_SoNoSubjectCanStandForAnothersDerivedId()
    {
        var alice = UserIds.FromSubject("alice");
        alice.Version.Should().Be(5);

        foreach (var spelling in new[] { alice.ToString(), alice.ToString("N"), alice.ToString("B"), alice.ToString("P"), alice.ToString("X") })
        {
            UserIds.FromSubject(spelling).Should().NotBe(alice, $"'{spelling}' is a subject of its own");
        }

        UserIds.FromSubject(Guid.Empty.ToString()).Should().NotBe(Guid.Empty);
        var v4 = Guid.NewGuid();
        UserIds.FromSubject(v4.ToString("B")).Should().NotBe(v4, "only the hyphenated form is an id as it stands");
        UserIds.IsOwnIdShape(v4).Should().BeTrue();
        UserIds.IsOwnIdShape(alice).Should().BeFalse();
    }

    [Theory]
    [InlineData("00u1abcdEFGH2345ijk", true)]
    [InlineData("auth0|5f7c8ec7c33c6c004bbafe82", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("tab\tbed", false)]
    [InlineData("caf\u00e9", false)]
    public void ASubject_IsVisibleAscii(string subject, bool valid) => UserIds.IsSubject(subject).Should().Be(valid);

    [Fact]
    public void AUserRegisteredUnderASubject_KeepsIt_UnlessItIsTheId()
    {
        var at = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        var okta = User.Register("00u1abcdEFGH2345ijk", "okta.user", "Okta User", Roles.Rep, null, "admin", at);
        okta.Id.Should().Be(UserIds.FromSubject("00u1abcdEFGH2345ijk"));
        okta.Subject.Should().Be("00u1abcdEFGH2345ijk");

        var id = Guid.NewGuid();
        User.Register(id.ToString(), "guid.user", "Guid User", Roles.Rep, null, "admin", at).Subject.Should().BeNull();
        FluentActions.Invoking(() => User.Create(Guid.NewGuid(), "wrong.id", "Wrong", Roles.Rep, null, "00u1abcdEFGH2345ijk"))
            .Should().Throw<DomainException>().Which.Code.Should().Be("user.subject_mismatch");
    }
}
