namespace CoSell.Domain.SeedWork;

/// <summary>A broken business rule, identified by a stable code such as <c>registration.not_open</c>.</summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>A value that fails its own invariant (an unknown country code, a negative amount).</summary>
public sealed class DomainValidationException(string code, string field, string message) : DomainException(code, message)
{
    public string Field { get; } = field;
}
