using CoSell.Domain.SeedWork;
using MediatR;

namespace CoSell.Application.Abstractions;

/// <summary>
/// The shape of a command on one aggregate: load it by id (404 when there is none), check If-Match against its
/// version, apply one change, answer the caller's view of the new state. The unit of work commits after it.
/// </summary>
public abstract class AggregateCommandHandler<TCommand, TAggregate, TDto>(IRepository<TAggregate> aggregates, string resource)
    : IRequestHandler<TCommand, TDto>
    where TCommand : IRequest<TDto>, IVersionedCommand
    where TAggregate : AggregateRoot
{
    /// <summary>Whether the command must carry If-Match (edits do; lifecycle actions may).</summary>
    protected virtual bool RequiresIfMatch => false;

    public async Task<TDto> Handle(TCommand request, CancellationToken cancellationToken)
    {
        var id = IdOf(request);
        var aggregate = await aggregates.GetByIdAsync(id, cancellationToken) ?? throw new NotFoundException(resource, id);
        Concurrency.Check(aggregate.Version, request.ExpectedVersion, RequiresIfMatch);
        await ApplyAsync(request, aggregate, cancellationToken);
        return await ViewOfAsync(aggregate, cancellationToken);
    }

    protected abstract Guid IdOf(TCommand command);

    protected abstract Task ApplyAsync(TCommand command, TAggregate aggregate, CancellationToken cancellationToken);

    protected abstract Task<TDto> ViewOfAsync(TAggregate aggregate, CancellationToken cancellationToken);
}
