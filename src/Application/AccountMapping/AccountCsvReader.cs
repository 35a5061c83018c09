using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.AccountMapping;

/// <summary>
/// Reads an account list in CSV (RFC 4180: comma separated, fields optionally in double quotes, <c>""</c>
/// for a quote, line breaks allowed inside quotes) from a UTF-8 stream, without holding the whole file.
/// The first line is the header naming the columns; each row is reported with the line it starts on.
/// </summary>
public sealed class AccountCsvReader
{
    public static readonly string[] Columns = ["name", "domain", "country", "duns", "private"];

    /// <summary>A field longer than this makes its row bad (the text is not kept).</summary>
    public const int MaximumFieldLength = 2048;

    /// <summary>What the report says of a row with a field longer than <see cref="MaximumFieldLength"/>, in CSV or JSON.</summary>
    public static readonly string FieldTooLong = $"a field is longer than {MaximumFieldLength} characters";

    private readonly Action<AccountRowInput> _onRow;
    private readonly Action<int, string> _onBadRow;
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private int _fieldCount;
    private int[]? _map;
    private int _line = 1;
    private int _recordLine = 1;
    private bool _inQuotes;
    private bool _quotedField;
    private bool _afterQuote;
    private bool _pendingQuote;
    private bool _pendingCr;
    private bool _recordStarted;
    private string? _recordProblem;
    private int _lastTextLine = 1;
    private int _spannedTextLines;
    private bool _spannedRows; // a field over lines held a comma, or was not kept whole, or its quote was never closed
    private bool _fieldSpans; // the field being read runs over a line break
    private bool _fieldCut; // the field being read grew past the maximum and was not kept whole
    private readonly List<int> _spannedLines = [];
    private char? _delimiterAfterQuote;
    private bool _start = true;

    private AccountCsvReader(Action<AccountRowInput> onRow, Action<int, string> onBadRow)
    {
        _onRow = onRow;
        _onBadRow = onBadRow;
    }

    /// <summary>Reads every row; rows that cannot be read as CSV go to <paramref name="onBadRow"/> with their line.</summary>
    /// <exception cref="AccountListFormatException">The header, delimiter or encoding is wrong.</exception>
    public static async Task ReadAsync(Stream body, Action<AccountRowInput> onRow, Action<int, string> onBadRow, CancellationToken cancellationToken)
    {
        var reader = new AccountCsvReader(onRow, onBadRow);
        var bytes = new byte[64 * 1024];
        var chars = new char[bytes.Length]; // UTF-8 never takes fewer bytes than UTF-16 takes chars
        var carried = 0; // the first bytes of a character the last read cut, moved to the front
        while (true)
        {
            var read = await body.ReadAsync(bytes.AsMemory(carried), cancellationToken);
            var input = bytes.AsSpan(0, carried + read);
            var status = Utf8.ToUtf16(input, chars, out var decoded, out var written, replaceInvalidSequences: false, isFinalBlock: read == 0);
            // The text before a bad byte is read first, so that the line it is on is counted.
            reader.Feed(chars.AsSpan(0, written));
            if (status == OperationStatus.InvalidData)
            {
                throw new AccountListFormatException("account_list.encoding_invalid", $"The file is not valid UTF-8 (line {reader._line}); save it as UTF-8 and upload again.");
            }

            if (read == 0)
            {
                break;
            }

            carried = input.Length - decoded;
            input[decoded..].CopyTo(bytes);
        }

        reader.Complete();
    }

    private void Feed(ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (_start)
            {
                _start = false;
                if (c == '\uFEFF')
                {
                    continue; // a UTF-8 byte order mark
                }
            }

            if (_pendingCr)
            {
                _pendingCr = false;
                if (c == '\n')
                {
                    continue; // the \n of a \r\n already ended the record
                }
            }

            if (_pendingQuote)
            {
                _pendingQuote = false;
                if (c == '"')
                {
                    Append('"'); // "" inside quotes
                    continue;
                }

                _inQuotes = false;
                _afterQuote = true;
            }

            if (_inQuotes)
            {
                if (c == '"')
                {
                    _pendingQuote = true;
                    continue;
                }

                if (c == '\n' || c == '\r')
                {
                    _line++;
                    if (c == '\r')
                    {
                        _pendingCr = true;
                        Append('\n');
                        continue;
                    }
                }

                Append(c);
                continue;
            }

            switch (c)
            {
                case ',':
                    _recordStarted = true;
                    EndField();
                    break;
                case '\r' or '\n':
                    EndRecord();
                    _line++;
                    _recordLine = _line;
                    _pendingCr = c == '\r';
                    break;
                case '"' when _field.Length == 0 && !_quotedField && !_afterQuote:
                    _recordStarted = true;
                    _inQuotes = true;
                    _quotedField = true;
                    break;
                default:
                    _recordStarted = true;
                    NoteText();
                    if (_afterQuote)
                    {
                        _recordProblem ??= "text follows a closing quote; a quote inside a quoted field is written twice (\"\")";
                        // A header of quoted names separated by another delimiter ("name";"country") reads as one field.
                        if (_map is null)
                        {
                            _delimiterAfterQuote ??= c is ';' or '\t' or '|' ? c : null;
                        }
                    }
                    else
                    {
                        Append(c);
                    }

                    break;
            }
        }
    }

    private void Complete()
    {
        if (_pendingQuote)
        {
            _pendingQuote = false;
            _inQuotes = false;
        }

        if (_inQuotes)
        {
            // Whatever else went wrong inside it (a field grown too long), the quote left open is what the row needs fixed.
            _recordProblem = "a quoted field is not closed before the end of the file";
            _spannedRows = true;
            _inQuotes = false;
        }

        EndRecord();
        if (_map is null)
        {
            throw new AccountListFormatException("account_list.empty", "The file is empty; its first line is the header: " + string.Join(',', Columns) + ".");
        }
    }

    private void Append(char c)
    {
        if (c != '\n')
        {
            NoteText();
        }
        else
        {
            _fieldSpans = true;
        }

        if (_field.Length < MaximumFieldLength)
        {
            _field.Append(c);
        }
        else
        {
            _recordProblem ??= FieldTooLong;
            _fieldCut = true;
        }
    }

    /// <summary>Notes text on the current line: a line after the row's first that holds some is one the row spans.</summary>
    private void NoteText()
    {
        if (_line == _lastTextLine)
        {
            return;
        }

        if (_line > _recordLine)
        {
            _spannedTextLines++;
            if (_spannedLines.Count < AccountRowImporter.MaximumReported)
            {
                _spannedLines.Add(_line);
            }
        }

        _lastTextLine = _line;
    }

    private void EndField()
    {
        if (_fieldCut && _fieldSpans)
        {
            // Not kept whole, a field over lines cannot be told from a stray quote's reach: the lines it took are counted.
            _spannedRows = true;
        }

        if (_quotedField && _field.Length > 0 && _field.ToString() is var text && text.Contains('\n', StringComparison.Ordinal) && text.Contains(',', StringComparison.Ordinal))
        {
            // A name may be written over lines, but one whose lines hold commas is a stray quote's reach: the rows it took
            // are counted bad with it (EndRecord), though the quote a later row wrote happened to close it before a comma.
            _recordProblem ??= "a quoted field runs over several lines holding commas, as the rows a stray quote reads in do; a quote inside a quoted field is written twice (\"\")";
            _spannedRows = true;
        }

        // Only the fields a row can use are kept: a row of a hundred million commas is counted, not held in memory.
        if (_fields.Count < (_map?.Length ?? Columns.Length))
        {
            _fields.Add(_field.ToString());
        }
        else if (_map is null)
        {
            throw new AccountListFormatException("account_list.header_invalid",
                $"The first line must be the header naming the columns {string.Join(',', Columns)} (name and country required, each at most once); it has more than {Columns.Length} columns.");
        }

        _fieldCount++;
        _field.Clear();
        _quotedField = false;
        _afterQuote = false;
        _fieldSpans = false;
        _fieldCut = false;
    }

    private void EndRecord()
    {
        if (!_recordStarted && _field.Length == 0 && !_quotedField && _fieldCount == 0)
        {
            ResetRecord();
            return; // a blank line
        }

        EndField();
        if (_map is null)
        {
            ReadHeader();
        }
        else if (_recordProblem is not null || _fieldCount != _map.Length)
        {
            _onBadRow(_recordLine, _recordProblem ?? $"expected {_map.Length} fields as in the header, found {_fieldCount}");

            // A stray quote reads the lines after it into one field, up to the next quote (which may close it, leaving a row
            // of too few fields) or the end of the file: a bad row that runs over several lines took those that hold text,
            // which were rows, and each is counted bad, so that the share of bad rows judges the list with them. Lines a field
            // ran over that hold no comma were no rows, every row having one: a name written over lines is one account,
            // good or bad, whatever made it bad.
            if (_spannedRows)
            {
                ReportSpanned(_recordLine, _spannedLines, _spannedTextLines, _onBadRow);
            }
        }
        else
        {
            _onRow(new AccountRowInput(_recordLine, Field(0), Field(1), Field(2), Field(3), Field(4)));
        }

        ResetRecord();
    }

    /// <summary>
    /// Counts the lines a bad row's quoted field ran over, each holding text, as bad rows of their own: they were rows of
    /// the file. Past the lines kept (as many as a report lists) the rest are counted under the row's own line.
    /// </summary>
    private static void ReportSpanned(int rowLine, List<int> lines, int count, Action<int, string> report)
    {
        var reason = $"read into a quoted field of the row on line {rowLine}";
        foreach (var line in lines)
        {
            report(line, reason);
        }

        for (var more = lines.Count; more < count; more++)
        {
            report(rowLine, reason);
        }
    }

    private string? Field(int column)
    {
        for (var i = 0; i < _map!.Length; i++)
        {
            if (_map[i] == column)
            {
                return _fields[i];
            }
        }

        return null;
    }

    private void ReadHeader()
    {
        // UTF-16 text without a byte-order mark is valid UTF-8, but every ASCII character of its header comes with a NUL.
        if (_fields.Exists(f => f.Contains('\0', StringComparison.Ordinal)))
        {
            throw new AccountListFormatException("account_list.encoding_invalid",
                $"The file is not UTF-8: its header (line {_recordLine}) holds NUL characters, as UTF-16 text does; save it as UTF-8 and upload again.");
        }

        var names = _fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var delimiter = _delimiterAfterQuote ?? (names.Count == 1 && names[0].IndexOfAny([';', '\t', '|']) is var at and >= 0 ? names[0][at] : null);
        if (delimiter is { } other)
        {
            throw new AccountListFormatException("account_list.delimiter_invalid",
                $"Fields are separated by commas; the header looks separated by '{(other == '\t' ? "\\t" : other.ToString())}'. Expected: {string.Join(',', Columns)}.");
        }

        var map = new int[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var column = Array.IndexOf(Columns, names[i]);
            if (column < 0 || map.Take(i).Contains(column))
            {
                throw new AccountListFormatException("account_list.header_invalid",
                    $"The first line must be the header naming the columns {string.Join(',', Columns)} (name and country required, each at most once); " +
                    $"column {i + 1} is '{Characters.Shown(names[i])}'.");
            }

            map[i] = column;
        }

        if (!map.Contains(0) || !map.Contains(2))
        {
            throw new AccountListFormatException("account_list.header_invalid",
                $"The header must name the columns name and country (and may name domain, duns, private); it names {string.Join(',', names.Select(name => Characters.Shown(name)))}.");
        }

        _map = map;
    }

    private void ResetRecord()
    {
        _fields.Clear();
        _fieldCount = 0;
        _field.Clear();
        _quotedField = false;
        _afterQuote = false;
        _recordStarted = false;
        _recordProblem = null;
        _lastTextLine = _line;
        _spannedTextLines = 0;
        _spannedLines.Clear();
        _spannedRows = false;
    }

}
