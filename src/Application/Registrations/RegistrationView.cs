using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using Mapster;

namespace CoSell.Application.Registrations;

/// <summary>
/// Maps a registration for the caller: a partner learns the duplicate verdict and nothing about the other claims. A
/// registration never submitted has had no duplicate check, so it shows none (null), not a "clear" nobody judged.
/// </summary>
public sealed class RegistrationView(TypeAdapterConfig mapping, ICurrentUser user)
{
    public RegistrationDto For(DealRegistration registration)
    {
        var dto = registration.Adapt<RegistrationDto>(mapping);
        if (registration.SubmittedAt is null || dto.Duplicate is null)
        {
            return dto with { Duplicate = null };
        }

        return user.IsPartner() ? dto with { Duplicate = dto.Duplicate with { Score = null, Reasons = [] } } : dto;
    }
}
