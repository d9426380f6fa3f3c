using System.Buffers;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Passes a server-sent-event stream through unchanged while noting the data of an <c>event: error</c> (Anthropic's
/// error inside a stream) on the call, so the failure is read from the event itself rather than from an SDK's message.
/// Only the lines of an error event are kept, within the event size limit.
/// </summary>
internal sealed class ErrorEventTap(Stream inner, GatewayCall call, long maxEventLength) : Stream
{
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private bool _inErrorEvent;
    private bool _lineTooLong;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Scan(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Scan(buffer.Span[..read]);
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

    private int Scan(ReadOnlySpan<byte> read)
    {
        int count = read.Length;
        while (!read.IsEmpty)
        {
            int end = read.IndexOf((byte)'\n');
            var part = end < 0 ? read : read[..end];
            if (_line.WrittenCount + part.Length <= maxEventLength)
            {
                _line.Write(part);
            }
            else
            {
                _lineTooLong = true;
            }

            if (end < 0)
            {
                break;
            }

            Line(_line.WrittenSpan.TrimEnd((byte)'\r'));
            _line.ResetWrittenCount();
            _lineTooLong = false;
            read = read[(end + 1)..];
        }

        return count;
    }

    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            _inErrorEvent = false;
        }
        else if (line.StartsWith("event:"u8))
        {
            _inErrorEvent = line["event:"u8.Length..].Trim((byte)' ').SequenceEqual("error"u8);
        }
        else if (_inErrorEvent && !_lineTooLong && line.StartsWith("data:"u8))
        {
            call.ReceivedStreamError(line["data:"u8.Length..].TrimStart((byte)' ').ToArray());
        }
    }
}
