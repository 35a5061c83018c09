using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Rules;

namespace CoSell.Application.RulesOfEngagement;

public sealed class ActiveRulesSpec : SingleResultSpecification<Domain.Rules.RulesOfEngagement>
{
    public ActiveRulesSpec() => Query.Where(r => r.IsActive);
}

public sealed class RulesByNumberSpec : SingleResultSpecification<Domain.Rules.RulesOfEngagement>
{
    public RulesByNumberSpec(int number) => Query.Where(r => r.Number == number);
}

public sealed class RulesVersionsSpec : Specification<Domain.Rules.RulesOfEngagement>
{
    public RulesVersionsSpec(PageRequest? page = null)
    {
        Query.OrderByDescending(r => r.Number).AsNoTracking();
        Query.Page(page);
    }
}

/// <summary>Finds the rules a use case judges by.</summary>
public static class RulesLookup
{
    public static async Task<Domain.Rules.RulesOfEngagement> ActiveAsync(this IRepository<Domain.Rules.RulesOfEngagement> rules, CancellationToken cancellationToken) =>
        await rules.FirstOrDefaultAsync(new ActiveRulesSpec(), cancellationToken)
        ?? throw new Domain.SeedWork.DomainException("rules.none_active", "No rules of engagement are active; an admin must publish a version.");

    public static async Task<TierPolicy> PolicyAsync(this IRepository<Domain.Rules.RulesOfEngagement> rules, int? number, Domain.Partners.PartnerTier? tier, CancellationToken cancellationToken)
    {
        var version = number is { } n
            ? await rules.FirstOrDefaultAsync(new RulesByNumberSpec(n), cancellationToken)
            : null;
        version ??= await rules.ActiveAsync(cancellationToken);
        return version.For(tier ?? Domain.Partners.PartnerTier.Registered);
    }

    /// <summary>The rules version a conflict case is judged under (the active one, were it gone).</summary>
    public static async Task<Domain.Rules.RulesOfEngagement> VersionOfCaseAsync(this IRepository<Domain.Rules.RulesOfEngagement> rules, int number, CancellationToken cancellationToken) =>
        await rules.FirstOrDefaultAsync(new RulesByNumberSpec(number), cancellationToken) ?? await rules.ActiveAsync(cancellationToken);

    /// <summary>The conflict SLA of the rules version a conflict case is judged under (the active one's, were it gone).</summary>
    public static async Task<int> ConflictSlaHoursAsync(this IRepository<Domain.Rules.RulesOfEngagement> rules, int number, CancellationToken cancellationToken) =>
        (await rules.VersionOfCaseAsync(number, cancellationToken)).ConflictSlaHours;

    /// <summary>The direct look-back of the rules version a conflict case is judged under (the active one's, were it gone).</summary>
    public static async Task<int> DirectLookbackDaysAsync(this IRepository<Domain.Rules.RulesOfEngagement> rules, int number, CancellationToken cancellationToken) =>
        (await rules.VersionOfCaseAsync(number, cancellationToken)).DirectLookbackDays;
}
