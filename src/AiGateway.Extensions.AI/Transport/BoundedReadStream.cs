namespace AiGateway.Extensions.AI;

/// <summary>
/// A view of a response body that fails with <see cref="InvalidDataException"/> once more than the limit has been read,
/// so whatever buffers the body (the SDK's transport, <c>BufferContentAsync</c>) stops there instead of exhausting memory.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, PieceTimeout? pieces = null, bool ownsPieces = true) : ReadOnlyViewStream(inner, pieces, ownsPieces)
{
    private long _read;

    protected override int Inspect(ReadOnlySpan<byte> read)
    {
        _read += read.Length;
        return _read > limit
            ? throw new InvalidDataException($"The response body is larger than MaxResponseContentLength ({limit} bytes).")
            : read.Length;
    }
}
