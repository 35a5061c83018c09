using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using Mapster;

namespace CoSell.Application.Registrations;

/// <summary>Maps a registration for the caller: a partner learns the duplicate verdict and nothing about the other claims.</summary>
public sealed class RegistrationView(TypeAdapterConfig mapping, ICurrentUser user)
{
    public RegistrationDto For(DealRegistration registration)
    {
        var dto = registration.Adapt<RegistrationDto>(mapping);
        return user.IsPartner() ? dto with { Duplicate = dto.Duplicate with { Score = null, Reasons = [] } } : dto;
    }
}
