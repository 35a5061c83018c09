using System.Security.Cryptography;
using System.Text;

namespace CoSell.Domain.Users;

/// <summary>
/// CoSell's id for a user, from the subject (<c>sub</c>) its identity provider signs its tokens with: the subject itself
/// when it is a GUID in the hyphenated form, neither empty nor name-based (version 5); otherwise a GUID derived from it by
/// name (RFC 9562 version 5: SHA-1 of the subject in CoSell's namespace), so one subject always gives the same id.
/// A derived id is version 5, and a version-5 subject is never taken as an id, so no subject can be written to
/// stand for the id another subject gives.
/// </summary>
public static class UserIds
{
    /// <summary>OpenID Connect: a subject is at most 255 ASCII characters.</summary>
    public const int MaximumSubjectLength = 255;

    /// <summary>The namespace CoSell derives the ids of subjects that are not GUIDs in.</summary>
    public static readonly Guid SubjectNamespace = new("3d1c6f0e-8b7a-4f43-9d55-6a1e0c2b7f19");

    public static Guid FromSubject(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return IsId(subject, out var id) ? id : NameBased(SubjectNamespace, subject);
    }

    /// <summary>Whether the subject is taken as the id as it stands (and which): a hyphenated GUID, not empty, not version 5.</summary>
    public static bool IsId(string subject, out Guid id) =>
        Guid.TryParseExact(subject, "D", out id) && IsOwnIdShape(id);

    /// <summary>A GUID a subject can be the id as: not empty, and not of the version CoSell derives ids in.</summary>
    public static bool IsOwnIdShape(Guid id) => id != Guid.Empty && id.Version != 5;

    /// <summary>A subject as an identity provider issues one: 1 to 255 visible ASCII characters.</summary>
    public static bool IsSubject(string? subject) =>
        subject is { Length: > 0 and <= MaximumSubjectLength } && subject.All(c => c is > ' ' and <= '~');

    /// <summary>An RFC 9562 version 5 (SHA-1, name-based) UUID of the name in the namespace.</summary>
    public static Guid NameBased(Guid space, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        space.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 9562 defines version 5 on SHA-1: a name-based id, not a security measure.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return new Guid(uuid, bigEndian: true);
    }
}
