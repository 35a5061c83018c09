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

    /// <summary>
    /// The subject its tokens carry when that is not its id (a subject that is no GUID: its id is derived from it,
    /// <see cref="UserIds"/>); null when the id is the subject.
    /// </summary>
    public string? Subject { get; private set; }

    public static User Create(Guid id, string userName, string displayName, string role, Guid? partnerId, string? subject = null)
    {
        if (!Roles.All.Contains(role))
        {
            throw new DomainValidationException("user.unknown_role", "role", $"'{Characters.Shown(role)}' is not a CoSell role.");
        }

        if ((role == Roles.Partner) != partnerId.HasValue)
        {
            throw new DomainException("user.partner_mismatch", "Partner users belong to exactly one partner; vendor users to none.");
        }

        if (id == Guid.Empty || (subject is not null && UserIds.FromSubject(subject) != id))
        {
            throw new DomainException("user.subject_mismatch", "A user's id is the one its subject gives.");
        }

        return new User
        {
            Id = id, UserName = userName, DisplayName = displayName, Role = role, PartnerId = partnerId, IsActive = true,
            Subject = subject is null || subject == id.ToString() ? null : subject,
        };
    }

    /// <summary>
    /// An admin adds a user under the subject (<c>sub</c>) its identity provider signs its tokens with, which gives its
    /// id (<see cref="UserIds"/>), so that CoSell can assign it (a channel manager to partners, a rep to deals, an arbiter
    /// to cases) and name it.
    /// </summary>
    public static User Register(string subject, string userName, string displayName, string role, Guid? partnerId, string actor, DateTimeOffset at)
    {
        var id = UserIds.FromSubject(subject);
        var user = Create(id, userName.Trim(), displayName.Trim(), role, partnerId, subject);
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
