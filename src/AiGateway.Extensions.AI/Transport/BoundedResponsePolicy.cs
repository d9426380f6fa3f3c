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
/// Within a <see cref="GatewayCall"/> nothing is timed by the SDK's transport (its network timeout is infinite): its
/// read-timeout stream restarts a timer and allocates a task on every read and links a token source on each read of a
/// token that can be cancelled, and its own token source needs a timer per request. A stream's exchange bounds the wait
/// for it to start (<see cref="StreamStart"/>) and a pooled <see cref="PieceTimeout"/> here each next piece of its body;
/// a whole answer's waits, its headers and each piece of its body, are timed by its exchange's
/// <see cref="WholeAnswerTimeout"/>. A request whose answer is not buffered is a stream, unless its body says it is a
/// whole answer its exchange reads itself (<see cref="GatewayCallContent.Streamed"/>: chat completions).
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
        var call = GatewayCallContent.CallOf(message);

        // A whole answer timed by its exchange times its body's pieces with the same timeout (the body's view does not own
        // it); a stream's body gets one of its own. A whole answer outside a call keeps the transport's network timeout.
        var wholeAnswer = streamed ? null : call?.AnswerTimeout;
        var owned = streamed ? PieceTimeout.For(networkTimeout, call?.Time ?? TimeProvider.System) : null;
        bool ownsPieces = owned is not null;
        var pieces = owned ?? wholeAnswer;
        message.BufferResponse = false;
        if (streamed || wholeAnswer is not null)
        {
            message.NetworkTimeout = Timeout.InfiniteTimeSpan;
        }

        try
        {
            // The wait for a whole answer's headers is its first piece (on every request of the call: the SDK may send
            // more than one, polling a background response); the transport ends it as they arrive.
            wholeAnswer?.Watch();
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
        finally
        {
            message.BufferResponse = buffer;
        }

        var caller = message.CancellationToken;
        if (message.Response is not { ContentStream: { } body } response)
        {
            owned?.Dispose();
            return;
        }

        if (buffer)
        {
            await BufferAsync(response, new BoundedReadStream(body, maxResponseContentLength, pieces, ownsPieces), call, caller).ConfigureAwait(false);
            return;
        }

        bool stream = response.Headers.TryGetValue("Content-Type", out string? contentType) &&
            contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (!response.IsError)
        {
            // Error events are read by whoever parses the stream (chat completions' reader; Microsoft's Responses client
            // maps them to updates the exchange fails on), so the guard only bounds and times it here. A whole answer
            // its exchange reads is a bounded view too (never the transport's own body: disposing the response would
            // read an in-memory handler's body again from its start, and fail).
            response.ContentStream = streamed && stream
                ? new EventStreamGuard(body, maxStreamEventLength, pieces: pieces, ownsPieces: ownsPieces)
                : new BoundedReadStream(body, maxResponseContentLength, pieces, ownsPieces);
            return;
        }

        // A failed answer to a request its exchange reads: its body, within the limit.
        BinaryData error;
        using (var bounded = new BoundedReadStream(body, maxResponseContentLength, pieces, ownsPieces))
        {
            try
            {
                error = await ResponseBodyReader.ReadAsync(bounded, maxResponseContentLength, caller).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                // Too large to be an error body: the status and headers still say what happened.
                error = BinaryData.Empty;
            }
        }

        response.ContentStream = error.ToStream();
        await response.BufferContentAsync(caller).ConfigureAwait(false);
        call?.ReceivedError(error);
    }

    /// <summary>Buffers a whole answer through its bounded, timed view (which the buffering disposes).</summary>
    private static async Task BufferAsync(PipelineResponse response, BoundedReadStream body, GatewayCall? call, CancellationToken cancellationToken)
    {
        response.ContentStream = body;
        try
        {
            await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException) when (response.IsError)
        {
            // Too large to be an error body: the status and headers still say what happened.
            await body.DisposeAsync().ConfigureAwait(false);
            response.ContentStream = new MemoryStream([]);
            await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await body.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (response.IsError)
        {
            call?.ReceivedError(response.Content);
        }
    }
}
