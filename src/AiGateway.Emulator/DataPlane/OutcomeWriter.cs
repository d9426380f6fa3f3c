using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator;

/// <summary>
/// Writes a step's outcome: a whole body, or its SSE events one by one (with the chunk delay on the emulator's clock),
/// breaking the stream where a fault says (dropped connection, error event, cut events).
/// </summary>
internal sealed class OutcomeWriter(AiGatewayEmulatorOptions options)
{
    /// <summary>Writes the outcome as its status, content type and body or events.</summary>
    public async Task WriteAsync(HttpContext context, StepOutcome outcome)
    {
        var response = context.Response;
        response.StatusCode = outcome.Status;
        response.ContentType = outcome.ContentType;
        if (outcome.Events is null)
        {
            await response.WriteAsync(outcome.Body ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var fault = outcome.StreamFault;
        int sent = 0;
        foreach (string sseEvent in outcome.Events)
        {
            if (fault?.DropAfterChunks == sent)
            {
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (fault?.ErrorEventAfterChunks == sent)
            {
                await response.WriteAsync(outcome.Wire!.StreamError("Emulated upstream failure mid-stream."), context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (sent > 0 && options.StreamChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.StreamChunkDelay, options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            }

            string text = fault?.Malformed == true && sseEvent.Contains('{', StringComparison.Ordinal)
                ? sseEvent[..(sseEvent.LastIndexOf('}') - 3)] + "\n\n"
                : sseEvent;
            await response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            sent++;
        }
    }

    /// <summary>Writes a JSON answer the gateway gives itself (an unknown gateway, a rate limit, a bad request).</summary>
    public static Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }
}
