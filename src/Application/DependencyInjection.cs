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

    /// <summary>
    /// Pipeline order: logging → role (401/403) → retry on a concurrent change → validation (400) → resource
    /// authorisation (404/403) → unit of work: a command decided again is validated and authorised again on what it reads.
    /// </summary>
    public static readonly IReadOnlyList<Type> PipelineBehaviours =
    [
        typeof(LoggingBehaviour<,>),
        typeof(RoleBehaviour<,>),
        typeof(RetryBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(AuthorisationBehaviour<,>),
        typeof(UnitOfWorkBehaviour<,>),
    ];

    /// <summary>Every DTO mapping, configured once and compiled (which also checks every mapping is complete).</summary>
    public static TypeAdapterConfig CreateMappings()
    {
        var config = ConfigureMappings();
        config.Compile();
        return config;
    }

    /// <summary>
    /// Every DTO mapping, configured but not compiled: the service compiles each on its first use rather than spend a
    /// fifth of a second of CPU at start-up; <c>MappingTests</c> compile them all, so a broken mapping fails the build.
    /// </summary>
    public static TypeAdapterConfig ConfigureMappings()
    {
        var config = new TypeAdapterConfig { RequireExplicitMapping = true, RequireDestinationMemberSource = true };
        config.Default.MapToConstructor(true);
        RegistrationMappings.Register(config);
        PartnerMappings.Register(config);
        Users.UserMappings.Register(config);
        RulesMappings.Register(config);
        OpportunityMappings.Register(config);
        ReferralMappings.Register(config);
        return config;
    }
}
