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

    public const int MaximumUserNameLength = 100;

    public const int MaximumDisplayNameLength = 200;

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

    /// <summary>
    /// An admin adds a user: the id is the subject (<c>sub</c>) its identity provider signs its tokens with, so that
    /// CoSell can assign it (a channel manager to partners, a rep to deals, an arbiter to cases) and name it.
    /// </summary>
    public static User Register(Guid id, string userName, string displayName, string role, Guid? partnerId, string actor, DateTimeOffset at)
    {
        var user = Create(id, userName.Trim(), displayName.Trim(), role, partnerId);
        user.Raise(new UserChanged(id, "user.created", $"User '{user.UserName}' ({user.DisplayName}) added as {role}.", actor, at));
        return user;
    }

    public void Rename(string displayName, string actor, DateTimeOffset at)
    {
        var trimmed = displayName.Trim();
        if (trimmed == DisplayName)
        {
            return;
        }

        DisplayName = trimmed;
        Raise(new UserChanged(Id, "user.renamed", $"User '{UserName}' is now shown as {DisplayName}.", actor, at));
    }

    /// <summary>An inactive user is assigned nothing new: no partners, deals or cases, and no development token.</summary>
    public void SetActive(bool active, string actor, DateTimeOffset at)
    {
        if (active == IsActive)
        {
            return;
        }

        IsActive = active;
        Raise(new UserChanged(Id, active ? "user.reactivated" : "user.deactivated", $"User '{UserName}' {(active ? "reactivated" : "deactivated")}.", actor, at));
    }
}

public sealed record UserChanged(Guid UserId, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent;
