using CoSell.Application.Abstractions;
using CoSell.Domain.Customers;
using CoSell.Domain.SeedWork;
using FluentValidation;

namespace CoSell.Application.Opportunities;

public sealed class ContactInputValidator : AbstractValidator<ContactInput>
{
    public ContactInputValidator()
    {
        // A name is always needed (and so marked required in the OpenAPI document); the rest is the value object's to judge.
        RuleFor(c => c.Name).NotEmpty().WithMessage($"A contact name has 2 to {CustomerContact.MaximumNameLength} printable characters.").DisplayName();
        RuleFor(c => c).Custom((contact, context) =>
        {
            // The value object's own factory decides, so the API and the domain agree on what is valid.
            try
            {
                CustomerContact.Create(contact.Name, contact.Email, contact.Phone);
            }
            catch (DomainValidationException e)
            {
                foreach (var (field, message) in e.Errors)
                {
                    context.AddFailure(field, message);
                }
            }
        }).When(c => !string.IsNullOrEmpty(c.Name));
    }
}

public static class OpportunityRules
{
    /// <summary>A new opportunity's close date, checked with the rest of its fields; an edit's is the opportunity's to judge.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> CloseDate<T>(IRuleBuilder<T, DateOnly?> rule, TimeProvider time) =>
        rule.Must(date => CloseDates.FromTodayToFiveYears(date, time)).WithMessage("The close date lies between today and five years from now.");
}

internal static class ContactFactory
{
    public static CustomerContact? From(ContactInput? input) => input is null ? null : CustomerContact.Create(input.Name, input.Email, input.Phone);
}
