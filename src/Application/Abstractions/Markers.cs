using MediatR;

namespace CoSell.Application.Abstractions;

/// <summary>A request that changes state; the unit-of-work behaviour commits it once.</summary>
public interface ICommand<out TResult> : IRequest<TResult>;

/// <summary>A request that only reads.</summary>
public interface IQuery<out TResult> : IRequest<TResult>;

/// <summary>Limits a request to the listed roles; others get 403.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class AuthorizeAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Checks the current user against the resource a request names (404 when the user may not know it exists, 403 when it may not act).</summary>
public interface IResourceAuthorizer<in TRequest>
{
    Task AuthorizeAsync(TRequest request, ICurrentUser user, CancellationToken cancellationToken);
}

/// <summary>An update that must name the version it read (If-Match).</summary>
public interface IVersionedCommand
{
    IfMatch? ExpectedVersion { get; }

    /// <summary>
    /// The aggregate whose version <see cref="ExpectedVersion"/> names; null when the request names it by something else
    /// (an account list by its population) and changes no other aggregate whose version could fail the commit.
    /// </summary>
    Guid? VersionedId { get; }
}

/// <summary>A resource's state as answered, with the version its ETag carries and the next If-Match names.</summary>
public interface IVersionedDto
{
    long Version { get; }

    /// <summary>
    /// Whether another read at the same version would answer the same (a 304 may stand for it): false while the answer
    /// holds what the clock decides and no change has yet recorded.
    /// </summary>
    bool IsAnsweredByItsVersion() => true;
}
