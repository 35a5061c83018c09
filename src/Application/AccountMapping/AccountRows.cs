using CoSell.Domain.AccountMapping;

namespace CoSell.Application.AccountMapping;

/// <summary>One row as uploaded, before it is checked: every field as text.</summary>
public sealed record AccountRowInput(int Line, string? Name, string? Domain, string? Country, string? Duns, string? Private);

/// <summary>A checked row, with its tokens, ready to be stored.</summary>
public sealed record AccountRow(int Line, string Name, string? Domain, string Country, string? Duns, bool Private, AccountTokens Tokens);

/// <summary>A stored row, as only its owner reads it.</summary>
public sealed record StoredAccount(long Id, int Line, string Name, string? Domain, string Country, string? Duns, bool Private);

/// <summary>The rows of account lists: many, so kept apart from the lists and written in bulk.</summary>
public interface IAccountRowStore
{
    /// <summary>Replaces the list's rows when the unit of work commits, in the same transaction as the list itself.</summary>
    void StageReplace(Guid listId, IReadOnlyList<AccountRow> rows);

    Task<IReadOnlyList<StoredAccount>> PageAsync(Guid listId, int skip, int take, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> of the list's rows after the row <paramref name="afterId"/>, in row order.</summary>
    Task<IReadOnlyList<StoredAccount>> AfterAsync(Guid listId, long afterId, int take, CancellationToken cancellationToken);

    /// <summary>The tokens of the list's rows that are not private, in row order.</summary>
    Task<TokenRow[]> TokensAsync(Guid listId, AccountPopulation population, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<long, StoredAccount>> FindAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}

/// <summary>The upload's form is wrong: header, delimiter or encoding (answered 400).</summary>
public sealed class AccountListFormatException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The upload has more rows or bytes than allowed (answered 413).</summary>
public sealed class AccountListTooLargeException(string message) : Exception(message);
