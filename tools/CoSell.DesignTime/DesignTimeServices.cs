using CoSell.Domain.Customers;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

// CSharpHelper is EF Core's own code writer, public but marked internal to EF Core: this is the extension point
// its design-time services offer for literals it cannot write.
#pragma warning disable EF1001

namespace CoSell.DesignTime;

/// <summary>Found by <c>dotnet ef</c> in its start-up project: teaches the compiled-model generator CoSell's value objects.</summary>
public sealed class DesignTimeServices : IDesignTimeServices
{
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection) =>
        serviceCollection.AddSingleton<ICSharpHelper, ValueObjectLiterals>();
}

/// <summary>
/// The generator writes each converted value-type property's sentinel (its "not set" value, used only for generated
/// values) as the stored form: <c>SetSentinelFromProviderValue(…)</c>. <c>default(CountryCode)</c> has no stored form (its
/// value is null), so the generator falls back to a literal of the value object itself, which EF Core cannot write and
/// which the converter could not read back. The stored form of "no country" is null: the property then has no
/// sentinel, which nothing reads, as no country code is ever generated.
/// </summary>
public sealed class ValueObjectLiterals(ITypeMappingSource typeMappingSource) : CSharpHelper(typeMappingSource)
{
    public override string UnknownLiteral(object? value) => value switch
    {
        CountryCode { Value: null } => "null",
        CountryCode code => Literal(code.Value),
        _ => base.UnknownLiteral(value),
    };
}
