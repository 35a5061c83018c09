using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>A rep opens a direct opportunity (owned by the rep unless another rep is named); a direct opportunity is a claim on its customer.</summary>
[Authorize(Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record CreateOpportunity(
    CustomerInput? Customer,
    ContactInput? Contact,
    MoneyInput? Amount,
    DateOnly? CloseDate,
    string? NextStep,
    Guid? OwnerId) : ICommand<OpportunityDto>;

public sealed class CreateOpportunityValidator : AbstractValidator<CreateOpportunity>
{
    public CreateOpportunityValidator(TimeProvider time, RepCheck reps, ICurrentUser user)
    {
        RuleFor(r => r.Customer).NotNull().SetValidator(new CustomerInputValidator()!);
        RuleFor(r => r.Contact).SetValidator(new ContactInputValidator()!).When(r => r.Contact is not null);
        RuleFor(r => r.Amount).NotNull().SetValidator(new MoneyInputValidator()!);
        OpportunityRules.CloseDate(RuleFor(r => r.CloseDate).NotNull(), time);
        RuleFor(r => r.NextStep).FreeText(Opportunity.MaximumNextStepLength);
        RuleFor(r => r.OwnerId).NotNull().When(_ => user.Role is Roles.ChannelManager or Roles.Admin).WithMessage("Name the rep who owns the opportunity.");
        // Only vendor callers learn whether an id is a rep; anyone else is refused by role before it matters.
        RuleFor(r => r.OwnerId).MustAsync(reps.IsRepAsync).When(r => user.IsVendor() && !RepCheck.NamesTheCallingRep(user, r.OwnerId)).WithMessage("No active rep has this id.");
    }
}

public sealed class CreateOpportunityHandler(IRepository<Opportunity> opportunities, RepCheck reps, ICurrentUser user, TimeProvider time, OpportunityView view)
    : IRequestHandler<CreateOpportunity, OpportunityDto>
{
    public async Task<OpportunityDto> Handle(CreateOpportunity request, CancellationToken cancellationToken)
    {
        var c = request.Customer!;
        var owner = request.OwnerId ?? user.UserGuid() ?? throw new ForbiddenException("Your user id is not a rep's id; name the owner.");
        if (request.OwnerId is null || RepCheck.NamesTheCallingRep(user, request.OwnerId))
        {
            await reps.CallerMayOwnAsync(owner, cancellationToken);
        }

        var opportunity = Opportunity.OpenDirect(
            Guid.CreateVersion7(),
            Customer.Create(c.Name, c.Domain, c.Country, c.Duns),
            ContactFactory.From(request.Contact),
            Money.Of(request.Amount!.Amount!.Value, request.Amount.Currency),
            request.CloseDate!.Value,
            request.NextStep,
            owner,
            user.UserId,
            time.GetUtcNow());
        opportunities.Add(opportunity);
        return view.For(opportunity);
    }
}
