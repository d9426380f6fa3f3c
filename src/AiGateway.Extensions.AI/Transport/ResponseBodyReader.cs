using System.Buffers;
using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>Reads a whole response body, refusing one larger than the configured limit.</summary>
internal static class ResponseBodyReader
{
    public static async Task<BinaryData> ReadAsync(PipelineResponse response, long limit, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            return response.Content;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            int read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new BinaryData(buffer.WrittenMemory);
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw new InvalidDataException(
                    $"The response body is larger than MaxResponseContentLength ({limit} bytes).");
            }
        }
    }
}
