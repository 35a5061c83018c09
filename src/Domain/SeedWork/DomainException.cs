namespace CoSell.Domain.SeedWork;

/// <summary>A broken business rule, identified by a stable code such as <c>registration.not_open</c>.</summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>A value that fails its own invariant (an unknown country code, a negative amount).</summary>
public sealed class DomainValidationException(string code, string field, string message) : DomainException(code, message)
{
    /// <summary>Several fields at once, each with what it needs; <paramref name="message"/> says it of them all.</summary>
    public DomainValidationException(string code, IReadOnlyDictionary<string, string> errors, string message)
        : this(code, errors.Keys.First(), message) => Errors = errors;

    /// <summary>The field first named.</summary>
    public string Field { get; } = field;

    /// <summary>Each field refused, with what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; } = new Dictionary<string, string> { [field] = message };
}
