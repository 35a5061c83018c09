using CoSell.Domain.Customers;
using CoSell.Domain.Registrations;
using Mapster;

namespace CoSell.Application.Registrations;

public static class RegistrationMappings
{
    public static void Register(TypeAdapterConfig config)
    {
        config.NewConfig<Customer, CustomerDto>()
            .MapWith(c => new CustomerDto(c.Name.Value, c.Domain == null ? null : c.Domain.Host, c.Domain == null ? null : c.Domain.Registrable, c.Country.Value, c.Duns == null ? null : c.Duns.Value.Value));

        config.NewConfig<Money, MoneyDto>()
            .MapWith(m => new MoneyDto(m.Amount, m.Currency));

        config.NewConfig<DuplicateAssessment, DuplicateDto>()
            .MapWith(d => new DuplicateDto(d.Verdict, d.Score, d.Reasons));

        config.NewConfig<DealRegistration, RegistrationDto>()
            .Map(d => d.ProtectionEndsAt, s => ShownProtectionEnd(s.Status, s.ProtectionEndsAt))
            // A review is due only while one is awaited: once approved, rejected, returned, withdrawn or taken into a
            // conflict case, nobody reviews it by then (the timeline keeps when it was due).
            .Map(d => d.ReviewDueAt, s => s.AwaitsReview ? s.ReviewDueAt : null)
            .Map(d => d.Duplicate, s => s.Duplicate);
    }

    /// <summary>
    /// The end of protection a reader is shown, in a read and in a push alike. A registration turned down or withdrawn
    /// protects nothing; the window it held stays stored, for a reopened conflict case that awards it again to go on with.
    /// </summary>
    public static DateTimeOffset? ShownProtectionEnd(RegistrationStatus status, DateTimeOffset? protectionEndsAt) =>
        status is RegistrationStatus.Rejected or RegistrationStatus.Withdrawn ? null : protectionEndsAt;
}
