using CoSell.Domain.SeedWork;

namespace CoSell.Application.Abstractions;

/// <summary>
/// The resource does not exist, or the caller may not know that it does (answered 404). The id is said back as any refused
/// value is (<see cref="Characters.Shown"/>): a name taken from the path may be long, or hold characters that show nothing.
/// </summary>
public sealed class NotFoundException(string resource, object id)
    : Exception($"No {resource} '{Characters.Shown(Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture))}' was found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The caller's role may not do this (answered 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>No signed-in user (answered 401).</summary>
public sealed class UnauthenticatedException() : Exception("Sign in to use this resource.");

/// <summary>
/// The caller's If-Match names another version than the stored one (an older one, one there never was) or no version at
/// all (answered 412). Worded so that it is true of each: a version that never existed has not "changed".
/// </summary>
public sealed class PreconditionFailedException(long current, bool namedNoVersion = false, Guid? aggregateId = null, bool exists = true, string? message = null)
    : Exception(message ?? (!exists
        ? "There is no such resource yet, so If-Match (even *) names none of its versions; send the request without If-Match to create it."
        : namedNoVersion
        ? $"If-Match names no version of this resource (a weak W/ tag or a tag this service did not issue never matches); it is at version {current}. Send its ETag as it was given."
        : $"If-Match does not match the current version {current} of the resource. Read it again and retry with its ETag."))
{
    public long CurrentVersion { get; } = current;

    /// <summary>The aggregate that had moved on, when known (a commit can fail on another than the one the request names).</summary>
    public Guid? AggregateId { get; } = aggregateId;

    /// <summary>False when there is no such resource yet: it has no version to answer, and no If-Match matches it.</summary>
    public bool Exists { get; } = exists;

    /// <summary>The caller's If-None-Match refused the change (its answer is titled so).</summary>
    public bool OfIfNoneMatch { get; private init; }

    public static PreconditionFailedException NoResourceYet() => new(0, exists: false);

    /// <summary>If-None-Match names the version stored (<c>*</c>: any), so the change is not made.</summary>
    public static PreconditionFailedException AlreadyThere(long current, IfNoneMatch condition) => new(current, message: condition switch
    {
        { Unreadable: true } => $"If-None-Match is not a list of ETags, so it is read as *, which asks for this only where there is none yet, and there is one, at version {current}. Send its ETag in If-Match to replace it.",
        { AnyVersion: true } => $"If-None-Match: * asks for this only where there is none yet, and there is one, at version {current}. Send its ETag in If-Match to replace it.",
        _ => $"If-None-Match names the current version {current} of the resource, so the change is not made.",
    })
    {
        OfIfNoneMatch = true,
    };
}

/// <summary>An update came without an If-Match naming a version (answered 428).</summary>
public sealed class PreconditionRequiredException()
    : Exception("If-Match is missing: this change needs one with the ETag of the resource as you read it.");

/// <summary>
/// The command lost, at its commit, to another committed a moment earlier: on an aggregate it changes while the caller
/// set no precondition (<c>conflict.concurrent_change</c>), or on one it rests on (<c>{kind}.changed</c>). Answered 409;
/// a command marked <see cref="IRetriedOnConcurrentChange"/> is decided again on what is stored now first.
/// </summary>
public sealed class ConcurrentChangeException(string code, string message) : Domain.SeedWork.DomainException(code, message);

/// <summary>
/// A command decided again, from its validation on, when it loses to a concurrent change that its caller did not
/// guard against (no If-Match, or one on another aggregate than the one that moved): adding a note, a statement or an
/// invitation beside another, or assigning a partner to a channel manager beside another assignment; and the periodic
/// jobs' batches (expiries, escalations), so that one change to one of their rows does not hold back the whole batch
/// until the next tick. Such a command is a function of its request and what is stored, and holds nothing outside its
/// unit of work between attempts.
/// </summary>
public interface IRetriedOnConcurrentChange;
