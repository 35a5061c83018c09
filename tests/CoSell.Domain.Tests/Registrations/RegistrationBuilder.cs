using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Rules;

namespace CoSell.Domain.Tests.Registrations;

/// <summary>Builds registrations in any state through their own methods.</summary>
public sealed class RegistrationBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static readonly RulesOfEngagement Rules = CreateRules();

    private decimal _amount = 120_000m;
    private string _currency = "USD";
    private PartnerTier _tier = PartnerTier.Gold;
    private string _country = "US";
    private string[] _territories = ["US"];

    public Partner Partner { get; private set; } = null!;

    public RegistrationBuilder Worth(decimal amount, string currency = "USD")
    {
        _amount = amount;
        _currency = currency;
        return this;
    }

    public RegistrationBuilder ForTier(PartnerTier tier)
    {
        _tier = tier;
        return this;
    }

    /// <summary>The customer's country and the countries the registering partner sells in.</summary>
    public RegistrationBuilder In(string country, params string[] territories)
    {
        _country = country;
        _territories = territories;
        return this;
    }

    public DealRegistration Draft()
    {
        Partner = Partner.Create(Guid.NewGuid(), "Northwind Systems", _tier, _territories, Guid.NewGuid(), "admin", Now);
        return DealRegistration.Draft(
            Guid.NewGuid(), Partner.Id, "user-1",
            Customer.Create("Acme Corporation", "acme.com", _country, null),
            ["Security"], Money.Of(_amount, _currency), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(60), null, Now);
    }

    public DealRegistration In(RegistrationStatus status)
    {
        var r = Draft();
        var policy = Rules.For(_tier);
        switch (status)
        {
            case RegistrationStatus.Draft:
                break;
            case RegistrationStatus.Submitted:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                break;
            case RegistrationStatus.UnderReview:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.StartReview("manager", Now);
                break;
            case RegistrationStatus.ActionRequired:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.ReturnForAction("More detail", "manager", Now);
                break;
            case RegistrationStatus.InConflict:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.FlagConflict("same domain", "system", Now);
                break;
            case RegistrationStatus.Approved:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.Approve(policy, "manager", Now);
                break;
            case RegistrationStatus.Rejected:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.Reject(RejectionReason.NotQualified, null, "manager", Now);
                break;
            case RegistrationStatus.Won:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.Approve(policy, "manager", Now);
                r.Close(CloseOutcome.Won, null, null, "user-1", Now);
                break;
            case RegistrationStatus.Lost:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.Approve(policy, "manager", Now);
                r.Close(CloseOutcome.Lost, LossReason.Price, null, "user-1", Now);
                break;
            case RegistrationStatus.Expired:
                r.Submit(Partner, Rules, DuplicateAssessment.Clear, "user-1", Now);
                r.Approve(policy, "manager", Now);
                r.Expire(Now.AddDays(policy.ProtectionDays));
                break;
            case RegistrationStatus.Withdrawn:
                r.Withdraw(null, "user-1", Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }

        r.Status.Should().Be(status);
        r.ClearDomainEvents();
        return r;
    }

    private static RulesOfEngagement CreateRules()
    {
        var rules = RulesOfEngagement.Defaults("system", Now.AddDays(-1));
        rules.Activate("system", Now.AddDays(-1));
        return rules;
    }
}
