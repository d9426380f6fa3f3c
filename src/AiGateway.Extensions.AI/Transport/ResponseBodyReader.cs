using System.Buffers;
using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>Reads a whole response body into one exactly sized array, refusing one larger than the configured limit.</summary>
internal static class ResponseBodyReader
{
    public static async Task<BinaryData> ReadAsync(PipelineResponse response, long limit, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            return response.Content;
        }

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
}
