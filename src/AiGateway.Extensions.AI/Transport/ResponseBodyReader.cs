using System.Buffers;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;

namespace AiGateway.Extensions.AI;

/// <summary>Reads a whole response body into one exactly sized array, refusing one larger than the configured limit.</summary>
/// <remarks>
/// On every answer's path, so the reads return pooled <see cref="ValueTask{TResult}"/>s (the runtime's pooling
/// builder): awaited once each, they cost no allocation beyond the body itself.
/// </remarks>
internal static class ResponseBodyReader
{
    public static ValueTask<BinaryData> ReadAsync(PipelineResponse response, long limit, CancellationToken cancellationToken) =>
        response.ContentStream is { } stream ? ReadAsync(stream, limit, cancellationToken) : new(response.Content);

    /// <summary>Reads <paramref name="stream"/> to its end; throws <see cref="InvalidDataException"/> past <paramref name="limit"/> bytes.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<BinaryData> ReadAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        // Pooled while reading, so the only allocation is the final exactly sized copy.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new BinaryData(buffer.AsSpan(0, length).ToArray());
                }

                length += read;
                if (length > limit)
                {
                    throw new InvalidDataException($"The response body is larger than MaxResponseContentLength ({limit} bytes).");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> of the body, as text (for messages about a body that is not what was expected).</summary>
    public static async Task<string> ReadStartAsync(PipelineResponse response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            var content = response.Content.ToMemory();
            return System.Text.Encoding.UTF8.GetString(content.Span[..Math.Min(maxBytes, content.Length)]);
        }

        byte[] buffer = new byte[maxBytes];
        int length = 0;
        int read;
        while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }
}
