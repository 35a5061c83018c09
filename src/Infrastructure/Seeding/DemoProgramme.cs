using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Seeding;

/// <summary>The demo programme seeded in Development: vendor users, three partners, a few registrations.</summary>
public sealed class DemoProgramme(CoSellDbContext db, IUnitOfWork unitOfWork, IRepository<RulesOfEngagement> rules, TimeProvider time)
{
    public static readonly Guid Admin = new("00000000-0000-0000-0000-0000000000a1");
    public static readonly Guid Manager = new("00000000-0000-0000-0000-0000000000c1");
    public static readonly Guid Manager2 = new("00000000-0000-0000-0000-0000000000c2");
    public static readonly Guid Arbiter = new("00000000-0000-0000-0000-0000000000b1");
    public static readonly Guid Rep = new("00000000-0000-0000-0000-0000000000d1");
    public static readonly Guid Northwind = new("10000000-0000-0000-0000-000000000001");
    public static readonly Guid Fabrikam = new("10000000-0000-0000-0000-000000000002");
    public static readonly Guid Adatum = new("10000000-0000-0000-0000-000000000003");
    public static readonly Guid NorthwindUser = new("20000000-0000-0000-0000-000000000001");
    public static readonly Guid FabrikamUser = new("20000000-0000-0000-0000-000000000002");
    public static readonly Guid AdatumUser = new("20000000-0000-0000-0000-000000000003");

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Added as an admin adds users, so each is at version 1 with its "user.created" audit row, like every other aggregate.
        db.Users.AddRange(
            User.Register(Admin.ToString(), "admin", "Avery Admin", Roles.Admin, null, "system", now),
            User.Register(Manager.ToString(), "manager", "Morgan Manager", Roles.ChannelManager, null, "system", now),
            User.Register(Manager2.ToString(), "manager2", "Max Manager", Roles.ChannelManager, null, "system", now),
            User.Register(Arbiter.ToString(), "arbiter", "Ari Arbiter", Roles.Arbiter, null, "system", now),
            User.Register(Rep.ToString(), "rep", "Riley Rep", Roles.Rep, null, "system", now),
            User.Register(NorthwindUser.ToString(), "partner.northwind", "Nina (Northwind)", Roles.Partner, Northwind, "system", now),
            User.Register(FabrikamUser.ToString(), "partner.fabrikam", "Felix (Fabrikam)", Roles.Partner, Fabrikam, "system", now),
            User.Register(AdatumUser.ToString(), "partner.adatum", "Aiko (Adatum)", Roles.Partner, Adatum, "system", now));

        var northwind = Partner.Create(Northwind, "Northwind Systems", PartnerTier.Gold, ["US", "CA"], Manager, "system", now);
        var fabrikam = Partner.Create(Fabrikam, "Fabrikam Consulting", PartnerTier.Silver, ["DE", "AT", "CH"], Manager, "system", now);
        var adatum = Partner.Create(Adatum, "Adatum Partners", PartnerTier.Registered, ["JP"], Manager, "system", now);
        db.Partners.AddRange(northwind, fabrikam, adatum);

        var active = await rules.ActiveAsync(cancellationToken);
        var close = DateOnly.FromDateTime(now.UtcDateTime).AddMonths(3);
        var actor = NorthwindUser.ToString();

        var draft = Register(Northwind, actor, "Contoso Pharmaceuticals", "contoso-pharma.com", "US", ["Analytics"], 80_000m, close, now);
        var pending = Register(Northwind, actor, "Litware Inc.", "https://www.litware.com", "US", ["Security", "Cloud"], 150_000m, close, now);
        pending.Submit(northwind, active, DuplicateAssessment.Clear, actor, now);
        var approved = Register(Fabrikam, FabrikamUser.ToString(), "Wingtip Toys GmbH", "wingtiptoys.de", "DE", ["Cloud"], 18_000m, close, now);
        approved.Submit(fabrikam, active, DuplicateAssessment.Clear, FabrikamUser.ToString(), now);
        var returned = Register(Adatum, AdatumUser.ToString(), "Tailspin Kabushiki Kaisha", "tailspin.co.jp", "JP", ["Security"], 40_000m, close, now);
        returned.Submit(adatum, active, DuplicateAssessment.Clear, AdatumUser.ToString(), now);
        returned.ReturnForAction("Please add the customer's DUNS number and the budget owner.", Manager.ToString(), now);
        db.Registrations.AddRange(draft, pending, approved, returned);
        await unitOfWork.CommitAsync(cancellationToken);
    }

    private static DealRegistration Register(Guid partner, string user, string name, string domain, string country, string[] products, decimal value, DateOnly close, DateTimeOffset at) =>
        DealRegistration.Draft(Guid.CreateVersion7(), partner, user, Customer.Create(name, domain, country, null), products, Money.Of(value, "USD"), close, null, at);
}
