using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Opportunities;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;

namespace CoSell.Application.Registrations;

/// <summary>The partner withdraws an open registration.</summary>
[Authorize(Roles.Partner)]
public sealed record WithdrawRegistration(Guid RegistrationId, string? Reason = null, IfMatch? ExpectedVersion = null) : IRegistrationCommand;

public sealed class WithdrawRegistrationValidator : AbstractValidator<WithdrawRegistration>
{
    public WithdrawRegistrationValidator() => RuleFor(r => r.Reason).FreeText(DealRegistration.MaximumMessageLength);
}

public sealed class WithdrawRegistrationHandler(
    IRepository<DealRegistration> registrations, RegistrationView view, ICurrentUser user, TimeProvider time, IOpenConflictFinder conflicts, ClaimsLeavingCases leaving)
    : RegistrationCommandHandler<WithdrawRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(WithdrawRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // An approved registration whose window has ended has expired, whether or not the expiry service has written so;
        // one an open conflict case holds keeps its protection until the decision, and may be given up meanwhile.
        var now = time.GetUtcNow();
        var held = registration.IsProtectionOver(now) && await conflicts.FindBindingAsync([registration.Id], cancellationToken) is not null;
        registration.RefuseIfProtectionEnded(held, "withdrawn", now);
        registration.Withdraw(command.Reason, user.UserId, now);
        await leaving.RecordAsync(registration.Id, "withdrawn by its partner", user.UserId, now, cancellationToken);
    }
}

/// <summary>Closes an approved registration as won, or as lost with a reason.</summary>
[Authorize(Roles.Partner, Roles.ChannelManager, Roles.Admin)]
public sealed record CloseRegistration(Guid RegistrationId, CloseOutcome? Outcome, LossReason? Reason = null, string? Comment = null, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction;

public sealed class CloseRegistrationValidator : AbstractValidator<CloseRegistration>
{
    public CloseRegistrationValidator()
    {
        RuleFor(r => r.Outcome).NotNull().IsInEnum();
        RuleFor(r => r.Reason).NotNull().IsInEnum().When(r => r.Outcome == CloseOutcome.Lost).WithMessage("A lost deal needs a reason code.");
        RuleFor(r => r.Reason).Null().When(r => r.Outcome == CloseOutcome.Won).WithMessage("A won deal has no loss reason.");
        RuleFor(r => r.Comment).FreeText(DealRegistration.MaximumMessageLength);
    }
}

public sealed class CloseRegistrationHandler(
    IRepository<DealRegistration> registrations,
    RegistrationView view,
    ICurrentUser user,
    TimeProvider time,
    IOpenConflictFinder conflicts,
    ClaimsLeavingCases leaving,
    RegistrationDeals deals)
    : RegistrationCommandHandler<CloseRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(CloseRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // An approved claim bound to an open case keeps its protection until the decision, but it cannot take the deal
        // as won meanwhile: the case may award the customer to another party. Closing it as lost gives it up, which is allowed.
        var now = time.GetUtcNow();
        var held = (command.Outcome == CloseOutcome.Won || registration.IsProtectionOver(now)) && await conflicts.FindBindingAsync([registration.Id], cancellationToken) is not null;
        registration.RefuseIfProtectionEnded(held, "closed", now);
        if (command.Outcome == CloseOutcome.Won && held)
        {
            throw new DomainException("registration.conflict_open", "This registration is bound to an open conflict case; it can be closed as won once the case is decided in its favour.");
        }

        // A registration made an opportunity (converted, or awarded by a co-sell decision whose joint deal its partner
        // sources) is worked as that deal and is won with it: the deal closed as won closes the registration as won. Won
        // while the deal is open, the registration would say the customer is won while the vendor's deal says it is not,
        // and a won claim locks its case against reopening before the deal has moved. Closing as lost is allowed: a loss
        // does not travel either way (the partner gives its claim up while the vendor's team may still work the deal), so
        // a lost registration and an open deal say two things that are both true.
        if (command.Outcome == CloseOutcome.Won && await deals.OpenDealOfAsync(registration, besidesCase: null, cancellationToken) is { } deal)
        {
            var named = OpportunityPolicy.CanSee(deal, Viewer.Of(user), now) ? $"its opportunity {deal.Id}" : "its opportunity";
            throw new DomainException("registration.opportunity_open",
                $"This registration's deal is worked as {named}, which is still open; the registration closes as won with it when that opportunity is closed as won.");
        }

        registration.Close(command.Outcome!.Value, command.Reason, command.Comment, user.UserId, now);
        if (command.Outcome == CloseOutcome.Lost)
        {
            await leaving.RecordAsync(registration.Id, $"closed as lost ({command.Reason})", user.UserId, now, cancellationToken);
        }
    }
}
