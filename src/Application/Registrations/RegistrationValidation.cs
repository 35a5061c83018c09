using CoSell.Application.Abstractions;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using FluentValidation;

namespace CoSell.Application.Registrations;

public sealed class CustomerInputValidator : AbstractValidator<CustomerInput>
{
    public CustomerInputValidator()
    {
        // NotNull first, so the API description can say these two are required; the value objects judge the rest.
        RuleFor(c => c.Name).Cascade(CascadeMode.Stop).NotNull().WithMessage("A company name needs at least two characters.")
            .DisplayName()
            // Look-alike letters hide a name from readers: "Аcme" with a Cyrillic А reads as Acme and is not it.
            .Must(n => n is null || !LatinLookalikes.MixesLatinWithLookalikeScript(n))
            .WithMessage("Write each word of a company name in one alphabet: a word that mixes Latin letters with letters of an alphabet whose letters pass for Latin ones (Cyrillic, Greek, Armenian, Cherokee and the like) is refused.")
            .Custom(DomainFactory(n => CompanyName.From(n)));
        RuleFor(c => c.Country).Cascade(CascadeMode.Stop).NotNull().WithMessage("Give the customer's country as an ISO 3166 code.")
            .Custom(DomainFactory(c => CountryCode.From(c)));
        RuleFor(c => c.Domain).Custom(DomainFactory(d => WebDomain.From(d))).When(c => !string.IsNullOrWhiteSpace(c.Domain));
        RuleFor(c => c.Duns).Custom(DomainFactory(d => Duns.From(d))).When(c => !string.IsNullOrWhiteSpace(c.Duns));
    }

    /// <summary>Runs a value object's own factory so the API and the domain agree on what is valid.</summary>
    private static Action<string?, ValidationContext<CustomerInput>> DomainFactory(Action<string?> factory) => (value, context) =>
    {
        try
        {
            factory(value);
        }
        catch (DomainValidationException e)
        {
            context.AddFailure(e.Message);
        }
    };
}

public sealed class MoneyInputValidator : AbstractValidator<MoneyInput>
{
    public MoneyInputValidator()
    {
        // Amounts are kept to the currency's minor unit (the cent, the fils, the whole yen): a finer amount would be
        // stored as something else or nothing without a word (999.995 USD would become 1,000 and pass a tier's minimum).
        RuleFor(m => m.Amount).NotNull().GreaterThan(0).LessThanOrEqualTo(Money.MaximumAmount).InMinorUnits(m => m.Currency);
        RuleFor(m => m.Currency).Cascade(CascadeMode.Stop).NotNull().WithMessage("Give the currency as an ISO 4217 code.")
            .Must(Money.IsKnownCurrency).WithMessage(m => Money.UnknownCurrency(Characters.Shown(m.Currency)));
    }
}

/// <summary>Amounts are kept to their currency's minor unit: three decimals for BHD, two for USD, none for JPY.</summary>
public static class MoneyRules
{
    /// <summary>
    /// An amount has no more decimals than its currency's minor unit. An unknown currency is refused on its own field,
    /// and its amount is held to nothing here.
    /// </summary>
    public static IRuleBuilderOptions<T, decimal?> InMinorUnits<T>(this IRuleBuilder<T, decimal?> rule, Func<T, string?> currency) =>
        rule.Must((owner, amount) => amount is not { } a || currency(owner) is not { } code || !Money.IsKnownCurrency(code) || Money.FitsMinorUnit(a, code))
            .WithMessage(owner => Money.MinorUnitRule(currency(owner)!));
}

/// <summary>The rules shared by creating and editing a registration.</summary>
public static class RegistrationRules
{
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> ProductLines<T>(IRuleBuilderInitial<T, IReadOnlyList<string>?> rule) =>
        rule.Cascade(CascadeMode.Stop).NotNull().WithMessage(ProductLinesMessage)
            .Labels(1, DealRegistration.MaximumProductLines, DealRegistration.MaximumProductLineLength, ProductLinesMessage);

    public static IRuleBuilderOptions<T, DateOnly?> CloseDate<T>(IRuleBuilderInitial<T, DateOnly?> rule, TimeProvider time) =>
        rule.Cascade(CascadeMode.Stop).NotNull().WithMessage(CloseDateMessage)
            .Must(date => CloseDates.FromTodayToFiveYears(date, time)).WithMessage(CloseDateMessage);

    private const string CloseDateMessage = "The expected close date lies between today and five years from now.";

    private static readonly string ProductLinesMessage =
        $"Name 1 to {DealRegistration.MaximumProductLines} product lines of at most {DealRegistration.MaximumProductLineLength} visible characters, without control characters, direction controls or {TextRules.InvisibleCharacters}.";

    public static IRuleBuilderOptions<T, string?> Notes<T>(IRuleBuilder<T, string?> rule) =>
        rule.FreeText(DealRegistration.MaximumNotesLength);
}
