namespace CoSell.Application.Abstractions;

/// <summary>The resource does not exist, or the caller may not know that it does (answered 404).</summary>
public sealed class NotFoundException(string resource, object id)
    : Exception($"No {resource} '{id}' was found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The caller's role may not do this (answered 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>No signed-in user (answered 401).</summary>
public sealed class UnauthenticatedException() : Exception("Sign in to use this resource.");

/// <summary>The caller's copy is stale: its If-Match names an older version, or no version at all (answered 412).</summary>
public sealed class PreconditionFailedException(long current, bool namedNoVersion = false, Guid? aggregateId = null)
    : Exception(namedNoVersion
        ? $"If-Match names no version of this resource (a weak W/ tag or a tag this service did not issue never matches); it is at version {current}. Send its ETag as it was given."
        : $"The resource has changed since you read it; it is now at version {current}. Read it again and retry.")
{
    public long CurrentVersion { get; } = current;

    /// <summary>The aggregate that had moved on, when known (a commit can fail on another than the one the request names).</summary>
    public Guid? AggregateId { get; } = aggregateId;
}

/// <summary>An update came without If-Match (answered 428).</summary>
public sealed class PreconditionRequiredException()
    : Exception("Updates need an If-Match header with the ETag you read (\"*\" does not say which version you changed).");
