namespace CoSell.Domain.SeedWork;

/// <summary>A named rule an aggregate checks before it changes.</summary>
public interface IBusinessRule
{
    string Code { get; }

    string Message { get; }

    bool IsBroken();
}

public static class BusinessRule
{
    public static void Check(IBusinessRule rule)
    {
        if (rule.IsBroken())
        {
            throw new DomainException(rule.Code, rule.Message);
        }
    }
}
