using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;

namespace CoSell.Application.Opportunities;

/// <summary>
/// Changes an opportunity's stage and fields (If-Match required); fields left out keep their value, an empty
/// next step clears it. Each change is its own timeline entry; the stage moves last, so one patch can set the
/// final amount and close the deal. The owner and the close (won or lost, which decides credit) are the vendor's.
/// An arbiter reads opportunities and works none.
/// </summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record UpdateOpportunity(
    Guid OpportunityId,
    OpportunityStage? Stage,
    MoneyInput? Amount,
    DateOnly? CloseDate,
    string? NextStep,
    Guid? OwnerId,
    ContactInput? Contact,
    IfMatch? ExpectedVersion) : IOpportunityCommand
{
    public bool TouchesVendorOnlyFields => OwnerId is not null || Stage is { } stage && !OpportunityStages.IsOpen(stage);
}

public sealed class UpdateOpportunityValidator : AbstractValidator<UpdateOpportunity>
{
    public UpdateOpportunityValidator(RepCheck reps, ICurrentUser user)
    {
        RuleFor(r => r.Stage).IsInEnum();
        RuleFor(r => r.Amount).SetValidator(new MoneyInputValidator()!).When(r => r.Amount is not null);
        // The close date is the opportunity's to judge, from the day it was opened (400 opportunity.close_date_invalid).
        RuleFor(r => r.NextStep).FreeText(Opportunity.MaximumNextStepLength);
        RuleFor(r => r.Contact).SetValidator(new ContactInputValidator()!).When(r => r.Contact is not null);
        // A partner naming an owner is refused (403) by the authoriser; it never learns whether the id is a rep.
        RuleFor(r => r.OwnerId).MustAsync(reps.IsRepAsync).When(_ => user.IsVendor()).WithMessage("No active rep has this id.");
    }
}

public sealed class UpdateOpportunityHandler(
    IRepository<Opportunity> opportunities,
    IRepository<DealRegistration> registrations,
    OpportunityView view,
    ICurrentUser user,
    TimeProvider time,
    IOpenConflictFinder conflicts,
    IRepository<ChannelConflict> cases,
    ClaimsLeavingCases leaving)
    : OpportunityCommandHandler<UpdateOpportunity>(opportunities, view)
{
    protected override bool RequiresIfMatch => true;

    protected override async Task ApplyAsync(UpdateOpportunity command, Opportunity opportunity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = user.UserId;
        // Won while a case decides the customer, the deal would stand whatever the case awards: like its registration, it
        // is closed as won once the case is decided. The registration it is the deal of is won with it.
        var won = command.Stage == OpportunityStage.ClosedWon && opportunity.IsOpen ? await RegistrationWonWithAsync(opportunity, cancellationToken) : null;

        if (command.Contact is { } contact)
        {
            opportunity.UpdateContact(CustomerContact.Create(contact.Name, contact.Email, contact.Phone), actor, now);
        }

        if (command.Amount is { } amount)
        {
            opportunity.ChangeAmount(Money.Of(amount.Amount!.Value, amount.Currency), actor, now);
        }

        if (command.CloseDate is { } closeDate)
        {
            opportunity.Reschedule(closeDate, actor, now);
        }

        if (command.NextStep is { } nextStep)
        {
            opportunity.PlanNextStep(nextStep, actor, now);
        }

        if (command.OwnerId is { } owner && owner != opportunity.OwnerId)
        {
            opportunity.AssignOwner(owner, actor, now);

            // A direct opportunity bound in a case: its new owner answers for the claim (statements, pushes, a reopening).
            foreach (var caseId in await conflicts.FindAllBindingAsync(opportunity.Id, cancellationToken))
            {
                if (await cases.GetByIdAsync(caseId, cancellationToken) is { } bound)
                {
                    bound.PassClaimTo(opportunity.Id, owner.ToString(), actor, now);
                }
            }
        }

        if (command.Stage is { } stage && stage != opportunity.Stage)
        {
            opportunity.MoveTo(stage, actor, now);
            if (won is { Status: RegistrationStatus.Approved } registration)
            {
                // The deal is won either way; a registration whose protection had ended took no part: it expired.
                if (!registration.ExpireIfProtectionOver(now))
                {
                    registration.Close(CloseOutcome.Won, null, "Its opportunity was closed as won.", actor, now);
                }
            }

            if (!opportunity.IsOpen)
            {
                // A direct opportunity closed while a case binds it is no claim any more: the case's timeline says so.
                await leaving.RecordAsync(opportunity.Id, $"closed as {stage}", actor, now, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Before a deal is closed as won: refuses while a case decides its customer (one binding the deal itself, a direct
    /// opportunity; the registration it is the deal of; or the reopened case whose co-sell decision opened it), and makes
    /// the close commit only while the decided cases behind it are as read, so a reopening that commits first refuses it.
    /// Answers the registration the deal is of, if any: the one it was made from, or the one its co-sell decision awarded.
    /// </summary>
    private async Task<DealRegistration?> RegistrationWonWithAsync(Opportunity opportunity, CancellationToken cancellationToken)
    {
        List<Guid> claims = [opportunity.Id];
        HashSet<Guid> caseIds = [];
        Guid? registrationId = null;
        switch (opportunity.Source)
        {
            case { Kind: OpportunitySourceKind.Registration, ReferenceId: { } madeFrom }:
                registrationId = madeFrom;
                break;
            case { Kind: OpportunitySourceKind.ConflictDecision, ReferenceId: { } caseId }:
                caseIds.Add(caseId);
                if (await cases.GetByIdAsync(caseId, cancellationToken) is { AwardedClaimId: { } awarded })
                {
                    registrationId = awarded;
                }

                break;
        }

        var registration = registrationId is { } id ? await registrations.GetByIdAsync(id, cancellationToken) : null;
        if (registration is not null && (opportunity.Source.Kind == OpportunitySourceKind.Registration || opportunity.IsSourcedBy(registration.PartnerId)))
        {
            claims.Add(registration.Id);
        }
        else
        {
            registration = null;
        }

        foreach (var claim in claims)
        {
            caseIds.UnionWith(await conflicts.FindAllBindingAsync(claim, cancellationToken));
        }

        foreach (var caseId in caseIds)
        {
            if (await cases.GetByIdAsync(caseId, cancellationToken) is not { } bound)
            {
                continue;
            }

            if (bound.Status == ConflictStatus.Open)
            {
                throw new Domain.SeedWork.DomainException("opportunity.in_open_case",
                    $"The open conflict case {caseId} decides this customer; the deal can be closed as won once the case is decided.");
            }

            cases.RequireUnchanged(bound);
        }

        return registration;
    }
}
