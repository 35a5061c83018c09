using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoSell.Infrastructure.Persistence.Configurations;

internal sealed class ConflictConfiguration : IEntityTypeConfiguration<ChannelConflict>
{
    public void Configure(EntityTypeBuilder<ChannelConflict> builder)
    {
        builder.ToTable("conflicts");
        builder.Property(c => c.CustomerName).HasMaxLength(200);
        builder.Property(c => c.CustomerKey).HasMaxLength(300);
        builder.Property(c => c.Country).HasMaxLength(2);
        builder.Property(c => c.RuleFired).HasMaxLength(60);
        builder.Property(c => c.OpenedBy).HasMaxLength(100);
        builder.HasIndex(c => new { c.Status, c.SlaDueAt });
        builder.HasIndex(c => new { c.ArbiterId, c.Status, c.SlaDueAt });
        builder.HasIndex(c => c.DecidedAt);
        builder.HasIndex(c => c.OpenedAt);

        // The cases that awarded a registration, read by every close as won and every conversion of it.
        builder.HasIndex(c => c.AwardedClaimId);

        builder.OwnsMany(c => c.Claims, claim =>
        {
            claim.ToTable("conflict_claims");
            claim.WithOwner().HasForeignKey("ConflictId");
            claim.Property<int>("RowId").ValueGeneratedOnAdd();
            claim.HasKey("RowId");
            claim.Property(c => c.Status).HasMaxLength(40);
            claim.Property(c => c.OwnerUserId).HasMaxLength(100);
            claim.Property(c => c.CustomerName).HasMaxLength(CompanyName.MaximumLength);
            claim.Property(c => c.Country).HasMaxLength(2);
            claim.HasIndex(c => c.ClaimId);
            claim.HasIndex(c => c.PartnerId);
        });
        builder.Navigation(c => c.Claims).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(c => c.Log, entry =>
        {
            entry.ToTable("conflict_decision_log");
            entry.WithOwner().HasForeignKey("ConflictId");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).ValueGeneratedNever();
            entry.Property(e => e.Actor).HasMaxLength(100);
            entry.Property(e => e.Text).HasMaxLength(ChannelConflict.MaximumRationaleLength + 400);
        });
        builder.Navigation(c => c.Log).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

/// <summary>A case's statements: stored beside it, read only by a reading of the case (never loaded with it).</summary>
internal sealed class ConflictStatementConfiguration : IEntityTypeConfiguration<ConflictStatement>
{
    public void Configure(EntityTypeBuilder<ConflictStatement> builder)
    {
        builder.ToTable("conflict_statements");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasOne<ChannelConflict>().WithMany().HasForeignKey(s => s.ConflictId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.AuthorId).HasMaxLength(100);
        builder.Property(s => s.Text).HasMaxLength(ConflictStatement.MaximumTextLength);
        builder.Property<List<string>>("_links").HasColumnName("links")
            .HasConversion(Json.Converter<List<string>>(), Json.ListComparer<string>());
        builder.Ignore(s => s.Links);
    }
}
