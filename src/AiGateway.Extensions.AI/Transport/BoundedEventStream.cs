namespace AiGateway.Extensions.AI;

/// <summary>
/// A read-only view of a server-sent-event stream that fails once one event (the bytes between two blank lines) grows
/// past a limit, so a provider that never ends an event cannot make the SSE parser buffer without bound.
/// </summary>
internal sealed class BoundedEventStream(Stream inner, long maxEventLength) : Stream
{
    private long _eventLength;
    private int _lineEnds;
    private bool _afterCarriageReturn;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Count(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Count(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        var rest = read;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (end != 0)
            {
                // Event text up to the next line end (or the end of what was read).
                _eventLength += end < 0 ? rest.Length : end;
                _lineEnds = 0;
                _afterCarriageReturn = false;
                if (_eventLength > maxEventLength)
                {
                    throw new InvalidDataException($"A stream event is larger than MaxStreamEventLength ({maxEventLength} bytes).");
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
            if (!lineFeedAfterCarriageReturn && ++_lineEnds >= 2)
            {
                _eventLength = 0;
            }

            rest = rest[1..];
        }

        return read.Length;
    }
}
