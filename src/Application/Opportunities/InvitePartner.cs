using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Opportunities;

/// <summary>The vendor invites a partner to co-sell (influence); the partner answers before the rules' referral SLA runs out.</summary>
[Authorize(Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record InvitePartner(Guid OpportunityId, Guid? PartnerId, string? Message, IfMatch? ExpectedVersion = null) : ICommand<InvitationDto>, IOpportunityWork, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => OpportunityId;

    public bool TouchesVendorOnlyFields => true;
}

public sealed class InvitePartnerValidator : AbstractValidator<InvitePartner>
{
    public InvitePartnerValidator(IRepository<Partner> partners)
    {
        // Only the vendor's roles get this far (the role check runs before validation), so the lookup tells no partner anything.
        RuleFor(r => r.PartnerId).Cascade(CascadeMode.Stop).NotNull()
            .MustAsync(async (id, ct) => await partners.GetByIdAsync(id!.Value, ct) is not null)
            .WithMessage("No partner has this id.");
        RuleFor(r => r.Message).FreeText(Opportunity.MaximumMessageLength);
    }
}

public sealed class InvitePartnerHandler(
    IRepository<Opportunity> opportunities,
    IRepository<Partner> partners,
    IRepository<Rules> rules,
    ICurrentUser user,
    TimeProvider time,
    TypeAdapterConfig mapping) : IRequestHandler<InvitePartner, InvitationDto>
{
    public async Task<InvitationDto> Handle(InvitePartner request, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.GetByIdAsync(request.OpportunityId, cancellationToken)
            ?? throw new NotFoundException("opportunity", request.OpportunityId);
        Concurrency.Check(opportunity.Version, request.ExpectedVersion, required: false);
        var partner = await partners.GetByIdAsync(request.PartnerId!.Value, cancellationToken)
            ?? throw new NotFoundException("partner", request.PartnerId.Value);
        var active = await rules.ActiveAsync(cancellationToken);
        var invitation = opportunity.Invite(partner, active, request.Message, user.UserId, time.GetUtcNow());
        // Invited while active as read: a suspension that commits first refuses the invitation, and read again meets it.
        partners.RequireUnchanged(partner);
        return invitation.Adapt<InvitationDto>(mapping) with { OpportunityVersion = opportunity.Version };
    }
}
