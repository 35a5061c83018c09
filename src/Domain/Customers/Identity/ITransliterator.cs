namespace CoSell.Domain.Customers.Identity;

/// <summary>Writes text of any script in ASCII letters (Газпром → Gazprom, 北京 → BeiJing); implemented outside the domain.</summary>
public interface ITransliterator
{
    string ToAscii(string text);
}
