using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds what a Responses request reads, as every route does: an answer or a failed answer's body at most
/// <c>MaxResponseContentLength</c> (read here rather than buffered whole by the SDK; a failed answer's body is noted
/// on the <see cref="GatewayCall"/>), each event of a stream at most <c>MaxStreamEventLength</c>, with an
/// <c>event: error</c> noted on the call as it passes (<see cref="EventStreamGuard"/>).
/// </summary>
internal sealed class ResponsesLimitsPolicy(long maxResponseContentLength, long maxStreamEventLength) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        bool buffer = message.BufferResponse;
        message.BufferResponse = false;
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        if (message.Response is not { } response || response.ContentStream is null)
        {
            return;
        }

        var call = GatewayCall.Current;
        var cancellationToken = message.CancellationToken;
        bool stream = response.Headers.TryGetValue("Content-Type", out string? contentType) &&
            contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        if (!response.IsError && stream)
        {
            response.ContentStream = new EventStreamGuard(response.ContentStream, maxStreamEventLength, call);
            return;
        }

        if (!buffer && !response.IsError)
        {
            return;
        }

        // A body whose declared length is within the limit is buffered once, as the SDK would have buffered it.
        if (!response.IsError && response.Headers.TryGetValue("Content-Length", out string? declared) &&
            long.TryParse(declared, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length) && length <= maxResponseContentLength)
        {
            await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        BinaryData body;
        try
        {
            body = await ResponseBodyReader.ReadAsync(response, maxResponseContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException) when (response.IsError)
        {
            // Too large to be an error body: the status and headers still say what happened.
            body = BinaryData.Empty;
        }

        response.ContentStream = body.ToStream();
        await response.BufferContentAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            call?.ReceivedError(body);
        }
    }
}
