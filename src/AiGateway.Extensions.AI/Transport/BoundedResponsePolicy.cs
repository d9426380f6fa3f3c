using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds what every OpenAI SDK pipeline reads (chat completions, Responses, embeddings), the one place for it: a whole
/// answer, or a failed answer's body, at most <c>MaxResponseContentLength</c>, buffered once through a
/// <see cref="BoundedReadStream"/> (as the SDK's transport would buffer it, but stopping at the limit); a failed body is
/// noted on the request's <see cref="GatewayCall"/> when there is one; each event of a stream at most
/// <c>MaxStreamEventLength</c> (<see cref="EventStreamGuard"/>).
/// </summary>
/// <remarks>
/// A request whose answer is not buffered is a stream, unless its body says it is a whole answer its exchange reads
/// itself (<see cref="GatewayCallContent.Streamed"/>: chat completions, which then passes as it came). A stream's wait
/// for the answer to start is bounded by the exchange
/// (<see cref="StreamStart"/>, never longer than the network timeout), and each next piece of its body here
/// (<see cref="PieceTimeout"/>), so the SDK's transport times neither: its read-timeout stream restarts a timer and
/// allocates a task on every read, and links a token source on each read of a token that can be cancelled.
/// </remarks>
internal sealed class BoundedResponsePolicy(long maxResponseContentLength, long maxStreamEventLength, TimeSpan networkTimeout) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        // The SDK's synchronous methods are not used by this package's clients; this keeps them correct all the same.
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        // A whole answer is buffered here rather than by the transport, through a bounded view of the body: one copy, as
        // on Microsoft's own client, and never more than the limit in memory.
        bool buffer = message.BufferResponse;
        bool streamed = !buffer && message.Request.Content is not GatewayCallContent { Streamed: false };
        message.BufferResponse = false;
        if (streamed)
        {
            message.NetworkTimeout = Timeout.InfiniteTimeSpan;
        }

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

        var call = GatewayCallContent.CallOf(message);
        if (buffer)
        {
            await BufferAsync(response, call, message.CancellationToken).ConfigureAwait(false);
            return;
        }

        if (response.ContentStream is not { } body)
        {
            return;
        }

        if (!streamed && !response.IsError)
        {
            // A whole answer its exchange reads: as it came, unless it is a MemoryStream (an in-memory handler's, with no
            // network timeout to wrap it): disposing the response reads such a body again from its start, and fails.
            if (body is MemoryStream)
            {
                response.ContentStream = new BoundedReadStream(body, maxResponseContentLength);
            }

            return;
        }

        // The transport times the pieces of a whole answer's body; a stream's are timed here.
        var pieces = !streamed || networkTimeout == Timeout.InfiniteTimeSpan ? null : PieceTimeout.For(networkTimeout, call?.Time ?? TimeProvider.System);
        bool stream = response.Headers.TryGetValue("Content-Type", out string? contentType) &&
            contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (!response.IsError)
        {
            // Error events are read by whoever parses the stream (chat completions' reader; Microsoft's Responses client
            // maps them to updates the exchange fails on), so the guard only bounds and times it here.
            response.ContentStream = stream
                ? new EventStreamGuard(body, maxStreamEventLength, pieces: pieces)
                : new BoundedReadStream(body, maxResponseContentLength, pieces);
            return;
        }

        // A failed answer to a streamed request: its body, within the limit.
        BinaryData error;
        using (var bounded = new BoundedReadStream(body, maxResponseContentLength, pieces))
        {
            try
            {
                error = await ResponseBodyReader.ReadAsync(bounded, maxResponseContentLength, message.CancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                // Too large to be an error body: the status and headers still say what happened.
                error = BinaryData.Empty;
            }
        }

        response.ContentStream = error.ToStream();
        await response.BufferContentAsync(message.CancellationToken).ConfigureAwait(false);
        call?.ReceivedError(error);
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
