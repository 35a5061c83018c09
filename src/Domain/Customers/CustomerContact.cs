using System.Net.Mail;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>A person at the customer: a name and at least one way to reach them.</summary>
public sealed record CustomerContact
{
    public const int MaximumNameLength = 200;
    public const int MaximumEmailLength = 254;
    public const int MaximumPhoneLength = 40;

    // For materialisation by persistence only.
    private CustomerContact()
    {
        Name = string.Empty;
    }

    private CustomerContact(string name, string? email, string? phone)
    {
        Name = name;
        Email = email;
        Phone = phone;
    }

    public string Name { get; private set; }

    public string? Email { get; private set; }

    public string? Phone { get; private set; }

    public static CustomerContact Create(string? name, string? email, string? phone)
    {
        var cleanName = name?.Trim() ?? string.Empty;
        if (cleanName.Length is < 2 or > MaximumNameLength || cleanName.Any(Characters.IsControl))
        {
            throw new DomainValidationException("contact.name_invalid", "name", $"A contact name has 2 to {MaximumNameLength} printable characters.");
        }

        var cleanEmail = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (cleanEmail is not null && !IsEmail(cleanEmail))
        {
            throw new DomainValidationException("contact.email_invalid", "email", $"'{Characters.Shown(cleanEmail)}' is not an e-mail address.");
        }

        var cleanPhone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        if (cleanPhone is not null && !IsPhone(cleanPhone))
        {
            throw new DomainValidationException("contact.phone_invalid", "phone", "A phone number has 5 to 20 digits and only spaces, +, -, ., / or brackets besides.");
        }

        if (cleanEmail is null && cleanPhone is null)
        {
            throw new DomainValidationException("contact.unreachable", "email", "A contact needs an e-mail address or a phone number.");
        }

        return new CustomerContact(cleanName, cleanEmail, cleanPhone);
    }

    /// <summary>
    /// An address a reader can trust to be the one it shows, as the other side reads it once it accepts: no white space,
    /// control, direction or other invisible characters (<c>jane‮@apple.com</c>, <c>a@b​.com</c>), a domain whose labels
    /// are parted by ASCII dots only (an ideographic full stop is a dot to a mail client) and do not pass for Latin in
    /// other letters (<c>jane@аpple.com</c> with a Cyrillic а, or its <c>xn--</c> form), and a host name a mail server
    /// can have (no IP literal, no underscore, no label over 63 characters or at a hyphen's edge).
    /// </summary>
    private static bool IsEmail(string value) =>
        value.Length <= MaximumEmailLength &&
        Characters.IsOneVisibleRun(value) &&
        MailAddress.TryCreate(value, out var address) &&
        address.Address == value &&
        address.Host.Contains('.', StringComparison.Ordinal) &&
        !Characters.HasOtherDots(address.Host) &&
        WebDomain.IsHostName(address.Host) &&
        !LatinLookalikes.HostPassesForLatin(address.Host);

    private static bool IsPhone(string value)
    {
        if (value.Length > MaximumPhoneLength || !value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '.' or '/' or '(' or ')'))
        {
            return false;
        }

        var digits = value.Count(char.IsAsciiDigit);
        return digits is >= 5 and <= 20;
    }

    public override string ToString() => Name;
}
