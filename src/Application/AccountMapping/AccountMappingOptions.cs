using CoSell.Domain.AccountMapping;

namespace CoSell.Application.AccountMapping;

/// <summary>The <c>AccountMapping</c> configuration section.</summary>
public sealed class AccountMappingOptions
{
    public const string Section = "AccountMapping";

    /// <summary>The key of the HMAC-SHA256 tokens (at least 32 bytes); required outside Development.</summary>
    public string? Secret { get; set; }

    /// <summary>Counts below this are shown as "fewer than N", never exactly.</summary>
    public int MinimumCount { get; set; } = 3;

    /// <summary>Uploads with fewer rows are refused.</summary>
    public int MinimumUploadRows { get; set; } = UploadPolicy.Default.MinimumRows;

    /// <summary>An upload is refused whole when more than this share of its rows is bad (0.01 = 1 %).</summary>
    public double MaximumBadRowShare { get; set; } = UploadPolicy.Default.MaximumBadShare;

    /// <summary>The most rows one upload may have.</summary>
    public int MaximumRows { get; set; } = UploadPolicy.Default.MaximumRows;

    /// <summary>The largest upload body, in bytes (413 past it).</summary>
    public long MaximumUploadBytes { get; set; } = 256L * 1024 * 1024;

    public UploadPolicy Policy => new(MinimumUploadRows, MaximumBadRowShare, MaximumRows);
}
