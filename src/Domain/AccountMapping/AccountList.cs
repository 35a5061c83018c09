using System.Globalization;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.AccountMapping;

/// <summary>One row of an upload that was left out, and why.</summary>
public sealed record RowProblem(int Line, string Reason);

/// <summary>The limits an upload is judged by (configuration decides them).</summary>
public sealed record UploadPolicy(int MinimumRows, double MaximumBadShare, int MaximumRows)
{
    public static readonly UploadPolicy Default = new(25, 0.01, 1_000_000);
}

/// <summary>
/// What an upload held: how many rows it had, how many were good (each a different account), which were bad, and how
/// many repeated an account an earlier row already gave (the same domain, DUNS number, or name in the same country).
/// </summary>
public sealed record UploadSummary(int TotalRows, int GoodRows, int PrivateRows, IReadOnlyList<RowProblem> Problems, int BadRows, int RepeatedRows = 0);

/// <summary>An upload refused whole; the side's previous list stays as it was.</summary>
public sealed class UploadRefusedException(string code, string message, UploadSummary summary) : DomainException(code, message)
{
    public UploadSummary Summary { get; } = summary;
}

/// <summary>
/// One side's list of accounts in one population. An upload replaces the rows whole; the rows themselves
/// are kept beside the list (they are many) and only the list's owner ever reads them.
/// </summary>
public sealed class AccountList : AggregateRoot
{
    /// <summary>The owner key of the vendor's lists; a partner's lists are keyed by the partner id.</summary>
    public const string VendorOwner = "vendor";

    private AccountList()
    {
        Owner = VendorOwner;
        UploadedBy = string.Empty;
    }

    /// <summary><see cref="VendorOwner"/>, or the partner id.</summary>
    public string Owner { get; private set; }

    public AccountPopulation Population { get; private set; }

    public int RowCount { get; private set; }

    public int PrivateCount { get; private set; }

    public int RejectedCount { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    public string UploadedBy { get; private set; }

    public static string OwnerOf(Guid? partnerId) => partnerId is { } id ? id.ToString("D") : VendorOwner;

    public static AccountList Open(Guid id, string owner, AccountPopulation population)
    {
        if (!Enum.IsDefined(population))
        {
            throw new DomainValidationException("account_list.population_unknown", "population", "A population is customers, prospects or openOpportunities.");
        }

        return new AccountList { Id = id, Owner = owner, Population = population };
    }

    /// <summary>Accepts an upload as the new list, or refuses it whole when it is too small or has too many bad rows.</summary>
    public void Replace(UploadSummary summary, UploadPolicy policy, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(policy);
        // Different shared accounts, not rows: thirty copies of one company, or one company and twenty-four private rows
        // (never matched), would otherwise pass, and the overlap count would tell whether the other side has that company.
        var shared = summary.GoodRows - summary.PrivateRows;
        if (shared < policy.MinimumRows)
        {
            throw new UploadRefusedException("account_list.too_small",
                $"An account list shares at least {policy.MinimumRows} different accounts, so that overlaps cannot single out one company; this upload shares {shared}" +
                $" ({summary.PrivateRows} private, {summary.RepeatedRows} rows repeating an account an earlier row gave).", summary);
        }

        // The share is of the different accounts the rows meant, so copies of a good row cannot dilute the bad ones.
        var meant = summary.GoodRows + summary.BadRows;
        if (summary.BadRows > policy.MaximumBadShare * meant)
        {
            throw new UploadRefusedException("account_list.too_many_bad_rows",
                string.Create(CultureInfo.InvariantCulture, $"{summary.BadRows} of {meant} accounts are bad rows, more than the {policy.MaximumBadShare:P1} allowed; fix them and upload again. The previous list is unchanged."), summary);
        }

        RowCount = summary.GoodRows;
        PrivateCount = summary.PrivateRows;
        RejectedCount = summary.BadRows;
        UploadedAt = at;
        UploadedBy = actor;
        Raise(new AccountListReplaced(Id, Owner, Population, "account_list.replaced",
            $"{Population} list replaced: {summary.GoodRows} accounts ({summary.PrivateRows} private), {summary.BadRows} bad rows left out.", actor, at));
    }
}

public sealed record AccountListReplaced(Guid ListId, string Owner, AccountPopulation Population, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent;
