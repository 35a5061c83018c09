using CoSell.Domain.Referrals;
using Mapster;

namespace CoSell.Application.Referrals;

public static class ReferralMappings
{
    public static void Register(TypeAdapterConfig config) =>
        config.NewConfig<Referral, ReferralDto>();
}
