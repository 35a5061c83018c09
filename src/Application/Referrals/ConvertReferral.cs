using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Referrals;

/// <summary>
/// The receiver converts an accepted referral: a partner into a draft registration, the vendor into an
/// opportunity with the referring partner as its source. Either keeps the referral as its source.
/// </summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record ConvertReferral(
    Guid ReferralId,
    IReadOnlyList<string>? ProductLines,
    MoneyInput? EstimatedValue,
    DateOnly? ExpectedCloseDate,
    string? Notes,
    Guid? OwnerId,
    string? NextStep,
    IfMatch? ExpectedVersion = null) : ICommand<ReferralConversionDto>, IReferralReceiverAction, IVersionedCommand
{
    public Guid? VersionedId => ReferralId;
}

public sealed class ConvertReferralValidator : AbstractValidator<ConvertReferral>
{
    public ConvertReferralValidator(TimeProvider time, RepCheck reps, ICurrentUser user)
    {
        RegistrationRules.ProductLines(RuleFor(r => r.ProductLines)).When(r => r.ProductLines is not null);
        RuleFor(r => r.EstimatedValue).SetValidator(new MoneyInputValidator()!).When(r => r.EstimatedValue is not null);
        RuleFor(r => r.ExpectedCloseDate).NotNull().WithMessage("Give the expected close date.");
        RegistrationRules.CloseDate(RuleFor(r => r.ExpectedCloseDate), time).When(r => r.ExpectedCloseDate is not null);
        RegistrationRules.Notes(RuleFor(r => r.Notes));
        RuleFor(r => r.NextStep).FreeText(Opportunity.MaximumNextStepLength);
        RuleFor(r => r.OwnerId).MustAsync(reps.IsRepAsync).When(r => user.IsVendor() && !RepCheck.NamesTheCallingRep(user, r.OwnerId)).WithMessage("No active rep has this id.");

        // What does not apply to the conversion the caller makes is refused, not dropped: a partner makes a registration,
        // which has no owner and no next step; the vendor makes an opportunity, which has no product lines and whose
        // notes are written on it afterwards.
        RuleFor(r => r.OwnerId).Null().When(_ => user.IsPartner()).WithMessage("A partner converts a referral into a registration, which has no owner: leave out ownerId.");
        RuleFor(r => r.NextStep).Null().When(_ => user.IsPartner()).WithMessage("A partner converts a referral into a registration, which has no next step: leave out nextStep.");
        RuleFor(r => r.ProductLines).Null().When(_ => user.IsVendor()).WithMessage("The vendor converts a referral into an opportunity, which has no product lines: leave out productLines.");
        RuleFor(r => r.Notes).Null().When(_ => user.IsVendor()).WithMessage("The vendor converts a referral into an opportunity: leave out notes, and add a note to the opportunity once it is made.");
    }
}

public sealed class ConvertReferralHandler(
    IRepository<Referral> referrals,
    IRepository<DealRegistration> registrations,
    IRepository<Opportunity> opportunities,
    IRepository<Partner> partners,
    Opportunities.RepCheck reps,
    ReferralView view,
    ICurrentUser user,
    TimeProvider time) : IRequestHandler<ConvertReferral, ReferralConversionDto>
{
    public async Task<ReferralConversionDto> Handle(ConvertReferral request, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetByIdAsync(request.ReferralId, cancellationToken) ?? throw new NotFoundException("referral", request.ReferralId);
        Concurrency.Check(referral.Version, request.ExpectedVersion, required: false);
        var now = time.GetUtcNow();
        var value = request.EstimatedValue is { } m ? Money.Of(m.Amount!.Value, m.Currency) : referral.EstimatedValue;
        ReferralConversion kind;
        Guid id;
        if (referral.IsReceivedByPartner)
        {
            var partner = await partners.ActivePartnerAsync(referral.PartnerId, "A suspended partner cannot register deals.", cancellationToken);

            // Recording the conversion first refuses a referral that is not accepted before anything is drafted.
            id = Guid.CreateVersion7();
            referral.RecordConversion(ReferralConversion.Registration, id, user.UserId, now);
            var productLines = request.ProductLines ?? referral.ProductLines;
            RequireRegistrationTerms(value, productLines);
            var registration = DealRegistration.Draft(
                id,
                partner.Id,
                user.UserId,
                referral.Customer,
                productLines,
                value!,
                request.ExpectedCloseDate!.Value,
                request.Notes ?? referral.Message,
                now,
                sourceReferralId: referral.Id);
            registrations.Add(registration);
            kind = ReferralConversion.Registration;
        }
        else
        {
            var owner = request.OwnerId ?? (user.Role == Roles.Rep ? user.UserGuid() : null)
                ?? throw new DomainValidationException("referral.owner_required", "ownerId", "Name the rep who owns the opportunity.");
            if (request.OwnerId is null || RepCheck.NamesTheCallingRep(user, request.OwnerId))
            {
                await reps.CallerMayOwnAsync(owner, cancellationToken);
            }

            var opportunity = Opportunity.FromReferral(Guid.CreateVersion7(), referral, value, request.ExpectedCloseDate!.Value, request.NextStep, owner, user.UserId, now);
            opportunities.Add(opportunity);
            (kind, id) = (ReferralConversion.Opportunity, opportunity.Id);
            referral.RecordConversion(kind, id, user.UserId, now);

            // The sending partner joins the opportunity as its source, which a suspended partner may not (asked once the
            // referral is known to be convertible at all).
            await partners.ActivePartnerAsync(referral.PartnerId, "A suspended partner's referral is not made an opportunity until the partner is reinstated.", cancellationToken);
        }

        return new ReferralConversionDto(view.For(referral), kind, id);
    }

    /// <summary>
    /// A registration needs a value and product lines. What the referral does not name, the conversion must give, and
    /// a conversion that lacks both is told of both at once.
    /// </summary>
    private static void RequireRegistrationTerms(Money? value, IReadOnlyCollection<string> productLines)
    {
        const string NoValue = "The referral names no value: give the registration's estimated value.";
        const string NoLines = "The referral names no product lines: give the registration's product lines.";
        switch (value is null, productLines.Count == 0)
        {
            case (true, true):
                throw new DomainValidationException("referral.terms_required",
                    new Dictionary<string, string> { ["estimatedValue"] = NoValue, ["productLines"] = NoLines },
                    "The referral names neither a value nor product lines: give the registration's estimatedValue and productLines.");
            case (true, false):
                throw new DomainValidationException("referral.value_required", "estimatedValue", NoValue);
            case (false, true):
                throw new DomainValidationException("referral.product_lines_required", "productLines", NoLines);
        }
    }
}
