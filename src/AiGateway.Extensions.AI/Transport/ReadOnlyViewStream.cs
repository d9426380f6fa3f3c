namespace AiGateway.Extensions.AI;

/// <summary>
/// A read-only, forward-only view of a response body that passes every read through <see cref="Inspect"/>: the one
/// place the stream plumbing of <see cref="EventStreamGuard"/> and <see cref="BoundedReadStream"/> lives. Given a
/// <see cref="PieceTimeout"/>, each asynchronous read is bounded by it. Disposing the view disposes the body, and the
/// timeout when the view owns it (a stream's; a whole answer's belongs to its exchange, <see cref="WholeAnswerTimeout"/>).
/// </summary>
internal abstract class ReadOnlyViewStream(Stream inner, PieceTimeout? pieces = null, bool ownsPieces = true) : Stream
{
    private readonly PieceTimeout? _timeout = pieces;

    // Given back (to its pool) once: a stream may be disposed more than once.
    private PieceTimeout? _owned = ownsPieces ? pieces : null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Inspect(buffer[..inner.Read(buffer)]);

    // Every read of every stream passes here: its state is pooled, not allocated per read that waits.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_timeout is not { } timeout)
        {
            int length = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Inspect(buffer.Span[..length]);
        }

        int read;
        try
        {
            read = await inner.ReadAsync(buffer, timeout.Start(cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (timeout.TimedOut(e) is { } timedOut)
        {
            throw timedOut;
        }
        finally
        {
            timeout.Stop();
        }

        return Inspect(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Looks at the bytes just read (throwing to fail the read) and returns how many the caller gets.</summary>
    protected abstract int Inspect(ReadOnlySpan<byte> read);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            Interlocked.Exchange(ref _owned, null)?.Dispose();
        }

        base.Dispose(disposing);
    }
}
