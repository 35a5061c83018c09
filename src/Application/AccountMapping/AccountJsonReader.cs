using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CoSell.Domain.SeedWork;

namespace CoSell.Application.AccountMapping;

/// <summary>
/// Reads an account list in JSON — an array of accounts <c>{ name, domain, country, duns, private }</c> (and the
/// <c>line</c> a list read back gives) — from a UTF-8 stream token by token, holding no more of it than a field's worth.
/// A string longer than <see cref="AccountCsvReader.MaximumFieldLength"/> characters makes its row bad, as in CSV: it is
/// passed over as it arrives, never kept, and reading goes on with the next field. Rows are numbered from 1 in array order.
/// </summary>
public sealed class AccountJsonReader
{
    /// <summary>The fields of an account, as its JSON names them (in any case).</summary>
    public static readonly string[] Fields = ["name", "domain", "country", "duns", "private", "line"];

    private const int Private = 4;
    private const int Line = 5;
    private const string Shape = "{ name, domain, country, duns, private }";

    /// <summary>
    /// The most bytes a field within the limit can take: a character takes one to six bytes in JSON (<c>\uXXXX</c>), so a
    /// longer string is over the limit without being decoded.
    /// </summary>
    private const int MaximumFieldBytes = AccountCsvReader.MaximumFieldLength * 6;

    /// <summary>
    /// The most bytes left unread while the next token is incomplete before they are looked at: a field's name and the start
    /// of its value, each within the limit, with white space between them, stay under it.
    /// </summary>
    private const int MaximumPending = (2 * MaximumFieldBytes) + 64;

    private static readonly byte[] EmptyString = "\"\""u8.ToArray();

    private readonly Action<AccountRowInput> _onRow;
    private readonly Action<int, string> _onBadRow;
    private readonly string?[] _values = new string?[Fields.Length];
    private readonly bool[] _given = new bool[Fields.Length];
    private readonly char[] _scratch = new char[1024];
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();

    private JsonReaderState _state;
    private JsonTokenType _last = JsonTokenType.None;
    private int _rows;
    private bool _inRow;
    private bool _done;
    private int _field = -1;
    private string? _fieldName;
    private bool _tooLong;

    /// <summary>Bytes the JSON reader reads before the body's next ones: separators kept while white space was dropped, or a stand-in for a string passed over.</summary>
    private byte[]? _prefix;

    /// <summary>An over-long string is being passed over; <see cref="_escaped"/>: its last byte was a backslash.</summary>
    private bool _skipping;
    private bool _escaped;

    /// <summary>The next string the JSON reader gives is the stand-in for a value passed over as too long.</summary>
    private bool _standIn;

    private AccountJsonReader(Action<AccountRowInput> onRow, Action<int, string> onBadRow)
    {
        _onRow = onRow;
        _onBadRow = onBadRow;
    }

    /// <summary>Reads every account; a row with a field over the limit goes to <paramref name="onBadRow"/> with its row number.</summary>
    /// <exception cref="AccountListFormatException">The body is empty, not UTF-8, or not an array of accounts.</exception>
    public static async Task ReadAsync(Stream body, Action<AccountRowInput> onRow, Action<int, string> onBadRow, CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            await OpenAsync(pipe, cancellationToken);
            await new AccountJsonReader(onRow, onBadRow).ReadAsync(pipe, cancellationToken);
        }
        finally
        {
            // Gives the reader's pooled buffers back; the request body itself stays the server's to close.
            await pipe.CompleteAsync();
        }
    }

    /// <summary>Passes the byte-order mark and white space before the array, as they come, and leaves the pipe at its <c>[</c>.</summary>
    private static async Task OpenAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        var start = true;
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (start && buffer.Length < 3 && !result.IsCompleted)
            {
                // Three bytes at least, so that a byte-order mark is seen whole.
                pipe.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var bytes = new SequenceReader<byte>(buffer);
            if (start)
            {
                bytes.IsNext("\uFEFF"u8, advancePast: true);
                start = false;
            }

            bytes.AdvancePastAny(" \t\r\n"u8);
            if (!bytes.TryPeek(out var first))
            {
                if (result.IsCompleted)
                {
                    throw new AccountListFormatException("account_list.empty", $"The body is empty; send a JSON array of accounts [{Shape}, …].");
                }

                pipe.AdvanceTo(bytes.Position, buffer.End);
                continue;
            }

            // UTF-8 JSON holds no NUL byte, and no 0xFE or 0xFF at all; UTF-16 text has a NUL beside each ASCII character,
            // and starts with FF FE or FE FF when it has a byte-order mark.
            var hasNext = bytes.TryPeek(1, out var next);
            if (first is 0 or 0xFE or 0xFF || (hasNext && next == 0))
            {
                throw new AccountListFormatException("account_list.encoding_invalid", "The body is not UTF-8: it looks like UTF-16; send it as UTF-8.");
            }

            if (!hasNext && !result.IsCompleted)
            {
                pipe.AdvanceTo(bytes.Position, buffer.End); // the byte after it may yet be a NUL
                continue;
            }

            if (first != (byte)'[')
            {
                // A list is an array: an object, a string, a top-level null are not one.
                throw new AccountListFormatException("account_list.json_invalid", $"The body is not a JSON array of accounts {Shape} in UTF-8 (after row 0).");
            }

            pipe.AdvanceTo(bytes.Position);
            return;
        }
    }

    private async Task ReadAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (_skipping)
            {
                var end = PassOver(buffer);
                if (end is null && result.IsCompleted)
                {
                    throw NotAList();
                }

                // Once the string ended, what follows it is read at once, after its stand-in.
                pipe.AdvanceTo(end ?? buffer.End, end ?? buffer.End);
                continue;
            }

            var prefixLength = _prefix?.Length ?? 0;
            var feed = _prefix is null ? buffer : Chunk.Join(_prefix, buffer);
            var consumed = ReadTokens(feed, result.IsCompleted);
            if (result.IsCompleted)
            {
                if (!_done)
                {
                    throw NotAList(Here);
                }

                return;
            }

            var resume = Consume(buffer, prefixLength, consumed);
            var examined = buffer.End;
            if (feed.Length - consumed > MaximumPending)
            {
                // The next token is not complete after more than two fields' worth: white space to drop, or a token over the limit.
                (resume, var moved) = Pending(feed, consumed, prefixLength, buffer);
                if (moved)
                {
                    examined = resume;
                }
            }

            pipe.AdvanceTo(resume, examined);
        }
    }

    /// <summary>Reads every complete token of <paramref name="feed"/>; answers how many of its bytes they took.</summary>
    private long ReadTokens(ReadOnlySequence<byte> feed, bool final)
    {
        var json = new Utf8JsonReader(feed, final, _state);
        try
        {
            while (json.Read())
            {
                Take(ref json);
                _last = json.TokenType;
            }
        }
        catch (JsonException)
        {
            throw NotAList(Here);
        }

        _state = json.CurrentState;
        return json.BytesConsumed;
    }

    /// <summary>Where the pipe resumes once <paramref name="consumed"/> bytes of the prefix and the buffer after it are read.</summary>
    private SequencePosition Consume(ReadOnlySequence<byte> buffer, int prefixLength, long consumed)
    {
        if (consumed >= prefixLength)
        {
            _prefix = null;
            return buffer.GetPosition(consumed - prefixLength);
        }

        _prefix = _prefix![(int)consumed..];
        return buffer.Start;
    }

    /// <summary>
    /// Looks at what is left unread (from <paramref name="consumed"/> on): separators and a field's name, with white space
    /// between them, and the start of the next token. White space is dropped (what else is left is kept as the prefix); a
    /// string over the limit is passed over when it is a field's value and refused otherwise; any other token over it is refused.
    /// Answers where the pipe resumes, and whether there is more to read before the body's next bytes.
    /// </summary>
    private (SequencePosition Resume, bool Moved) Pending(ReadOnlySequence<byte> feed, long consumed, int prefixLength, ReadOnlySequence<byte> buffer)
    {
        var bytes = new SequenceReader<byte>(feed.Slice(consumed));
        var kept = new ArrayBufferWriter<byte>();
        while (bytes.TryPeek(out var b))
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                bytes.Advance(1);
                continue;
            }

            // Offsets in the feed are counted from what the reader has passed: the feed's own offsets of a pipe's buffer are
            // not always counted from the buffer's start.
            var start = bytes.Position;
            var startOffset = consumed + bytes.Consumed;
            if (b == (byte)'"')
            {
                bytes.Advance(1);
                var escaped = false;
                var length = 0L;
                while (bytes.TryRead(out var c) && (escaped || c != (byte)'"'))
                {
                    escaped = !escaped && c == (byte)'\\';
                    if (++length > MaximumFieldBytes)
                    {
                        return OverLongString(feed, startOffset + 1, kept.WrittenCount, prefixLength, buffer);
                    }
                }
            }
            else if (b is (byte)',' or (byte)':' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}')
            {
                bytes.Advance(1);
            }
            else
            {
                // A number or a literal: never more than a few characters in an account.
                if (!bytes.TryAdvanceToAny(" \t\r\n,:[]{}\""u8, advancePastDelimiter: false))
                {
                    bytes.AdvanceToEnd();
                }

                if (feed.Slice(start, bytes.Position).Length > MaximumFieldBytes)
                {
                    throw NotAList(Here);
                }
            }

            foreach (var segment in feed.Slice(start, bytes.Position))
            {
                kept.Write(segment.Span);
            }
        }

        _prefix = kept.WrittenCount == 0 ? null : kept.WrittenSpan.ToArray();
        return (buffer.End, false);
    }

    /// <summary>A string whose content, from <paramref name="content"/> (an offset in the feed), is over the limit.</summary>
    private (SequencePosition Resume, bool Moved) OverLongString(ReadOnlySequence<byte> feed, long content, int before, int prefixLength, ReadOnlySequence<byte> buffer)
    {
        if (_inRow && _last == JsonTokenType.PropertyName && before == 0)
        {
            // A field's value: passed over, and the row reported as CSV reports a field over the limit.
            _skipping = true;
            _escaped = false;
            _utf8.Reset();
            var end = PassOver(feed.Slice(content));
            if (end is not { } after)
            {
                _prefix = null;
                return (buffer.End, false);
            }

            return (buffer.GetPosition(content + feed.Slice(content).Slice(0, after).Length - prefixLength), true);
        }

        if (_inRow)
        {
            throw new AccountListFormatException("account_list.json_invalid",
                $"'$[{_rows}]' holds a field whose name is longer than any field of an account (row {_rows + 1}); an account is {Shape} (and the line a list read back gives).");
        }

        throw NotAList(Here);
    }

    /// <summary>
    /// Passes over the content of a string, checking it is UTF-8 without a control character, to its closing quote; answers
    /// the position after the quote (the stand-in <c>""</c> is then read in the string's place), or null when it goes on.
    /// </summary>
    private SequencePosition? PassOver(ReadOnlySequence<byte> content)
    {
        var offset = 0L;
        foreach (var segment in content)
        {
            var span = segment.Span;
            var at = 0;
            while (at < span.Length)
            {
                if (_escaped)
                {
                    _escaped = false;
                    at++;
                    continue;
                }

                var rest = span[at..];
                var stop = rest.IndexOfAny((byte)'"', (byte)'\\');
                var text = stop < 0 ? rest : rest[..stop];
                if (text.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
                {
                    throw NotAList(Here);
                }

                CheckUtf8(text, flush: false);
                if (stop < 0)
                {
                    break;
                }

                at += stop + 1;
                if (rest[stop] == (byte)'\\')
                {
                    _escaped = true;
                    continue;
                }

                CheckUtf8([], flush: true);
                _skipping = false;
                _standIn = true;
                _prefix = EmptyString;
                return content.GetPosition(offset + at);
            }

            offset += span.Length;
        }

        return null;
    }

    private void CheckUtf8(ReadOnlySpan<byte> text, bool flush)
    {
        try
        {
            do
            {
                _utf8.Convert(text, _scratch, flush, out var used, out _, out _);
                text = text[used..];
            }
            while (!text.IsEmpty);
        }
        catch (DecoderFallbackException)
        {
            throw NotUtf8();
        }
    }

    private void Take(ref Utf8JsonReader json)
    {
        switch (json.TokenType)
        {
            case JsonTokenType.StartArray when _last == JsonTokenType.None:
                return;
            case JsonTokenType.StartObject when !_inRow:
                _inRow = true;
                return;
            case JsonTokenType.EndObject:
                EndRow();
                return;
            case JsonTokenType.EndArray when !_inRow:
                _done = true;
                return;
            case JsonTokenType.PropertyName:
                Field(ref json);
                return;
            case JsonTokenType.Null when !_inRow:
                // Like an element of any other type that is not an account: the body is not a list of accounts.
                throw new AccountListFormatException("account_list.json_invalid",
                    $"The body is not a JSON array of accounts {Shape} in UTF-8 (row {_rows + 1} is null, at $[{_rows}]).");
            default:
                if (!_inRow)
                {
                    throw NotAList(Here);
                }

                Value(ref json);
                return;
        }
    }

    private void Field(ref Utf8JsonReader json)
    {
        var name = Text(ref json);
        var field = Array.FindIndex(Fields, f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));
        _fieldName = name;
        if (field < 0)
        {
            throw new AccountListFormatException("account_list.json_invalid",
                $"'{Here}' is not a field of an account (row {_rows + 1}); an account is {Shape} (and the line a list read back gives).");
        }

        if (_given[field])
        {
            throw new AccountListFormatException("account_list.json_invalid", $"'{Here}' is given more than once in one account (row {_rows + 1}).");
        }

        _given[field] = true;
        _field = field;
    }

    private void Value(ref Utf8JsonReader json)
    {
        var type = json.TokenType;
        switch (_field)
        {
            case Private when type is JsonTokenType.True or JsonTokenType.False:
                _values[_field] = type == JsonTokenType.True ? "true" : "false";
                return;
            case Line when type == JsonTokenType.Number && json.TryGetInt32(out _):
            case Line when type == JsonTokenType.String && int.TryParse(Text(ref json), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                return; // rows are numbered by their place in the upload
            case < Private when type == JsonTokenType.String:
                _values[_field] = FieldText(ref json);
                return;
            case >= 0 when type == JsonTokenType.Null:
                _values[_field] = null;
                return;
            default:
                // An object, an array, a number where text goes: not an account.
                throw NotAList(Here);
        }
    }

    /// <summary>A field's text, or null with the row marked bad when it is longer than the limit (then it is not decoded).</summary>
    private string? FieldText(ref Utf8JsonReader json)
    {
        if (_standIn)
        {
            _standIn = false;
            _tooLong = true;
            return null;
        }

        if ((json.HasValueSequence ? json.ValueSequence.Length : json.ValueSpan.Length) > MaximumFieldBytes)
        {
            _utf8.Reset();
            if (json.HasValueSequence)
            {
                foreach (var segment in json.ValueSequence)
                {
                    CheckUtf8(segment.Span, flush: false);
                }
            }
            else
            {
                CheckUtf8(json.ValueSpan, flush: false);
            }

            CheckUtf8([], flush: true);
            _tooLong = true;
            return null;
        }

        var text = Text(ref json);
        if (text.Length > AccountCsvReader.MaximumFieldLength)
        {
            _tooLong = true;
            return null;
        }

        return text;
    }

    private string Text(ref Utf8JsonReader json)
    {
        try
        {
            return json.GetString()!;
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException)
        {
            // Text that is not UTF-8 (Latin-1's ü, say) in a string or a field's name: the file's encoding, as CSV says, not its shape.
            throw NotUtf8();
        }
        catch (InvalidOperationException)
        {
            // An escaped surrogate without its pair.
            throw NotAList(Here);
        }
    }

    private void EndRow()
    {
        var line = _rows + 1;
        if (_tooLong)
        {
            _onBadRow(line, AccountCsvReader.FieldTooLong);
        }
        else
        {
            _onRow(new AccountRowInput(line, _values[0], _values[1], _values[2], _values[3], _values[Private]));
        }

        _rows++;
        _inRow = false;
        _tooLong = false;
        _field = -1;
        _fieldName = null;
        Array.Clear(_values);
        Array.Clear(_given);
    }

    /// <summary>Where in the array reading is, as a JSON path: the element, and the field within it.</summary>
    private string Here => _inRow && _fieldName is not null ? $"$[{_rows}].{Characters.Shown(_fieldName)}" : $"$[{_rows}]";

    private AccountListFormatException NotAList(string? at = null) =>
        new("account_list.json_invalid", $"The body is not a JSON array of accounts {Shape} in UTF-8 (after row {_rows}{(at is null ? string.Empty : $", at {at}")}).");

    private AccountListFormatException NotUtf8() =>
        new("account_list.encoding_invalid", $"The body is not valid UTF-8 (in row {_rows + 1}); save it as UTF-8 and upload again.");


    /// <summary>A piece of a sequence made of the prefix and the pipe's buffer.</summary>
    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        private Chunk(ReadOnlyMemory<byte> memory, Chunk? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }

        public static ReadOnlySequence<byte> Join(byte[] prefix, ReadOnlySequence<byte> rest)
        {
            var first = new Chunk(prefix, null);
            var last = first;
            foreach (var memory in rest)
            {
                last = new Chunk(memory, last);
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
