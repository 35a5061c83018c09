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

    /// <summary>The limits the service cannot run with, one sentence each; empty when none.</summary>
    public IEnumerable<string> Problems()
    {
        if (MinimumCount < 1)
        {
            yield return $"AccountMapping:MinimumCount is {MinimumCount}: set a whole number of 1 or more (3 by default).";
        }

        if (MinimumUploadRows < 1)
        {
            yield return $"AccountMapping:MinimumUploadRows is {MinimumUploadRows}: set a whole number of 1 or more.";
        }

        if (MaximumRows < Math.Max(1, MinimumUploadRows))
        {
            yield return $"AccountMapping:MaximumRows is {MaximumRows}: set a whole number no smaller than AccountMapping:MinimumUploadRows ({MinimumUploadRows}).";
        }

        if (!(MaximumBadRowShare is >= 0 and <= 1))
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"AccountMapping:MaximumBadRowShare is {MaximumBadRowShare}: set a share from 0 to 1 (0.01 is 1 %).");
        }

        if (MaximumUploadBytes < 1)
        {
            yield return $"AccountMapping:MaximumUploadBytes is {MaximumUploadBytes}: set a size in bytes of 1 or more.";
        }
    }
}
