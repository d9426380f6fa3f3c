using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds what every OpenAI SDK pipeline reads (chat completions, Responses, embeddings), the one place for it: a whole
/// answer, or a failed answer's body, at most <c>MaxResponseContentLength</c>, buffered once through a
/// <see cref="BoundedReadStream"/> (as the SDK's transport would buffer it, but stopping at the limit); a failed body is
/// noted on the current <see cref="GatewayCall"/> when there is one; each event of a stream at most
/// <c>MaxStreamEventLength</c>, with an <c>event: error</c> noted on the call as it passes (<see cref="EventStreamGuard"/>).
/// An answer the caller reads itself (chat completions' protocol method) passes as it came.
/// </summary>
internal sealed class BoundedResponsePolicy(long maxResponseContentLength, long maxStreamEventLength) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        // The SDK's synchronous methods are not used by this package's clients; this keeps them correct all the same.
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        // A whole answer is buffered here rather than by the transport, through a bounded view of the body: one copy, as
        // on Microsoft's own client, and never more than the limit in memory.
        bool buffer = message.BufferResponse;
        message.BufferResponse = false;
        try
        {
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }
        finally
        {
            message.BufferResponse = buffer;
        }

        if (message.Response is not { } response)
        {
            return;
        }

        var call = GatewayCall.Current;
        if (buffer)
        {
            await BufferAsync(response, call, message.CancellationToken).ConfigureAwait(false);
            return;
        }

        if (response.ContentStream is null)
        {
            return;
        }

        bool stream = response.Headers.TryGetValue("Content-Type", out string? contentType) &&
            contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (!response.IsError && stream)
        {
            response.ContentStream = new EventStreamGuard(response.ContentStream, maxStreamEventLength, call);
            return;
        }

        if (!response.IsError)
        {
            return;
        }

        // A failed answer to a streamed request: its body, within the limit.
        BinaryData body;
        try
        {
            body = await ResponseBodyReader.ReadAsync(response, maxResponseContentLength, message.CancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException) when (response.IsError)
        {
            // Too large to be an error body: the status and headers still say what happened.
            body = BinaryData.Empty;
        }

        response.ContentStream = body.ToStream();
        await response.BufferContentAsync(message.CancellationToken).ConfigureAwait(false);
        call?.ReceivedError(body);
    }

    private async Task BufferAsync(PipelineResponse response, GatewayCall? call, CancellationToken cancellationToken)
    {
        if (response.ContentStream is { } body)
        {
            response.ContentStream = new BoundedReadStream(body, maxResponseContentLength);
            try
            {
                await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException) when (response.IsError)
            {
                // Too large to be an error body: the status and headers still say what happened.
                response.ContentStream = new MemoryStream([]);
                await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (response.IsError)
        {
            call?.ReceivedError(response.Content);
        }
    }
}
