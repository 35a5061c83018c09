using CoSell.Domain.Referrals;
using Mapster;

namespace CoSell.Application.Referrals;

public static class ReferralMappings
{
    public static void Register(TypeAdapterConfig config) =>
        config.NewConfig<Referral, ReferralDto>()
            .Map(d => d.Direction, s => s.Direction.ToString())
            .Map(d => d.Status, s => s.Status.ToString())
            .Map(d => d.DeclineReason, s => s.DeclineReason == null ? null : s.DeclineReason.ToString())
            .Map(d => d.ConvertedTo, s => s.ConvertedTo == null ? null : s.ConvertedTo.ToString());
}
