using System.Reflection;
using CoSell.Application.Behaviours;
using CoSell.Application.Opportunities;
using CoSell.Application.Partners;
using CoSell.Application.Referrals;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using Mapster;

namespace CoSell.Application;

/// <summary>The Application assembly's own parts, for the composition root to register.</summary>
public static class ApplicationParts
{
    public static Assembly Assembly => typeof(ApplicationParts).Assembly;

    /// <summary>Pipeline order: logging → validation → authorisation → unit of work.</summary>
    public static readonly IReadOnlyList<Type> PipelineBehaviours =
    [
        typeof(LoggingBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(AuthorisationBehaviour<,>),
        typeof(UnitOfWorkBehaviour<,>),
    ];

    /// <summary>Every DTO mapping, configured once and compiled at start-up.</summary>
    public static TypeAdapterConfig CreateMappings()
    {
        var config = new TypeAdapterConfig { RequireExplicitMapping = true, RequireDestinationMemberSource = true };
        config.Default.MapToConstructor(true);
        RegistrationMappings.Register(config);
        PartnerMappings.Register(config);
        RulesMappings.Register(config);
        OpportunityMappings.Register(config);
        ReferralMappings.Register(config);
        config.Compile();
        return config;
    }
}
