using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Partners;
using CoSell.Domain.Rules;
using CoSell.Domain.Users;
using FluentValidation;
using Mapster;
using MediatR;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.RulesOfEngagement;

public sealed record TierPolicyDto(PartnerTier Tier, int ProtectionDays, int ExtensionDays, int MaximumExtensions, decimal MinimumDealValue, decimal AutoApproveCeiling, int ReviewSlaHours);

public sealed record RulesDto(
    int Version,
    bool IsActive,
    string Currency,
    IReadOnlyList<TierPolicyDto> Tiers,
    double LikelyDuplicateThreshold,
    double PossibleDuplicateThreshold,
    int DirectLookbackDays,
    int ConflictSlaHours,
    int ReferralAcceptSlaHours,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Explanation);

public static class RulesMappings
{
    public static void Register(TypeAdapterConfig config)
    {
        config.NewConfig<TierPolicy, TierPolicyDto>();
        config.NewConfig<Rules, RulesDto>()
            .Map(d => d.Version, s => s.Number)
            .Map(d => d.Explanation, s => s.Explain());
    }
}

/// <summary>The active rules of engagement, with the plain-words explanation partners read.</summary>
[Authorize]
public sealed record GetActiveRules : IQuery<RulesDto>;

public sealed class GetActiveRulesHandler(IRepository<Rules> rules, TypeAdapterConfig mapping) : IRequestHandler<GetActiveRules, RulesDto>
{
    public async Task<RulesDto> Handle(GetActiveRules request, CancellationToken cancellationToken) =>
        (await rules.ActiveAsync(cancellationToken)).Adapt<RulesDto>(mapping);
}

[Authorize]
public sealed record ListRulesVersions(int? Page, int? PageSize) : IQuery<Paged<RulesDto>>;

public sealed class ListRulesVersionsHandler(IRepository<Rules> rules, TypeAdapterConfig mapping) : IRequestHandler<ListRulesVersions, Paged<RulesDto>>
{
    public async Task<Paged<RulesDto>> Handle(ListRulesVersions request, CancellationToken cancellationToken)
    {
        var page = new PageRequest(request.Page, request.PageSize);
        var items = await rules.ListAsync(new RulesVersionsSpec(page), cancellationToken);
        var total = await rules.CountAsync(new RulesVersionsSpec(), cancellationToken);
        return new Paged<RulesDto>(items.Adapt<List<RulesDto>>(mapping), page.Page, page.PageSize, total);
    }
}

/// <summary>One published version of the rules, active or not, as it was published.</summary>
[Authorize]
public sealed record GetRulesVersion(int Number) : IQuery<RulesDto>;

public sealed class GetRulesVersionHandler(IRepository<Rules> rules, TypeAdapterConfig mapping) : IRequestHandler<GetRulesVersion, RulesDto>
{
    public async Task<RulesDto> Handle(GetRulesVersion request, CancellationToken cancellationToken) =>
        (await rules.FirstOrDefaultAsync(new RulesByNumberSpec(request.Number), cancellationToken)
            ?? throw new NotFoundException("rules version", request.Number)).Adapt<RulesDto>(mapping);
}

public sealed record TierPolicyInput(PartnerTier? Tier, int? ProtectionDays, int? ExtensionDays, int? MaximumExtensions, decimal? MinimumDealValue, decimal? AutoApproveCeiling, int? ReviewSlaHours);

/// <summary>Publishes a new rules version and makes it the active one; earlier versions stay as they were.</summary>
[Authorize(Roles.Admin)]
public sealed record PublishRulesVersion(
    string? Currency,
    IReadOnlyList<TierPolicyInput>? Tiers,
    decimal? LikelyDuplicateThreshold,
    decimal? PossibleDuplicateThreshold,
    int? DirectLookbackDays,
    int? ConflictSlaHours,
    int? ReferralAcceptSlaHours) : ICommand<RulesDto>;

public sealed class PublishRulesVersionValidator : AbstractValidator<PublishRulesVersion>
{
    public PublishRulesVersionValidator()
    {
        // NotEmpty first, so the API description can say a rules version needs its currency.
        RuleFor(r => r.Currency).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Give the currency the tier thresholds are written in, as an ISO 4217 code such as USD.")
            .Must(Domain.Customers.Money.IsKnownCurrency).WithMessage(r => Domain.Customers.Money.UnknownCurrency(Domain.SeedWork.Characters.Shown(r.Currency)));
        RuleFor(r => r.Tiers).Cascade(CascadeMode.Stop).NotNull().Must(t => t!.All(p => p is not null) && t!.Select(p => p.Tier).Distinct().Count() == Enum.GetValues<PartnerTier>().Length && t!.Count == Enum.GetValues<PartnerTier>().Length)
            .WithMessage($"Give exactly one policy for each tier: {string.Join(", ", EnumNames.All(typeof(PartnerTier)))}.");
        // The thresholds are amounts in the rules' currency, held to its minor unit as a deal's value is.
        RuleForEach(r => r.Tiers).NotNull().SetValidator((r, _) => new TierPolicyInputValidator(r.Currency));
        // A threshold is met by a score, and scores are given to four decimals: a finer one could not be told from it.
        // Read as written (a decimal), so a threshold finer than that is refused rather than rounded as a double would be.
        RuleFor(r => r.PossibleDuplicateThreshold).NotNull().ExclusiveBetween(0, 1).Must(ToFourDecimals).WithMessage(FourDecimals);
        RuleFor(r => r.LikelyDuplicateThreshold).NotNull().InclusiveBetween(0, 1).GreaterThan(r => r.PossibleDuplicateThreshold ?? 0).Must(ToFourDecimals).WithMessage(FourDecimals);
        RuleFor(r => r.DirectLookbackDays).NotNull().InclusiveBetween(0, 730);
        RuleFor(r => r.ConflictSlaHours).NotNull().InclusiveBetween(1, Domain.Rules.RulesOfEngagement.MaximumSlaHours);
        RuleFor(r => r.ReferralAcceptSlaHours).NotNull().InclusiveBetween(1, Domain.Rules.RulesOfEngagement.MaximumSlaHours);
    }

    private const string FourDecimals = "A threshold is a score, given to at most four decimals as scores are (0.8555).";

    private static bool ToFourDecimals(decimal? threshold) => threshold is not { } value || decimal.Round(value, 4) == value;
}

/// <summary>One tier's policy in a rules version; every field is needed, its thresholds in the rules' currency.</summary>
public sealed class TierPolicyInputValidator : AbstractValidator<TierPolicyInput>
{
    private const string WithoutCurrency =
        "A threshold is an amount in its rules version's currency, and is checked against that currency's minor unit: give it in a rules version with its currency.";

    /// <summary>
    /// Without a rules version: as the container builds it, for the API description of the fields a policy needs, and it
    /// checks no request (publishing a rules version builds one with its currency). It has no currency to hold a
    /// threshold to, so it takes none, rather than let one finer than its currency takes pass.
    /// </summary>
    public TierPolicyInputValidator()
        : this(null)
    {
        RuleFor(p => p.MinimumDealValue).Must(threshold => threshold is null).WithMessage(WithoutCurrency);
        RuleFor(p => p.AutoApproveCeiling).Must(threshold => threshold is null).WithMessage(WithoutCurrency);
    }

    /// <summary>
    /// With the rules version's currency, whose minor unit the thresholds are held to. A version that gives none, or one
    /// CoSell does not take, is refused on its currency field, and its thresholds are held to nothing more here.
    /// </summary>
    internal TierPolicyInputValidator(string? currency)
    {
        RuleFor(p => p.Tier).NotNull().IsInEnum();
        RuleFor(p => p.ProtectionDays).NotNull().InclusiveBetween(1, 730);
        RuleFor(p => p.ExtensionDays).NotNull().InclusiveBetween(0, 365);
        RuleFor(p => p.MaximumExtensions).NotNull().InclusiveBetween(0, 10);
        RuleFor(p => p.ExtensionDays).GreaterThan(0).When(p => p.MaximumExtensions > 0)
            .WithMessage("An extension of 0 days extends nothing: give extensionDays from 1, or maximumExtensions 0.");
        RuleFor(p => p.MinimumDealValue).NotNull().InclusiveBetween(0, Domain.Customers.Money.MaximumAmount).InMinorUnits(_ => currency);
        RuleFor(p => p.AutoApproveCeiling).NotNull().InclusiveBetween(0, Domain.Customers.Money.MaximumAmount).InMinorUnits(_ => currency);
        // A ceiling is none (0) or one some registrable deal can fall under.
        RuleFor(p => p.AutoApproveCeiling).Must((p, ceiling) => ceiling is not > 0 || p.MinimumDealValue is not { } minimum || ceiling > minimum)
            .WithMessage("The auto-approve ceiling is 0 (no deal is approved at once) or above the minimum deal value; below it no deal could be approved at once.");
        RuleFor(p => p.ReviewSlaHours).NotNull().InclusiveBetween(1, Domain.Rules.RulesOfEngagement.MaximumSlaHours);
    }
}

public sealed class PublishRulesVersionHandler(IRepository<Rules> rules, ICurrentUser user, TimeProvider time, TypeAdapterConfig mapping)
    : IRequestHandler<PublishRulesVersion, RulesDto>
{
    public async Task<RulesDto> Handle(PublishRulesVersion request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await rules.FirstOrDefaultAsync(new ActiveRulesSpec(), cancellationToken);
        var latest = (await rules.ListAsync(new RulesVersionsSpec(new PageRequest(1, 1)), cancellationToken)).FirstOrDefault();
        var next = Rules.Create(
            (latest?.Number ?? 0) + 1,
            request.Currency!,
            request.Tiers!.Select(t => new TierPolicy(t.Tier!.Value, t.ProtectionDays!.Value, t.ExtensionDays!.Value, t.MaximumExtensions!.Value, t.MinimumDealValue!.Value, t.AutoApproveCeiling!.Value, t.ReviewSlaHours!.Value)).ToList(),
            (double)request.LikelyDuplicateThreshold!.Value,
            (double)request.PossibleDuplicateThreshold!.Value,
            request.DirectLookbackDays!.Value,
            request.ConflictSlaHours!.Value,
            request.ReferralAcceptSlaHours!.Value,
            user.UserId,
            now);
        current?.Supersede(user.UserId, now);
        next.Activate(user.UserId, now);
        rules.Add(next);
        return next.Adapt<RulesDto>(mapping);
    }
}
