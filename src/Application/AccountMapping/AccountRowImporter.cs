using System.Globalization;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.AccountMapping;

/// <summary>
/// Checks uploaded rows one by one, normalises the good ones with the customer normaliser duplicate
/// detection uses, and turns their identifiers into tokens. Bad rows are counted and reported by line.
/// </summary>
public sealed class AccountRowImporter(CustomerNormaliser normaliser, IAccountKeyer keyer, int maximumRows)
{
    /// <summary>The report lists at most this many bad rows; the count covers them all.</summary>
    public const int MaximumReported = 1000;

    private readonly List<AccountRow> _rows = [];
    private readonly Dictionary<UInt128, int> _accountOf = [];
    private readonly List<RowProblem> _problems = [];
    private int _total;
    private int _bad;
    private int _private;
    private int _repeated;

    public IReadOnlyList<AccountRow> Rows => _rows;

    public UploadSummary Summary => new(_total, _rows.Count, _private, _problems, _bad, _repeated);

    public void Add(AccountRowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Count();
        var problem = Check(input, out var row);
        if (problem is not null)
        {
            Report(input.Line, problem);
            return;
        }

        if (EarlierRowsOf(row!.Tokens) is { } earlier)
        {
            // The same company again (its domain, DUNS number or name in the same country): kept once, so that counts
            // of overlaps count companies, never copies of one. A repeat that marks it private makes it private, and
            // every earlier row it repeats (the domain of one, the DUNS number of another): none of them is shared.
            _repeated++;
            foreach (var index in row.Private ? earlier : [])
            {
                if (!_rows[index].Private)
                {
                    _rows[index] = _rows[index] with { Private = true };
                    _private++;
                }
            }

            return;
        }

        _rows.Add(row);
        if (row.Private)
        {
            _private++;
        }
    }

    /// <summary>The rows that already gave one of this account's identifiers, or null (and the account is noted as the next row's); its new identifiers are noted as the account's either way.</summary>
    private List<int>? EarlierRowsOf(AccountTokens tokens)
    {
        UInt128[] identifiers = [tokens.Domain, tokens.Duns, tokens.NameCountry];
        List<int>? earlier = null;
        foreach (var token in identifiers)
        {
            if (token != UInt128.Zero && _accountOf.TryGetValue(token, out var row) && !(earlier?.Contains(row) ?? false))
            {
                (earlier ??= []).Add(row);
            }
        }

        // A repeat's identifiers that no earlier row gave are the account's too (the first it repeats): a later row giving
        // one of them repeats that account, and so is private when it is, whatever order the rows come in.
        var account = earlier?[0] ?? _rows.Count;
        foreach (var token in identifiers.Where(t => t != UInt128.Zero))
        {
            _accountOf.TryAdd(token, account);
        }

        return earlier;
    }

    /// <summary>A row the reader could not read as CSV.</summary>
    public void AddUnreadable(int line, string reason)
    {
        Count();
        Report(line, reason);
    }

    private void Count()
    {
        if (++_total > maximumRows)
        {
            throw new AccountListTooLargeException(string.Create(CultureInfo.InvariantCulture, $"An account list has at most {maximumRows:N0} rows."));
        }
    }

    private void Report(int line, string reason)
    {
        _bad++;
        if (_problems.Count < MaximumReported)
        {
            _problems.Add(new RowProblem(line, reason));
        }
    }

    private string? Check(AccountRowInput input, out AccountRow? row)
    {
        row = null;
        if (CompanyName.HasControlCharacters(input.Name))
        {
            return "name contains control characters";
        }

        // As every company name: the tabs, line breaks and runs of spaces of a paste fold into single spaces, so the other
        // side reads the name on one line and a referral of it names it as the list holds it.
        var name = Characters.FoldWhiteSpace(input.Name, CompanyName.MaximumLength);
        if (name.Length == 0)
        {
            return "name is empty";
        }

        if (name.Length > CompanyName.MaximumLength)
        {
            return $"name is longer than {CompanyName.MaximumLength} characters";
        }

        // The other side may read the name (white space): it must show something and read as it is written, as a customer's name
        // in a registration must.
        if (!TextRules.IsDisplayName(name))
        {
            return "name shows nothing, or carries direction controls or invisible format characters";
        }

        var country = CustomerNormaliser.Country(input.Country);
        if (country is null)
        {
            return string.IsNullOrWhiteSpace(input.Country) ? "country is empty" : $"country '{Quote(input.Country)}' is not an ISO 3166-1 alpha-2 code";
        }

        string? registrable = null;
        string? shown = null;
        var domain = string.IsNullOrWhiteSpace(input.Domain) ? null : input.Domain.Trim();
        if (domain is not null)
        {
            if (!WebDomain.TryFrom(domain, null, out var web))
            {
                return $"domain '{Quote(domain)}' is not a web domain, URL or e-mail address";
            }

            // Kept as the registrable domain alone: an e-mail address or a URL with its path and query is not for the
            // other side's white space. A page or site on a shared platform is the platform's: the account keeps no domain.
            shown = web.IsPageOnSharedPlatform ? null : web.Registrable;
            registrable = CustomerNormaliser.CompanyDomain(shown);
        }

        var duns = string.IsNullOrWhiteSpace(input.Duns) ? null : input.Duns.Trim();
        string? dunsDigits = null;
        if (duns is not null && (dunsDigits = CustomerNormaliser.DunsDigits(duns)) is null)
        {
            return $"duns '{Quote(duns)}' is not a nine-digit DUNS number";
        }

        if (!TryPrivate(input.Private, out var isPrivate))
        {
            return $"private '{Quote(input.Private)}' is not one of true, false, yes, no, y, n, 1, 0 (or empty)";
        }

        var nameKey = normaliser.WholeNameKey(name);
        if (nameKey.Length == 0)
        {
            return "name has no letters or digits left once legal forms are removed";
        }

        row = new AccountRow(input.Line, name, shown, country, dunsDigits, isPrivate, keyer.Tokenise(registrable, dunsDigits, nameKey, country));
        return null;
    }

    /// <summary>The tokens of a stored row, derived exactly as an upload derives them (used when the key changes).</summary>
    public static AccountTokens TokensFor(CustomerNormaliser normaliser, IAccountKeyer keyer, string name, string? domain, string country, string? duns)
    {
        ArgumentNullException.ThrowIfNull(normaliser);
        ArgumentNullException.ThrowIfNull(keyer);
        var registrable = domain is not null && WebDomain.TryFrom(domain, null, out var web) ? CustomerNormaliser.CompanyDomain(web.Registrable) : null;
        return keyer.Tokenise(registrable, CustomerNormaliser.DunsDigits(duns), normaliser.WholeNameKey(name), CustomerNormaliser.Country(country));
    }

    private static bool TryPrivate(string? text, out bool value)
    {
        value = false;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return true;
        }

        switch (t.ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "no" or "n" or "0":
                return true;
            default:
                return false;
        }
    }

    private static string Quote(string? text) => Characters.Shown(text);
}
