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

    // For each kept row, the row it was found to be one company with (itself until then), and for a company of more than
    // one kept row, its rows.
    private readonly List<int> _company = [];
    private readonly Dictionary<int, List<int>> _rowsOf = [];
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

        var identifiers = Identifiers(row!.Tokens);
        if (CompaniesOf(identifiers) is not { } earlier)
        {
            var index = _rows.Count;
            _rows.Add(row);
            _company.Add(index);
            foreach (var token in identifiers)
            {
                _accountOf[token] = index;
            }

            if (row.Private)
            {
                _private++;
            }

            return;
        }

        // The same company again (its domain, DUNS number or name in the same country): kept once, so that counts of
        // overlaps count companies, never copies of one. A repeat that gives the identifiers of more than one earlier row
        // says they are one company: a private one, if the repeat or any of them is private, and none of them is shared.
        // Its identifiers that no earlier row gave are the company's too, so a later row giving one repeats it. Whatever
        // order the rows come in, rows that share identifiers are shared or private together.
        _repeated++;
        if (row.Private || earlier.Any(c => _rows[c].Private))
        {
            // The rows of a company are private together, so only a company still shared has rows to mark: each row is
            // marked once, however many repeats follow.
            foreach (var shared in earlier.Where(c => !_rows[c].Private))
            {
                MarkPrivate(shared);
            }
        }

        var company = Join(earlier);
        foreach (var token in identifiers)
        {
            _accountOf.TryAdd(token, company);
        }
    }

    private void MarkPrivate(int company)
    {
        if (!_rowsOf.TryGetValue(company, out var rows))
        {
            _rows[company] = _rows[company] with { Private = true };
            _private++;
            return;
        }

        foreach (var index in rows)
        {
            _rows[index] = _rows[index] with { Private = true };
            _private++;
        }
    }

    /// <summary>The identifiers a row gives (the tokens of its domain, DUNS number and name in its country), each once.</summary>
    private static List<UInt128> Identifiers(AccountTokens tokens)
    {
        var identifiers = new List<UInt128>(3);
        foreach (var token in (ReadOnlySpan<UInt128>)[tokens.Domain, tokens.Duns, tokens.NameCountry])
        {
            if (token != UInt128.Zero && !identifiers.Contains(token))
            {
                identifiers.Add(token);
            }
        }

        return identifiers;
    }

    /// <summary>The companies (each named by the row that stands for it) whose rows already gave one of these identifiers, or null.</summary>
    private List<int>? CompaniesOf(List<UInt128> identifiers)
    {
        List<int>? companies = null;
        foreach (var token in identifiers)
        {
            if (_accountOf.TryGetValue(token, out var row) && CompanyOf(row) is var company && !(companies?.Contains(company) ?? false))
            {
                (companies ??= []).Add(company);
            }
        }

        return companies;
    }

    /// <summary>The company a row belongs to, named by the row that stands for it (a union-find root).</summary>
    private int CompanyOf(int row)
    {
        while (_company[row] != row)
        {
            _company[row] = _company[_company[row]];
            row = _company[row];
        }

        return row;
    }

    /// <summary>Makes the companies one; rows of one company are shared or private together.</summary>
    /// <remarks>The company with the most rows stands for the rest, whose rows are added to its own: a row moves only into a company at least twice as large, so at most log₂ n times.</remarks>
    private int Join(List<int> companies)
    {
        if (companies.Count == 1)
        {
            return companies[0];
        }

        var company = companies.MaxBy(Size);
        if (!_rowsOf.TryGetValue(company, out var rows))
        {
            _rowsOf[company] = rows = [company];
        }

        foreach (var other in companies.Where(c => c != company))
        {
            _company[other] = company;
            if (_rowsOf.Remove(other, out var theirs))
            {
                rows.AddRange(theirs);
            }
            else
            {
                rows.Add(other);
            }
        }

        return company;
    }

    private int Size(int company) => _rowsOf.TryGetValue(company, out var rows) ? rows.Count : 1;

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
