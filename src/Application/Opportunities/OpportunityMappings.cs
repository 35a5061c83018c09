using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using Mapster;

namespace CoSell.Application.Opportunities;

public static class OpportunityMappings
{
    public static void Register(TypeAdapterConfig config)
    {
        config.NewConfig<CustomerContact, ContactDto>();

        config.NewConfig<OpportunitySource, OpportunitySourceDto>()
            .MapWith(s => new OpportunitySourceDto(s.Kind.ToString(), s.ReferenceId));

        config.NewConfig<Participant, ParticipantDto>()
            .Map(d => d.InvitationId, s => s.Id)
            .Map(d => d.Role, s => s.Role.ToString())
            .Map(d => d.Status, s => s.Status.ToString());

        // The opportunity's version is the handler's to add: a participant or a note does not know it.
        config.NewConfig<Participant, InvitationDto>()
            .Map(d => d.Role, s => s.Role.ToString())
            .Map(d => d.Status, s => s.Status.ToString())
            .Ignore(d => d.OpportunityVersion);

        config.NewConfig<Opportunity, OpportunityDto>()
            .Map(d => d.Stage, s => s.Stage.ToString());

        config.NewConfig<OpportunityNote, NoteDto>()
            .Map(d => d.Visibility, s => s.Visibility.ToString())
            .Ignore(d => d.OpportunityVersion);
    }
}
