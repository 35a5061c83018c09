using System.Text;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;

namespace CoSell.Domain.Customers.Identity;

/// <summary>What kind of claim holds a customer.</summary>
public enum ClaimKind : byte
{
    /// <summary>A partner's deal registration.</summary>
    Registration,

    /// <summary>A direct sales opportunity of the vendor.</summary>
    DirectOpportunity,
}

/// <summary>
/// A live claim on a customer, as the duplicate check sees it: who holds it (<see cref="PartnerId"/> is
/// null for the vendor's direct sales), the normalised customer, the product lines, a status in words with what
/// <see cref="ClaimedAt"/> is the time of ("submitted", "approved", "action required, submitted", "open direct
/// opportunity"), that time (the submission, or an approved registration's approval) and how long it is protected.
/// </summary>
public sealed record CustomerClaim(
    Guid ClaimId,
    ClaimKind Kind,
    Guid? PartnerId,
    NormalisedCustomer Customer,
    IReadOnlyList<string> ProductLines,
    string Status,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? ProtectedUntil)
{
    public const int MaximumStatusLength = 40;

    /// <summary>
    /// The claim a registration makes. It is live while <see cref="RegistrationLifecycle.ActiveClaim"/>
    /// holds its status; the caller upserts it then and removes it from the index otherwise.
    /// </summary>
    public static CustomerClaim ForRegistration(DealRegistration registration, CustomerNormaliser normaliser)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return ForRegistration(new RegistrationFacts(registration.Id, registration.PartnerId, StoredCustomer.Of(registration.Customer), registration.ProductLines,
            registration.Status, registration.CreatedAt, registration.SubmittedAt, registration.DecidedAt, registration.ProtectionEndsAt), normaliser);
    }

    /// <summary>The claim a registration makes, from the few facts about it the claim needs (loading them is cheaper than loading the registration).</summary>
    public static CustomerClaim ForRegistration(RegistrationFacts registration, CustomerNormaliser normaliser)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(normaliser);
        var approved = registration.Status == RegistrationStatus.Approved && registration.DecidedAt is not null;
        var since = approved ? registration.DecidedAt!.Value : registration.SubmittedAt ?? registration.CreatedAt;
        // The time is of the submission unless the claim was approved: a registration returned for action, under review
        // or in conflict says so, and when it was submitted, not when it came to be so.
        var status = Words(registration.Status.ToString());
        return new CustomerClaim(
            registration.Id,
            ClaimKind.Registration,
            registration.PartnerId,
            normaliser.Normalise(registration.Customer),
            registration.ProductLines,
            approved || registration.Status == RegistrationStatus.Submitted || registration.SubmittedAt is null ? status : $"{status}, submitted",
            since,
            registration.ProtectionEndsAt);
    }

    /// <summary>
    /// The claim a direct opportunity of the vendor makes while it is open; the matcher weighs it only
    /// inside the rules' direct-engagement look-back.
    /// </summary>
    public static CustomerClaim ForDirectOpportunity(Opportunity opportunity, CustomerNormaliser normaliser)
    {
        ArgumentNullException.ThrowIfNull(opportunity);
        return ForDirectOpportunity(opportunity.Id, StoredCustomer.Of(opportunity.Customer), opportunity.CreatedAt, normaliser);
    }

    /// <summary>An open direct opportunity's claim from what is stored of it: its id, customer and creation.</summary>
    public static CustomerClaim ForDirectOpportunity(Guid opportunityId, StoredCustomer customer, DateTimeOffset createdAt, CustomerNormaliser normaliser)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(normaliser);
        return new CustomerClaim(
            opportunityId,
            ClaimKind.DirectOpportunity,
            null,
            normaliser.Normalise(customer),
            [],
            "open direct opportunity",
            createdAt,
            null);
    }

    /// <summary>Whether an opportunity is a live direct claim on its customer.</summary>
    public static bool IsLiveDirectClaim(Opportunity opportunity) =>
        opportunity.Source.Kind == OpportunitySourceKind.Direct && opportunity.IsOpen;

    /// <summary>"ActionRequired" → "action required".</summary>
    private static string Words(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}

/// <summary>What a registration's claim is made of.</summary>
public sealed record RegistrationFacts(
    Guid Id,
    Guid PartnerId,
    StoredCustomer Customer,
    IReadOnlyList<string> ProductLines,
    RegistrationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ProtectionEndsAt);

/// <summary>
/// The values of a validated <see cref="Customers.Customer"/> that identify it, as stored: what the claims index
/// reads back at start-up without rebuilding (and re-validating) each customer.
/// </summary>
public sealed record StoredCustomer(string Name, string? RegistrableDomain, string? Duns, string Country)
{
    public static StoredCustomer Of(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new StoredCustomer(customer.Name.Value, customer.Domain?.Registrable, customer.Duns?.Value, customer.Country.Value);
    }
}
