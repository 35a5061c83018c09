using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Rules;
using CoSell.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Persistence.Configurations;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> builder)
    {
        builder.ToTable("partners");
        // Unique in any case, like user names: two partners told apart only by case would be one to the people reading cases.
        builder.Property(p => p.Name).HasMaxLength(Partner.MaximumNameLength).UseCollation("NOCASE");
        builder.Property<List<string>>("_territories").HasColumnName("territories")
            .HasConversion(Json.Converter<List<string>>(), Json.ListComparer<string>());
        builder.Ignore(p => p.Territories);
        builder.Ignore(p => p.IsActive);
        builder.HasIndex(p => p.Name).IsUnique();
        // NOCASE folds ASCII letters only: the folded key's own index makes "CAFÉ" and "Café" one name too.
        builder.Property(p => p.NameKey).HasMaxLength(Partner.MaximumNameLength);
        builder.HasIndex(p => p.NameKey).IsUnique();
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        // Unique in any case: two names that differ only in case would be one to the people typing them.
        builder.Property(u => u.UserName).HasMaxLength(100).UseCollation("NOCASE");
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Role).HasMaxLength(40);
        // A subject that is no GUID, kept as issued (case matters in a subject); the id derived from it is the key.
        builder.Property(u => u.Subject).HasMaxLength(UserIds.MaximumSubjectLength);
        builder.HasIndex(u => u.UserName).IsUnique();
    }
}

internal sealed class RulesConfiguration : IEntityTypeConfiguration<RulesOfEngagement>
{
    public void Configure(EntityTypeBuilder<RulesOfEngagement> builder)
    {
        builder.ToTable("rules_versions");
        builder.HasIndex(r => r.Number).IsUnique();
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property<List<TierPolicy>>("_tiers").HasColumnName("tiers")
            .HasConversion(Json.Converter<List<TierPolicy>>(), Json.ListComparer<TierPolicy>());
        builder.Ignore(r => r.Tiers);
    }
}

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<DealRegistration>
{
    public void Configure(EntityTypeBuilder<DealRegistration> builder)
    {
        builder.ToTable("registrations");
        builder.ComplexProperty(r => r.Customer, ValueObjectColumns.Customer);
        builder.ComplexProperty(r => r.EstimatedValue, money => ValueObjectColumns.Money(money, "value"));
        builder.Property<List<string>>("_productLines").HasColumnName("product_lines")
            .HasConversion(Json.Converter<List<string>>(), Json.ListComparer<string>());
        builder.Ignore(r => r.ProductLines);
        builder.Ignore(r => r.AwaitsReview);
        builder.Property(r => r.Duplicate).HasColumnName("duplicate")
            .HasConversion(Json.Converter<DuplicateAssessment>(), Json.DuplicateComparer());
        builder.Property(r => r.RegisteredBy).HasMaxLength(100);
        builder.Property(r => r.Notes).HasMaxLength(DealRegistration.MaximumNotesLength);
        builder.Property(r => r.ReviewerMessage).HasMaxLength(DealRegistration.MaximumMessageLength);
        builder.HasIndex(r => new { r.PartnerId, r.CreatedAt });
        builder.HasIndex(r => new { r.Status, r.ReviewDueAt });
        builder.HasIndex(r => new { r.Status, r.ProtectionEndsAt });
        builder.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.AggregateType).HasMaxLength(40);
        builder.Property(a => a.Type).HasMaxLength(80);
        builder.Property(a => a.Actor).HasMaxLength(100);
        builder.Property(a => a.Audience).HasMaxLength(60);
        builder.HasIndex(a => new { a.AggregateType, a.AggregateId, a.Id });
    }
}
