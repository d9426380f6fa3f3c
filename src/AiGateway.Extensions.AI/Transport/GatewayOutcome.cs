using System.ClientModel;
using System.Text.Json;
using Anthropic.Exceptions;
using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI;

/// <summary>
/// How a <see cref="GatewayCall"/> ended, decided and reported in one place for every wire format: an answer becomes
/// an <see cref="AiGatewayResponseInfo"/>; a failure of the network, the gateway or the provider becomes an
/// <see cref="AiGatewayException"/> built from the gateway's and the provider's own words. Both are reported once
/// (span tags, counters, one log line).
/// </summary>
internal static class GatewayOutcome
{
    /// <summary>
    /// Whether <paramref name="exception"/> is a failure of the network, the gateway or the provider's data, to report as
    /// <see cref="AiGatewayException"/>. The caller's own cancellation and failures of this process's code (an
    /// <see cref="ArgumentException"/> about the request, an <see cref="InvalidOperationException"/>) pass as they
    /// are, so no fallback ever retries a bug or counts a caller's mistake against a route.
    /// </summary>
    public static bool IsGatewayFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is AiGatewayException or HttpRequestException or IOException or InvalidDataException or TimeoutException
            or ClientResultException or JsonException or FormatException or AnthropicException or StreamErrorEventException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The gateway's facts of a successful answer, reported on the call's span, the cache counter and the log.</summary>
    public static AiGatewayResponseInfo Answered(GatewayCall call, ILogger logger)
    {
        int status = call.Status ?? 200;
        var elapsed = call.Elapsed;
        var info = call.ResponseHeaders.ToInfo(call.Route, elapsed, status, call.EventId);
        GatewayInstruments.Answered(logger, call.Span, info, status, elapsed);
        return info;
    }

    /// <summary>The failure as every route reports it, tagged on the call's span and logged once.</summary>
    public static AiGatewayException Failed(GatewayCall call, Exception exception, ILogger logger) =>
        GatewayInstruments.Failed(logger, call.Span, ToGatewayException(call, exception));

    /// <summary>The body of a failed answer an OpenAI SDK method buffered into its exception (Microsoft's embedding generator's calls).</summary>
    private static BinaryData ErrorBodyOf(Exception exception)
    {
        try
        {
            return (exception as ClientResultException)?.GetRawResponse()?.Content ?? BinaryData.Empty;
        }
        catch (InvalidOperationException)
        {
            // An unbuffered body: the status and headers still say what happened.
            return BinaryData.Empty;
        }
    }

    private static AiGatewayException ToGatewayException(GatewayCall call, Exception exception)
    {
        var route = call.Route;
        var elapsed = call.Elapsed;
        string? logId = call.ResponseHeaders.LogId;
        if (exception is AiGatewayException already)
        {
            return already;
        }

        // An answer with an error status: its own status, headers and body decide, whatever the SDK made of them.
        if (call.Status is >= 400 and int status)
        {
            return GatewayErrorFactory.FromResponse(route, status, call.ReasonPhrase, call.Header, call.ErrorBody ?? ErrorBodyOf(exception), elapsed, call.Time);
        }

        if (exception is StreamErrorEventException streamError)
        {
            return GatewayErrorFactory.FromStreamError(route, streamError.ErrorEvent, logId, elapsed);
        }

        if (call.StreamError is { } errorEvent)
        {
            return GatewayErrorFactory.FromStreamError(route, errorEvent, logId, elapsed);
        }

        Exception cause = exception switch
        {
            StreamStartTimeoutException => exception,
            _ when call.AnswerTimedOut && PieceTimeout.IsCancellation(exception) => PieceTimeout.Error(route.NetworkTimeout, exception),
            OperationCanceledException or TimeoutException => new TimeoutException(exception.Message, exception),
            InvalidDataException => exception,
            JsonException or FormatException or AnthropicInvalidDataException or AnthropicSseException =>
                new InvalidDataException("The answer could not be read: " + exception.Message, exception),
            _ => exception,
        };
        return GatewayErrorFactory.FromException(route, cause, elapsed, logId);
    }
}
