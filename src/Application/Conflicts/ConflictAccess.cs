using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;

namespace CoSell.Application.Conflicts;

/// <summary>A request about one conflict case.</summary>
public interface IConflictRequest
{
    Guid ConflictId { get; }
}

/// <summary>A change to one case that may name the version it read.</summary>
public interface IConflictCommand : ICommand<ConflictDto>, IConflictRequest, IVersionedCommand
{
    Guid? IVersionedCommand.VersionedId => ConflictId;
}

/// <summary>
/// A case exists only for the vendor roles that oversee conflicts and for its own parties; to anyone
/// else (another partner, a rep with no claim in it) it is a 404.
/// </summary>
public sealed class ConflictAuthorizer<TRequest>(IRepository<ChannelConflict> conflicts, ConflictView view) : IResourceAuthorizer<TRequest>
    where TRequest : IConflictRequest
{
    public async Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken)
    {
        var conflict = await conflicts.GetByIdAsync(request.ConflictId, cancellationToken);
        if (conflict is null || (!view.SeesEverything && !view.IsParty(conflict)))
        {
            throw new NotFoundException("conflict", request.ConflictId);
        }
    }
}

