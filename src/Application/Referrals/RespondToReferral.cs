using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Partners;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Referrals;

/// <summary>The receiver accepts before the deadline and so reads the customer contact; accepting twice is a conflict.</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record AcceptReferral(Guid ReferralId, IfMatch? ExpectedVersion = null) : ICommand<ReferralDto>, IReferralReceiverAction, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => ReferralId;
}

public sealed class AcceptReferralHandler(IRepository<Referral> referrals, IRepository<Partner> partners, RepCheck reps, ReferralView view, ICurrentUser user, TimeProvider time)
    : IRequestHandler<AcceptReferral, ReferralDto>
{
    public async Task<ReferralDto> Handle(AcceptReferral request, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetByIdAsync(request.ReferralId, cancellationToken) ?? throw new NotFoundException("referral", request.ReferralId);
        Concurrency.Check(referral.Version, request.ExpectedVersion, required: false);
        // Accepting reveals the customer's contact to a partner that received the referral, and takes up the lead of one that
        // sent it: a partner suspended since then neither gets the one nor has the other taken up.
        await partners.ActivePartnerAsync(referral.PartnerId, referral.IsReceivedByPartner
            ? "A suspended partner neither sends nor receives referrals."
            : "A suspended partner's referral is not taken up until the partner is reinstated.", cancellationToken);

        var vendorUser = user.IsVendor() ? user.UserGuid() : null;
        if (!referral.IsReceivedByPartner && vendorUser is { } acceptor)
        {
            // Accepting a partner's lead makes the acceptor the user who answers for it: a deactivated user takes up none.
            await reps.CallerMayTakeOnAsync(acceptor, "Your user is deactivated: it takes up no referral; another vendor user can.", cancellationToken);
        }

        referral.Accept(user.UserId, vendorUser, time.GetUtcNow());
        return view.For(referral);
    }
}

/// <summary>The receiver declines with a reason code (and, if it likes, a comment).</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record DeclineReferral(Guid ReferralId, DeclineReason? Reason, string? Comment, IfMatch? ExpectedVersion = null) : ICommand<ReferralDto>, IReferralReceiverAction, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => ReferralId;
}

public sealed class DeclineReferralValidator : AbstractValidator<DeclineReferral>
{
    public DeclineReferralValidator()
    {
        RuleFor(r => r.Reason).NotNull().WithMessage("A declined referral needs a reason code.").IsInEnum();
        RuleFor(r => r.Comment).FreeText(Referral.MaximumMessageLength);
    }
}

public sealed class DeclineReferralHandler(IRepository<Referral> referrals, IRepository<Partner> partners, ReferralView view, ICurrentUser user, TimeProvider time)
    : IRequestHandler<DeclineReferral, ReferralDto>
{
    public async Task<ReferralDto> Handle(DeclineReferral request, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetByIdAsync(request.ReferralId, cancellationToken) ?? throw new NotFoundException("referral", request.ReferralId);
        Concurrency.Check(referral.Version, request.ExpectedVersion, required: false);
        if (referral.IsReceivedByPartner)
        {
            // The vendor may turn down a suspended partner's lead; a suspended partner answers none it received.
            await partners.ActivePartnerAsync(referral.PartnerId, "A suspended partner neither sends nor receives referrals.", cancellationToken);
        }

        referral.Decline(request.Reason!.Value, request.Comment, user.UserId, time.GetUtcNow());
        return view.For(referral);
    }
}

/// <summary>Expires a batch of referrals left unanswered past their deadline; run by the expiry service, not over HTTP.</summary>
public sealed record ExpireReferrals(int BatchSize = 200) : ICommand<int>, IRetriedOnConcurrentChange;

public sealed class ExpireReferralsHandler(IRepository<Referral> referrals, TimeProvider time) : IRequestHandler<ExpireReferrals, int>
{
    public async Task<int> Handle(ExpireReferrals request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await referrals.ListAsync(new ReferralsOverdueSpec(now, request.BatchSize), cancellationToken);
        foreach (var referral in due)
        {
            referral.Expire(now);
        }

        return due.Count;
    }
}
