using CoSell.Application.Abstractions;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;

namespace CoSell.Application.Opportunities;

/// <summary>Writes a note on an opportunity's timeline: shared with every participant, or internal to the vendor. An arbiter reads, and writes none.</summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin)]
public sealed record AddNote(Guid OpportunityId, NoteVisibility? Visibility, string? Body, IfMatch? ExpectedVersion = null) : ICommand<NoteDto>, IOpportunityWork, IVersionedCommand, IRetriedOnConcurrentChange
{
    public Guid? VersionedId => OpportunityId;

    public bool TouchesVendorOnlyFields => Visibility == NoteVisibility.Internal;
}

public sealed class AddNoteValidator : AbstractValidator<AddNote>
{
    public AddNoteValidator()
    {
        RuleFor(r => r.Visibility).NotNull().IsInEnum();
        RuleFor(r => r.Body).NotEmpty().WithMessage($"A note has 1 to {Opportunity.MaximumNoteLength} characters.")
            .FreeText(Opportunity.MaximumNoteLength);
    }
}

public sealed class AddNoteHandler(IRepository<Opportunity> opportunities, ICurrentUser user, TimeProvider time, TypeAdapterConfig mapping)
    : IRequestHandler<AddNote, NoteDto>
{
    public async Task<NoteDto> Handle(AddNote request, CancellationToken cancellationToken)
    {
        var opportunity = await opportunities.GetByIdAsync(request.OpportunityId, cancellationToken)
            ?? throw new NotFoundException("opportunity", request.OpportunityId);
        Concurrency.Check(opportunity.Version, request.ExpectedVersion, required: false);
        var note = opportunity.AddNote(request.Visibility!.Value, request.Body, user.UserId, user.IsPartner() ? user.PartnerId : null, time.GetUtcNow());
        return note.Adapt<NoteDto>(mapping) with { OpportunityVersion = opportunity.Version };
    }
}
