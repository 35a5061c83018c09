using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
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
    public UpdateOpportunityValidator(TimeProvider time, RepCheck reps, ICurrentUser user)
    {
        RuleFor(r => r.Stage).IsInEnum();
        RuleFor(r => r.Amount).SetValidator(new MoneyInputValidator()!).When(r => r.Amount is not null);
        OpportunityRules.CloseDate(RuleFor(r => r.CloseDate), time).When(r => r.CloseDate is not null);
        RuleFor(r => r.NextStep).FreeText(Opportunity.MaximumNextStepLength);
        RuleFor(r => r.Contact).SetValidator(new ContactInputValidator()!).When(r => r.Contact is not null);
        // A partner naming an owner is refused (403) by the authoriser; it never learns whether the id is a rep.
        RuleFor(r => r.OwnerId).MustAsync(reps.IsRepAsync).When(_ => user.IsVendor()).WithMessage("No active rep has this id.");
    }
}

public sealed class UpdateOpportunityHandler(
    IRepository<Opportunity> opportunities, OpportunityView view, ICurrentUser user, TimeProvider time, IOpenConflictFinder conflicts, IRepository<ChannelConflict> cases)
    : OpportunityCommandHandler<UpdateOpportunity>(opportunities, view)
{
    protected override bool RequiresIfMatch => true;

    protected override async Task ApplyAsync(UpdateOpportunity command, Opportunity opportunity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = user.UserId;
        if (command.Stage == OpportunityStage.ClosedWon && opportunity.IsOpen && await OpenCaseOverAsync(opportunity, cancellationToken) is { } open)
        {
            // Won while a case decides the customer, the deal would stand whatever the case awards: like its registration,
            // it is closed as won once the case is decided.
            throw new Domain.SeedWork.DomainException("opportunity.in_open_case",
                $"The open conflict case {open} decides this customer; the deal can be closed as won once the case is decided.");
        }

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
            if (!opportunity.IsOpen)
            {
                // A direct opportunity closed while a case binds it is no claim any more: the case's timeline says so.
                await ClaimsLeavingCases.RecordAsync(opportunity.Id, $"closed as {stage}", actor, now, conflicts, cases, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The open case that decides the deal's customer: one binding the deal itself (a direct opportunity) or the
    /// registration it is the deal of (the one it was made from, or the one a co-sell decision awarded it to), or the
    /// reopened case whose co-sell decision opened it.
    /// </summary>
    private async Task<Guid?> OpenCaseOverAsync(Opportunity opportunity, CancellationToken cancellationToken)
    {
        List<Guid> claims = [opportunity.Id];
        switch (opportunity.Source)
        {
            case { Kind: OpportunitySourceKind.Registration, ReferenceId: { } registrationId }:
                claims.Add(registrationId);
                break;
            case { Kind: OpportunitySourceKind.ConflictDecision, ReferenceId: { } caseId } when await cases.GetByIdAsync(caseId, cancellationToken) is { } decided:
                if (decided.Status == ConflictStatus.Open)
                {
                    return caseId;
                }

                if (decided.AwardedClaimId is { } awarded)
                {
                    claims.Add(awarded);
                }

                break;
        }

        return await conflicts.FindBindingAsync(claims, cancellationToken);
    }
}
