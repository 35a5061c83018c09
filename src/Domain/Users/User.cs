using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Users;

/// <summary>A person who signs in: a vendor employee, or a user of one partner organisation.</summary>
public sealed class User : AggregateRoot
{
    private User()
    {
        UserName = string.Empty;
        DisplayName = string.Empty;
        Role = string.Empty;
    }

    public string UserName { get; private set; }

    public string DisplayName { get; private set; }

    public string Role { get; private set; }

    public Guid? PartnerId { get; private set; }

    public bool IsActive { get; private set; }

    public static User Create(Guid id, string userName, string displayName, string role, Guid? partnerId)
    {
        if (!Roles.All.Contains(role))
        {
            throw new DomainValidationException("user.unknown_role", "role", $"'{role}' is not a CoSell role.");
        }

        if ((role == Roles.Partner) != partnerId.HasValue)
        {
            throw new DomainException("user.partner_mismatch", "Partner users belong to exactly one partner; vendor users to none.");
        }

        return new User { Id = id, UserName = userName, DisplayName = displayName, Role = role, PartnerId = partnerId, IsActive = true };
    }
}
