using CoSell.Application.Registrations;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Application.Tests;

/// <summary>Free text is held to its limit as it is kept: without the white space around it, in validation and in the domain alike.</summary>
public sealed class FreeTextLimitTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public FreeTextLimitTests(Harness harness) => _harness = harness;

    private DateOnly Close => DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);

    [Fact]
    public async Task AnApprovalCommentPaddedWithWhiteSpace_IsKeptWithoutIt_WithinItsLimit()
    {
        _harness.User.Is(DemoProgramme.AdatumUser, Roles.Partner, DemoProgramme.Adatum);
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput("Padded Comment Inc", "padded-comment.com", "US", null), ["Security"], new MoneyInput(400_000m, "USD"), Close, null));
        var submitted = await _harness.Send(new SubmitRegistration(draft.Id));
        submitted.Status.Should().NotBe(RegistrationStatus.Approved);
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);

        var approved = await _harness.Send(new ApproveRegistration(submitted.Id, "   " + new string('c', DealRegistration.MaximumMessageLength) + "\n  "));

        approved.ReviewerMessage.Should().Be(new string('c', DealRegistration.MaximumMessageLength));
    }

    [Fact]
    public async Task NotesPaddedWithWhiteSpace_WithinTheirLimitOnceTrimmed_AreKeptTrimmed()
    {
        _harness.User.Is(DemoProgramme.AdatumUser, Roles.Partner, DemoProgramme.Adatum);

        var draft = await _harness.Send(new CreateRegistration(new CustomerInput("Padded Notes Inc", "padded-notes.com", "US", null), ["Security"], new MoneyInput(400_000m, "USD"), Close,
            "  " + new string('n', DealRegistration.MaximumNotesLength) + "  "));

        draft.Notes.Should().Be(new string('n', DealRegistration.MaximumNotesLength));
    }
}
