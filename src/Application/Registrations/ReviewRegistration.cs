using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Partners;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Registrations;

/// <summary>The reviewing channel manager takes a submitted registration into review.</summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record StartReview(Guid RegistrationId, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction, IRetriedOnConcurrentChange;

public sealed class StartReviewHandler(IRepository<DealRegistration> registrations, RegistrationView view, ChannelManagerCheck managers, ICurrentUser user, TimeProvider time)
    : RegistrationCommandHandler<StartReview>(registrations, view)
{
    protected override async Task ApplyAsync(StartReview command, DealRegistration registration, CancellationToken cancellationToken)
    {
        await managers.TakeUpAsync(registration, user, cancellationToken);
        registration.StartReview(user.UserId, time.GetUtcNow());
    }
}

/// <summary>Approves a registration and opens its protection window under the rules it was judged by.</summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record ApproveRegistration(Guid RegistrationId, string? Comment = null, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction, IRetriedOnConcurrentChange;

public sealed class ApproveRegistrationValidator : AbstractValidator<ApproveRegistration>
{
    public ApproveRegistrationValidator() => RuleFor(r => r.Comment).FreeText(DealRegistration.MaximumMessageLength);
}

public sealed class ApproveRegistrationHandler(
    IRepository<DealRegistration> registrations, IRepository<Rules> rules, IRepository<Partner> partners, RegistrationView view, ChannelManagerCheck managers, ICurrentUser user, TimeProvider time)
    : RegistrationCommandHandler<ApproveRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(ApproveRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // A suspended partner's registrations wait: approving one would open a protection window for it.
        await partners.ActivePartnerAsync(registration.PartnerId, "A suspended partner's registrations are not approved until it is reinstated.", cancellationToken);
        var policy = await rules.PolicyAsync(registration.RulesVersion, registration.Tier, cancellationToken);
        await managers.TakeUpAsync(registration, user, cancellationToken);
        registration.Approve(policy, user.UserId, time.GetUtcNow(), command.Comment);
    }
}

/// <summary>Rejects a registration with a reason code.</summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record RejectRegistration(Guid RegistrationId, RejectionReason? Reason, string? Comment = null, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction, IRetriedOnConcurrentChange;

public sealed class RejectRegistrationValidator : AbstractValidator<RejectRegistration>
{
    public RejectRegistrationValidator()
    {
        RuleFor(r => r.Reason).NotNull().IsInEnum();
        RuleFor(r => r.Comment).FreeText(DealRegistration.MaximumMessageLength);
    }
}

public sealed class RejectRegistrationHandler(
    IRepository<DealRegistration> registrations, RegistrationView view, ChannelManagerCheck managers, ICurrentUser user, TimeProvider time, IOpenConflictFinder conflicts)
    : RegistrationCommandHandler<RejectRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(RejectRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // A case opened by an earlier build may bind a registration returned for action without moving it into conflict:
        // the case decides it, as it decides every claim it binds, and a rejection beside it would be undone by a reopening.
        if (registration.Status == RegistrationStatus.ActionRequired && await conflicts.FindBindingAsync([registration.Id], cancellationToken) is not null)
        {
            throw new DomainException("registration.conflict_open", "An open conflict case binds this registration: its decision settles it.");
        }

        await managers.TakeUpAsync(registration, user, cancellationToken);
        registration.Reject(command.Reason!.Value, command.Comment, user.UserId, time.GetUtcNow());
    }
}

/// <summary>Returns a registration to the partner with what must change.</summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record ReturnRegistration(Guid RegistrationId, string? Message, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction, IRetriedOnConcurrentChange;

public sealed class ReturnRegistrationValidator : AbstractValidator<ReturnRegistration>
{
    public ReturnRegistrationValidator() => RuleFor(r => r.Message).NotEmpty().FreeText(DealRegistration.MaximumMessageLength);
}

public sealed class ReturnRegistrationHandler(IRepository<DealRegistration> registrations, RegistrationView view, ChannelManagerCheck managers, ICurrentUser user, TimeProvider time)
    : RegistrationCommandHandler<ReturnRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(ReturnRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        await managers.TakeUpAsync(registration, user, cancellationToken);
        registration.ReturnForAction(command.Message!, user.UserId, time.GetUtcNow());
    }
}

/// <summary>Extends an approved registration's protection within its tier's limits.</summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record ExtendRegistration(Guid RegistrationId, IfMatch? ExpectedVersion = null) : IRegistrationCommand, IReviewerAction;

public sealed class ExtendRegistrationHandler(
    IRepository<DealRegistration> registrations, IRepository<Rules> rules, IRepository<Partner> partners, RegistrationView view, ICurrentUser user, TimeProvider time)
    : RegistrationCommandHandler<ExtendRegistration>(registrations, view)
{
    protected override async Task ApplyAsync(ExtendRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await partners.ActivePartnerAsync(registration.PartnerId, "A suspended partner's protection is not extended until it is reinstated.", cancellationToken);
        var policy = await rules.PolicyAsync(registration.RulesVersion, registration.Tier, cancellationToken);
        registration.Extend(policy, user.UserId, now);
    }
}
