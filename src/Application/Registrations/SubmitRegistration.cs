using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Partners;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Registrations;

/// <summary>Submits a draft, or resubmits a returned registration, under the active rules.</summary>
[Authorize(Roles.Partner)]
public sealed record SubmitRegistration(Guid RegistrationId, IfMatch? ExpectedVersion = null) : IRegistrationCommand;

public sealed class SubmitRegistrationHandler(
    IRepository<DealRegistration> registrations,
    IRepository<Partner> partners,
    IActiveRules rules,
    SubmissionJudge judge,
    ConflictOpener conflicts,
    RegistrationView view,
    ICurrentUser user,
    TimeProvider time) : RegistrationCommandHandler<SubmitRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(SubmitRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // A registration that is not open for submission is refused as such before anything is read or judged.
        registration.RefuseUnlessSubmittable();

        // Judged on an active partner: a suspension committed meanwhile fails the submission rather than let a suspended
        // partner's claim be approved at once or pull other partners' registrations into a conflict case.
        var partner = await partners.ActivePartnerAsync(registration.PartnerId, "A suspended partner cannot submit registrations.", cancellationToken);
        var active = await rules.GetAsync(cancellationToken);
        var duplicate = await judge.JudgeAsync(registration, cancellationToken);
        var now = time.GetUtcNow();
        registration.Submit(partner, active, duplicate, user.UserId, now);

        // A likely duplicate of another party's live claim goes to conflict handling at once.
        if (duplicate.Verdict == DuplicateVerdict.Likely && RegistrationLifecycle.AwaitingReview.Contains(registration.Status))
        {
            await conflicts.OpenOrJoinAsync(registration, duplicate.Matches, user.UserId, now, cancellationToken);
        }
    }
}
