using CoSell.Application.Abstractions;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Partners;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;

namespace CoSell.Application.Registrations;

/// <summary>
/// Edits a Draft or ActionRequired registration; fields left out keep their value, and so do the customer's domain and
/// DUNS left out of a customer given (an empty one removes it).
/// </summary>
[Authorize(Roles.Partner)]
public sealed record UpdateRegistration(
    Guid RegistrationId,
    CustomerInput? Customer,
    IReadOnlyList<string>? ProductLines,
    MoneyInput? EstimatedValue,
    DateOnly? ExpectedCloseDate,
    string? Notes,
    IfMatch? ExpectedVersion) : IRegistrationCommand;

public sealed class UpdateRegistrationValidator : AbstractValidator<UpdateRegistration>
{
    // The close date is the registration's to judge, and only when the edit changes it (400 registration.close_date_invalid):
    // a date passed since it was set, sent back as it was, does not refuse the fix of another field (ADR 0024).
    public UpdateRegistrationValidator()
    {
        RuleFor(r => r.Customer).SetValidator(new CustomerInputValidator()!).When(r => r.Customer is not null);
        RegistrationRules.ProductLines(RuleFor(r => r.ProductLines)).When(r => r.ProductLines is not null);
        RuleFor(r => r.EstimatedValue).SetValidator(new MoneyInputValidator()!).When(r => r.EstimatedValue is not null);
        RegistrationRules.Notes(RuleFor(r => r.Notes));
    }
}

public sealed class UpdateRegistrationHandler(
    IRepository<DealRegistration> registrations, IRepository<Partner> partners, RegistrationView view, SubmissionJudge judge, ICurrentUser user, TimeProvider time,
    IActiveRules rules, CustomerNormaliser normaliser)
    : RegistrationCommandHandler<UpdateRegistration>(registrations, view)
{
    protected override bool RequiresIfMatch => true;

    protected override async Task ApplyAsync(UpdateRegistration command, DealRegistration registration, CancellationToken cancellationToken)
    {
        // A suspended partner drafts nothing, an edit of a draft or a returned registration included.
        await partners.ActivePartnerAsync(registration.PartnerId, "A suspended partner's registrations are not edited until it is reinstated.", cancellationToken);
        var customer = command.Customer is { } c ? Edited(registration.Customer, c) : registration.Customer;
        if (RegistrationLifecycle.ActiveClaim.Contains(registration.Status) && customer != registration.Customer)
        {
            // A returned registration is a live claim: its new customer must not slip past a submission judged meanwhile (ADR 0012).
            await judge.HoldAsync([registration.Customer, customer], cancellationToken);
        }

        var now = time.GetUtcNow();
        // A registration submitted before claims its customer from that submission: a correction keeps that time, another
        // company does not (first to register counts from when it was registered, ADR 0009).
        var anotherCompany = registration.SubmittedAt is not null && customer != registration.Customer
            && !CustomerMatcher.AreLikelyOne(normaliser.Normalise(registration.Customer), normaliser.Normalise(customer), MatchThresholds.From(await rules.GetAsync(cancellationToken)), now);
        var value = command.EstimatedValue is { } m ? Money.Of(m.Amount!.Value, m.Currency) : registration.EstimatedValue;
        registration.Edit(
            customer,
            command.ProductLines ?? registration.ProductLines,
            value,
            command.ExpectedCloseDate ?? registration.ExpectedCloseDate,
            command.Notes ?? registration.Notes,
            user.UserId,
            now,
            anotherCompany);
    }

    /// <summary>The customer an edit gives: a domain or DUNS left out (or null) is the one stored, and an empty one is none.</summary>
    private static Customer Edited(Customer stored, CustomerInput given)
    {
        var edited = Customer.Create(given.Name, given.Domain, given.Country, given.Duns);
        return edited with
        {
            Domain = given.Domain is null ? stored.Domain : edited.Domain,
            Duns = given.Duns is null ? stored.Duns : edited.Duns,
        };
    }
}
