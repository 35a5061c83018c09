using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>Opens the co-sell opportunity of an approved registration; the registering partner joins as its source.</summary>
[Authorize(Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record CreateOpportunityFromRegistration(
    Guid RegistrationId,
    Guid? OwnerId,
    ContactInput? Contact,
    MoneyInput? Amount,
    DateOnly? CloseDate,
    string? NextStep,
    IfMatch? ExpectedVersion = null) : ICommand<OpportunityDto>, IVersionedCommand
{
    /// <summary>If-Match names the registration's version: it is made an opportunity only as the caller read it.</summary>
    public Guid? VersionedId => RegistrationId;
}

public sealed class CreateOpportunityFromRegistrationValidator : AbstractValidator<CreateOpportunityFromRegistration>
{
    public CreateOpportunityFromRegistrationValidator(TimeProvider time, RepCheck reps, ICurrentUser user)
    {
        RuleFor(r => r.Contact).SetValidator(new ContactInputValidator()!).When(r => r.Contact is not null);
        RuleFor(r => r.Amount).SetValidator(new MoneyInputValidator()!).When(r => r.Amount is not null);
        OpportunityRules.CloseDate(RuleFor(r => r.CloseDate), time).When(r => r.CloseDate is not null);
        RuleFor(r => r.NextStep).FreeText(Opportunity.MaximumNextStepLength);
        RuleFor(r => r.OwnerId).NotNull().When(_ => user.Role is Roles.ChannelManager or Roles.Admin).WithMessage("Name the rep who owns the opportunity.");
        RuleFor(r => r.OwnerId).MustAsync(reps.IsRepAsync).When(r => user.IsVendor() && !RepCheck.NamesTheCallingRep(user, r.OwnerId)).WithMessage("No active rep has this id.");
    }
}

public sealed class CreateOpportunityFromRegistrationHandler(
    IRepository<Opportunity> opportunities,
    IRepository<DealRegistration> registrations,
    IRepository<ChannelConflict> conflicts,
    IRepository<Partner> partners,
    CoSell.Application.Conflicts.IOpenConflictFinder openCases,
    RepCheck reps,
    ICurrentUser user,
    TimeProvider time,
    OpportunityView view) : IRequestHandler<CreateOpportunityFromRegistration, OpportunityDto>
{
    public async Task<OpportunityDto> Handle(CreateOpportunityFromRegistration request, CancellationToken cancellationToken)
    {
        var registration = await registrations.GetByIdAsync(request.RegistrationId, cancellationToken)
            ?? throw new NotFoundException("registration", request.RegistrationId);
        Concurrency.Check(registration.Version, request.ExpectedVersion, required: false);
        // The deal it was made, open or won, is the registration's one deal; one lost (turned down by a decision a
        // reopening then took back, or closed by its rep) leaves the approved registration free to be made another.
        var made = await opportunities.ListAsync(new OpportunityFromSourceSpec(OpportunitySourceKind.Registration, registration.Id), cancellationToken);
        if (made.Any(o => o.Stands))
        {
            throw new DomainException("opportunity.registration_already_converted", "This registration already has its opportunity.");
        }

        // A case that awarded this registration keeps the joint opportunity its co-sell decision opened, open or won,
        // as the registration's deal (a later award without co-selling keeps it too): one customer, one deal.
        foreach (var conflictId in await conflicts.ListAsync(new AwardsOfClaimSpec(registration.Id), cancellationToken))
        {
            var joint = await opportunities.ListAsync(new OpportunityFromSourceSpec(OpportunitySourceKind.ConflictDecision, conflictId), cancellationToken);
            if (joint.Any(o => o.Stands))
            {
                throw new DomainException("opportunity.registration_already_converted",
                    "This registration already has its opportunity: the joint one its conflict case's co-sell decision opened.");
            }
        }

        // While a case decides the customer, the deal waits for the decision, which may award it to another claim.
        if (await openCases.FindBindingAsync([registration.Id], cancellationToken) is { } open)
        {
            throw new DomainException("registration.in_open_case",
                $"The open conflict case {open} binds this registration; it is made an opportunity once the case awards it.");
        }

        registration.RefuseIfProtectionEnded(heldByOpenCase: false, "made an opportunity", time.GetUtcNow());

        // The registering partner joins as the source, which a suspended partner may not.
        await partners.ActivePartnerAsync(registration.PartnerId, "A suspended partner's registration is not made an opportunity until the partner is reinstated.", cancellationToken);
        var owner = request.OwnerId ?? user.UserGuid() ?? throw new ForbiddenException("Your user id is not a rep's id; name the owner.");
        if (request.OwnerId is null || RepCheck.NamesTheCallingRep(user, request.OwnerId))
        {
            await reps.CallerMayOwnAsync(owner, cancellationToken);
        }

        var opportunity = Opportunity.FromRegistration(
            Guid.CreateVersion7(),
            registration,
            ContactFactory.From(request.Contact),
            request.Amount is { } m ? Money.Of(m.Amount!.Value, m.Currency) : null,
            request.CloseDate,
            request.NextStep,
            owner,
            user.UserId,
            time.GetUtcNow());
        opportunities.Add(opportunity);

        // The registration's timeline records the conversion, which moves its version on: the conversion commits only
        // while the registration is as read (a decision that turned it down meanwhile wins), and a close as won decided
        // before the deal was opened (when it had none to wait for) fails at its commit rather than stand beside the
        // open deal: of the two, the second is refused. The registering partner hears of it.
        registration.OpenedAsOpportunity(opportunity.Id, user.UserId, opportunity.CreatedAt);
        return view.For(opportunity);
    }
}
