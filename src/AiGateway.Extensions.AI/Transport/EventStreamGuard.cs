using System.Buffers;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A read-only view of a server-sent-event stream, passed through unchanged, that fails once one event (the bytes
/// between two blank lines) grows past a limit, so a provider that never ends an event cannot make an SSE parser buffer
/// without bound. Given a call, it also notes the data of an <c>event: error</c> (Anthropic's error inside a stream) on
/// it, so the failure is read from the event itself rather than from an SDK's message.
/// </summary>
internal sealed class EventStreamGuard(Stream inner, long maxEventLength, GatewayCall? call = null, PieceTimeout? pieces = null, bool ownsPieces = true) : ReadOnlyViewStream(inner, pieces, ownsPieces)
{
    private long _eventLength;
    private int _lineEnds;
    private bool _afterCarriageReturn;

    // Only with a call: the start of the current line (all of it inside an error event), whether it was cut short, and
    // whether the current event is an error event. Only an error event's data is kept whole, so a stream of long
    // events costs no buffer that grows to the longest line.
    private const int LineStartLength = 32;
    private readonly ArrayBufferWriter<byte>? _line = call is null ? null : new(LineStartLength);
    private bool _lineCut;
    private bool _inErrorEvent;

    protected override int Inspect(ReadOnlySpan<byte> read)
    {
        if (_line is null && _eventLength + read.Length <= maxEventLength && !_afterCarriageReturn && !read.Contains((byte)'\r'))
        {
            InspectLineFeeds(read);
            return read.Length;
        }

        var rest = read;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (end != 0)
            {
                // Event text up to the next line end (or the end of what was read).
                var text = end < 0 ? rest : rest[..end];
                _eventLength += text.Length;
                _lineEnds = 0;
                _afterCarriageReturn = false;
                if (_eventLength > maxEventLength)
                {
                    throw new InvalidDataException($"A stream event is larger than MaxStreamEventLength ({maxEventLength} bytes).");
                }

                if (_line is not null)
                {
                    KeepLine(text);
                }

                if (end < 0)
                {
                    break;
                }

                rest = rest[end..];
            }

            // One line end: \r\n counts once. Two in a row end the event.
            bool lineFeedAfterCarriageReturn = rest[0] == (byte)'\n' && _afterCarriageReturn;
            _afterCarriageReturn = rest[0] == (byte)'\r';
            if (!lineFeedAfterCarriageReturn)
            {
                LineEnded();
                if (++_lineEnds >= 2)
                {
                    _eventLength = 0;
                }
            }

            rest = rest[1..];
        }

        return read.Length;
    }

    /// <summary>
    /// The same count for a read that cannot complete an event over the limit (the event in progress and the whole read
    /// together are within it) and whose lines all end in <c>\n</c> (what providers send), without a look at every
    /// line: the event in progress is what follows the read's last blank line.
    /// </summary>
    private void InspectLineFeeds(ReadOnlySpan<byte> read)
    {
        int blank = read.LastIndexOf("\n\n"u8);
        int start = blank >= 0 ? blank + 2
            : _lineEnds > 0 && read.StartsWith("\n"u8) ? 1
            : -1;
        var tail = start < 0 ? read : read[start..];

        // Line ends are not event text.
        long text = tail.Length - tail.Count((byte)'\n');
        _eventLength = start < 0 ? _eventLength + text : text;
        int trailing = read.Length - read.TrimEnd((byte)'\n').Length;
        _lineEnds = trailing == read.Length ? Math.Min(2, _lineEnds + trailing) : Math.Min(2, trailing);
    }

    /// <summary>Keeps the start of each line (enough to tell <c>event: error</c>), and all of a line inside an error event.</summary>
    private void KeepLine(ReadOnlySpan<byte> text)
    {
        int room = _inErrorEvent ? text.Length : Math.Max(0, LineStartLength - _line!.WrittenCount);
        if (room < text.Length)
        {
            _lineCut = true;
        }

        _line!.Write(text[..Math.Min(room, text.Length)]);
    }

    private void LineEnded()
    {
        if (_line is null)
        {
            return;
        }

        var line = _line.WrittenSpan;
        if (line.IsEmpty)
        {
            _inErrorEvent = false;
        }
        else if (line.StartsWith("event:"u8))
        {
            _inErrorEvent = !_lineCut && line["event:"u8.Length..].Trim((byte)' ').SequenceEqual("error"u8);
        }
        else if (_inErrorEvent && line.StartsWith("data:"u8))
        {
            call!.ReceivedStreamError(line["data:"u8.Length..].TrimStart((byte)' ').ToArray());
        }

        _line.ResetWrittenCount();
        _lineCut = false;
    }
}
