using CoSell.Domain.AccountMapping;
using CoSell.Infrastructure.AccountMapping;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoSell.Infrastructure.Persistence.Configurations;

internal sealed class PartnershipConfiguration : IEntityTypeConfiguration<Partnership>
{
    public void Configure(EntityTypeBuilder<Partnership> builder)
    {
        builder.ToTable("partnerships");
        builder.HasIndex(p => p.PartnerId).IsUnique();
        builder.Property(p => p.CreatedBy).HasMaxLength(100);
        builder.Property(p => p.VendorOptedInBy).HasMaxLength(100);
        builder.Property(p => p.PartnerOptedInBy).HasMaxLength(100);
        builder.Property(p => p.VendorSharing).HasColumnName("vendor_sharing")
            .HasConversion(Json.Converter<SharingSettings>(), Json.RecordComparer<SharingSettings>());
        builder.Property(p => p.PartnerSharing).HasColumnName("partner_sharing")
            .HasConversion(Json.Converter<SharingSettings>(), Json.RecordComparer<SharingSettings>());
        builder.Ignore(p => p.Status);
        builder.Ignore(p => p.IsActive);
    }
}

internal sealed class AccountListConfiguration : IEntityTypeConfiguration<AccountList>
{
    public void Configure(EntityTypeBuilder<AccountList> builder)
    {
        builder.ToTable("account_lists");
        builder.Property(l => l.Owner).HasMaxLength(40);
        builder.Property(l => l.UploadedBy).HasMaxLength(100);
        builder.HasIndex(l => new { l.Owner, l.Population }).IsUnique();
    }
}

internal sealed class AccountRowConfiguration : IEntityTypeConfiguration<AccountRowRecord>
{
    public void Configure(EntityTypeBuilder<AccountRowRecord> builder)
    {
        builder.ToTable("account_rows");
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedOnAdd();
        // Written by raw SQL in bulk: the list id is kept as lower-case text, exactly as the store binds it.
        builder.Property(r => r.ListId).HasColumnName("list_id").HasConversion(v => v.ToString("D"), v => Guid.Parse(v)).HasMaxLength(36);
        builder.Property(r => r.Line).HasColumnName("line");
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(2048);
        builder.Property(r => r.Domain).HasColumnName("domain").HasMaxLength(2048);
        builder.Property(r => r.Country).HasColumnName("country").HasMaxLength(2);
        builder.Property(r => r.Duns).HasColumnName("duns").HasMaxLength(9);
        builder.Property(r => r.Private).HasColumnName("private");
        builder.Property(r => r.DomainToken).HasColumnName("domain_token");
        builder.Property(r => r.DunsToken).HasColumnName("duns_token");
        builder.Property(r => r.NameToken).HasColumnName("name_token");
        builder.HasIndex(r => new { r.ListId, r.Id });
    }
}

internal sealed class AccountMappingStateConfiguration : IEntityTypeConfiguration<AccountMappingState>
{
    public void Configure(EntityTypeBuilder<AccountMappingState> builder)
    {
        builder.ToTable("account_mapping_state");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.KeyFingerprint).HasMaxLength(64);
    }
}
