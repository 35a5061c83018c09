using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Referrals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoSell.Infrastructure.Persistence.Configurations;

/// <summary>
/// How the value objects shared by several aggregates are stored in their owner's row: as complex properties, values
/// with no identity of their own, so that the change tracker and the update pipeline deal with one entry per row (but
/// for an opportunity's source, ADR 0017).
/// </summary>
internal static class ValueObjectColumns
{
    public static void Customer(ComplexPropertyBuilder<Customer> customer)
    {
        customer.Property(c => c.Name).HasColumnName("customer_name").HasMaxLength(CompanyName.MaximumLength)
            .HasConversion(v => v.Value, v => CompanyName.From(v));
        customer.Property(c => c.Country).HasColumnName("customer_country").HasMaxLength(2)
            .HasConversion(v => v.Value, v => CountryCode.From(v));
        customer.Property(c => c.Duns).HasColumnName("customer_duns").HasMaxLength(9)
            .HasConversion(v => v!.Value.Value, v => Duns.Stored(v));
        customer.ComplexProperty(c => c.Domain, domain =>
        {
            domain.Property(d => d.Host).HasColumnName("customer_domain").HasMaxLength(253);
            domain.Property(d => d.Registrable).HasColumnName("customer_registrable_domain").HasMaxLength(253);
        });
    }

    public static void Contact(ComplexPropertyBuilder<CustomerContact> contact)
    {
        contact.Property(c => c.Name).HasColumnName("contact_name").HasMaxLength(CustomerContact.MaximumNameLength).IsRequired();
        contact.Property(c => c.Email).HasColumnName("contact_email").HasMaxLength(CustomerContact.MaximumEmailLength);
        contact.Property(c => c.Phone).HasColumnName("contact_phone").HasMaxLength(CustomerContact.MaximumPhoneLength);
    }

    public static void Money(ComplexPropertyBuilder<Money> money, string prefix)
    {
        // To the thousandth, the finest minor unit (BHD, KWD and the other three-decimal currencies; ADR 0022). SQLite
        // keeps the decimal's text, so an amount reads back exactly; EF Core compares and orders such a column as numbers.
        money.Property(m => m.Amount).HasColumnName($"{prefix}_amount").HasPrecision(18, 3).IsRequired();
        money.Property(m => m.Currency).HasColumnName($"{prefix}_currency").HasMaxLength(3).IsRequired();
    }
}

internal sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.ToTable("opportunities");
        builder.ComplexProperty(o => o.Customer, ValueObjectColumns.Customer);
        builder.ComplexProperty(o => o.Contact, ValueObjectColumns.Contact);
        builder.ComplexProperty(o => o.Amount, money => ValueObjectColumns.Money(money, "amount"));
        builder.OwnsOne(o => o.Source, source =>
        {
            source.Property(s => s.Kind).HasColumnName("source_kind");
            source.Property(s => s.ReferenceId).HasColumnName("source_id");
            source.HasIndex(s => new { s.Kind, s.ReferenceId });
            // One deal per approved registration, even when two conversions race each other to the commit: one opportunity
            // that is not closed as lost (the deals it lost before, by a decision or by its rep, are history beside it).
            source.HasIndex(s => s.ReferenceId).IsUnique().HasFilter("source_kind = 'Registration' AND Stage <> 'ClosedLost'").HasDatabaseName("UX_opportunities_registration_source");
        });
        builder.Navigation(o => o.Source).IsRequired();
        builder.OwnsMany(o => o.Participants, participant =>
        {
            participant.ToTable("opportunity_participants");
            participant.WithOwner().HasForeignKey(p => p.OpportunityId);
            participant.HasKey(p => p.Id);
            participant.Property(p => p.Id).ValueGeneratedNever();
            participant.Property(p => p.InvitedBy).HasMaxLength(100);
            participant.Property(p => p.Message).HasMaxLength(Opportunity.MaximumMessageLength);
            participant.Property(p => p.RejectionReason).HasMaxLength(Opportunity.MaximumMessageLength);
            participant.Ignore(p => p.IsActive);
            participant.HasIndex(p => new { p.PartnerId, p.Status });
            participant.HasIndex(p => new { p.Status, p.RespondBy });
        });
        builder.Navigation(o => o.Participants).HasField("_participants").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Property(o => o.NextStep).HasMaxLength(Opportunity.MaximumNextStepLength);
        builder.Property(o => o.CreatedBy).HasMaxLength(100);
        builder.Ignore(o => o.IsOpen);
        builder.HasIndex(o => new { o.OwnerId, o.CreatedAt });
        builder.HasIndex(o => o.CreatedAt);
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("referrals");
        builder.ComplexProperty(r => r.Customer, ValueObjectColumns.Customer);
        builder.ComplexProperty(r => r.Contact, ValueObjectColumns.Contact);
        builder.ComplexProperty(r => r.EstimatedValue, money => ValueObjectColumns.Money(money, "value"));
        builder.Property<List<string>>("_productLines").HasColumnName("product_lines")
            .HasConversion(Json.Converter<List<string>>(), Json.ListComparer<string>());
        builder.Ignore(r => r.ProductLines);
        builder.Ignore(r => r.IsReceivedByPartner);
        builder.Property(r => r.SentBy).HasMaxLength(100);
        builder.Property(r => r.RespondedBy).HasMaxLength(100);
        builder.Property(r => r.Message).HasMaxLength(Referral.MaximumMessageLength);
        builder.Property(r => r.DeclineComment).HasMaxLength(Referral.MaximumMessageLength);
        builder.HasIndex(r => new { r.PartnerId, r.CreatedAt });
        builder.HasIndex(r => new { r.Status, r.AcceptBy });
        builder.HasIndex(r => r.CreatedAt);
    }
}
