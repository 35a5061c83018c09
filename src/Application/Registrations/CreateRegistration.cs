using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>A partner user drafts a deal registration for its own organisation.</summary>
[Authorize(Roles.Partner)]
public sealed record CreateRegistration(
    CustomerInput? Customer,
    IReadOnlyList<string>? ProductLines,
    MoneyInput? EstimatedValue,
    DateOnly? ExpectedCloseDate,
    string? Notes) : ICommand<RegistrationDto>;

public sealed class CreateRegistrationValidator : AbstractValidator<CreateRegistration>
{
    public CreateRegistrationValidator(TimeProvider time)
    {
        RuleFor(r => r.Customer).NotNull().SetValidator(new CustomerInputValidator()!);
        RegistrationRules.ProductLines(RuleFor(r => r.ProductLines));
        RuleFor(r => r.EstimatedValue).NotNull().SetValidator(new MoneyInputValidator()!);
        RegistrationRules.CloseDate(RuleFor(r => r.ExpectedCloseDate), time);
        RegistrationRules.Notes(RuleFor(r => r.Notes));
    }
}

public sealed class CreateRegistrationHandler(
    IRepository<DealRegistration> registrations,
    IRepository<Partner> partners,
    ICurrentUser user,
    TimeProvider time,
    RegistrationView view) : IRequestHandler<CreateRegistration, RegistrationDto>
{
    public async Task<RegistrationDto> Handle(CreateRegistration request, CancellationToken cancellationToken)
    {
        var partner = await partners.OwnActivePartnerAsync(user, "A suspended partner cannot register deals.", cancellationToken);

        var customer = request.Customer!;
        var registration = DealRegistration.Draft(
            Guid.CreateVersion7(),
            partner.Id,
            user.UserId,
            Customer.Create(customer.Name, customer.Domain, customer.Country, customer.Duns),
            request.ProductLines!,
            Money.Of(request.EstimatedValue!.Amount!.Value, request.EstimatedValue.Currency),
            request.ExpectedCloseDate!.Value,
            request.Notes,
            time.GetUtcNow());
        registrations.Add(registration);
        return view.For(registration);
    }
}
