using CoSell.Domain.Customers.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Infrastructure.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the customer identity engine as singletons: the AnyAscii transliterator, the normaliser,
    /// the in-memory claims index (empty: load it from the live claims at start-up) and the matcher.
    /// </summary>
    public static IServiceCollection AddCustomerIdentity(this IServiceCollection services)
    {
        services.AddSingleton<ITransliterator>(AnyAsciiTransliterator.Instance);
        services.AddSingleton(sp => new CustomerNormaliser(sp.GetRequiredService<ITransliterator>()));
        services.AddSingleton(_ => new ClaimsIndex());
        services.AddSingleton(sp => new CustomerMatcher(sp.GetRequiredService<ClaimsIndex>()));
        return services;
    }
}
