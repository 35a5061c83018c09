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
            .MapWith(s => new OpportunitySourceDto(s.Kind, s.ReferenceId));

        config.NewConfig<Participant, ParticipantDto>()
            .Map(d => d.InvitationId, s => s.Id);

        // The opportunity's version is the handler's to add: a participant or a note does not know it.
        config.NewConfig<Participant, InvitationDto>()
            .Ignore(d => d.OpportunityVersion);

        config.NewConfig<Opportunity, OpportunityDto>();

        config.NewConfig<OpportunityNote, NoteDto>()
            .Ignore(d => d.OpportunityVersion);
    }
}
