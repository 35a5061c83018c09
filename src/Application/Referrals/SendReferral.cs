using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Referrals;

/// <summary>
/// Sends a referral: the vendor to a named partner, or a partner to the vendor. The accept-by deadline comes
/// from the active rules; the customer contact stays hidden from the receiver until it accepts.
/// </summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record SendReferral(
    Guid? PartnerId,
    CustomerInput? Customer,
    ContactInput? Contact,
    IReadOnlyList<string>? ProductLines,
    MoneyInput? EstimatedValue,
    string? Message) : ICommand<ReferralDto>, IRetriedOnConcurrentChange;

public sealed class SendReferralValidator : AbstractValidator<SendReferral>
{
    public SendReferralValidator(ICurrentUser user, IRepository<Partner> partners)
    {
        RuleFor(r => r.PartnerId).NotNull().When(_ => !user.IsPartner()).WithMessage("Name the partner the referral goes to.");
        RuleFor(r => r.PartnerId)
            .MustAsync(async (id, ct) => await partners.GetByIdAsync(id!.Value, ct) is not null).When(r => !user.IsPartner() && r.PartnerId is not null)
            .WithMessage("No partner has this id.");
        RuleFor(r => r.PartnerId).Must(id => id is null || id == user.PartnerId).When(_ => user.IsPartner())
            .WithMessage("A partner refers leads to the vendor; leave partnerId out.");
        RuleFor(r => r.Customer).NotNull().SetValidator(new CustomerInputValidator()!);
        RuleFor(r => r.Contact).NotNull().SetValidator(new ContactInputValidator()!);
        RuleFor(r => r.ProductLines).Labels(0, Referral.MaximumProductLines, Referral.MaximumProductLineLength,
            $"Name at most {Referral.MaximumProductLines} product lines of at most {Referral.MaximumProductLineLength} visible characters, without control characters, direction controls or {TextRules.InvisibleCharacters}.");
        RuleFor(r => r.EstimatedValue).SetValidator(new MoneyInputValidator()!).When(r => r.EstimatedValue is not null);
        RuleFor(r => r.Message).FreeText(Referral.MaximumMessageLength);
    }
}

public sealed class SendReferralHandler(
    IRepository<Referral> referrals,
    IRepository<Partner> partners,
    IRepository<Rules> rules,
    Opportunities.RepCheck reps,
    ICurrentUser user,
    TimeProvider time,
    ReferralView view) : IRequestHandler<SendReferral, ReferralDto>
{
    public async Task<ReferralDto> Handle(SendReferral request, CancellationToken cancellationToken)
    {
        var toPartner = !user.IsPartner();
        var partnerId = toPartner ? request.PartnerId!.Value : user.PartnerId!.Value;
        var partner = await partners.GetByIdAsync(partnerId, cancellationToken)
            ?? throw (toPartner ? new NotFoundException("partner", partnerId) : new ForbiddenException("Your user belongs to no known partner."));
        if (toPartner && user.UserGuid() is { } sender)
        {
            // The vendor user who sends a lead answers for it on the vendor's side: a deactivated user takes on none.
            await reps.CallerMayTakeOnAsync(sender, "Your user is deactivated: it sends no referral; another vendor user can.", cancellationToken);
        }

        var c = request.Customer!;
        var contact = request.Contact!;
        var referral = Referral.Send(
            Guid.CreateVersion7(),
            toPartner ? ReferralDirection.VendorToPartner : ReferralDirection.PartnerToVendor,
            partner,
            user.UserId,
            toPartner ? user.UserGuid() : partner.ChannelManagerId,
            Customer.Create(c.Name, c.Domain, c.Country, c.Duns),
            CustomerContact.Create(contact.Name, contact.Email, contact.Phone),
            request.ProductLines,
            request.EstimatedValue is { } m ? Money.Of(m.Amount!.Value, m.Currency) : null,
            request.Message,
            await rules.ActiveAsync(cancellationToken),
            time.GetUtcNow());
        // Sent while the partner is as read: a suspension, or a reassignment whose channel manager a partner's referral
        // goes to, that commits first refuses it, and read again it meets that change (ADR 0020).
        partners.RequireUnchanged(partner);
        referrals.Add(referral);
        return view.For(referral);
    }
}
