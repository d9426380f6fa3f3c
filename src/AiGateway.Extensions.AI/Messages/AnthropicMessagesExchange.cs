using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One request on an Anthropic Messages route: the Anthropic SDK's chat client writes and reads Anthropic's format,
/// this adds what every route has (the gateway's headers, its facts on the answer and on the span, typed
/// <see cref="AiGatewayException"/>s from the gateway's and Anthropic's error bodies, the network timeout between
/// stream events).
/// </summary>
internal sealed class AnthropicMessagesExchange(TimeProvider timeProvider, ILogger logger)
{
    public async Task<ChatResponse> GetResponseAsync(RouteTransport transport, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var route = transport.Route;
        var (call, eventId, span) = Begin(route, options);
        long started = timeProvider.GetTimestamp();
        ChatResponse response;
        try
        {
            using (call.Begin())
            {
                response = await transport.Messages!.GetResponseAsync(messages, AnthropicRequestFields.Apply(route, options), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw Failed(span, ToGatewayException(route, call, e, timeProvider.GetElapsedTime(started)));
        }

        var (info, headers) = Answered(route, call, eventId, span, timeProvider.GetElapsedTime(started));
        var properties = response.AdditionalProperties ??= [];
        properties[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
        headers.CopyTo(properties);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        RouteTransport transport, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var route = transport.Route;
        var (call, eventId, span) = Begin(route, options);
        long started = timeProvider.GetTimestamp();

        // Cancelled when the caller cancels, or when the next piece of the stream does not come within the network timeout.
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var updates = transport.Messages!.GetStreamingResponseAsync(messages, AnthropicRequestFields.Apply(route, options), stalled.Token).GetAsyncEnumerator(stalled.Token);

        await using (updates.ConfigureAwait(false))
        {
            AiGatewayResponseInfo? info = null;
            while (true)
            {
                bool more;
                try
                {
                    // The request goes out during the first MoveNextAsync: only then must the call be on the flow.
                    using (info is null ? call.Begin() : null)
                    {
                        stalled.CancelAfter(route.NetworkTimeout);
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                        stalled.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failed(span, GatewayErrorFactory.FromException(route, new TimeoutException(e.Message, e), timeProvider.GetElapsedTime(started), call.ResponseHeaders?.LogId));
                }
                catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
                {
                    throw Failed(span, ToGatewayException(route, call, e, timeProvider.GetElapsedTime(started)));
                }

                if (!more)
                {
                    yield break;
                }

                var update = updates.Current;
                if (info is null)
                {
                    // The first update carries the facts and the raw headers; later ones that close the answer the facts again.
                    (info, var headers) = Answered(route, call, eventId, span, timeProvider.GetElapsedTime(started));
                    var properties = update.AdditionalProperties ??= [];
                    properties[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
                    headers.CopyTo(properties);
                }
                else if (update.FinishReason is not null || update.Contents.Any(c => c is UsageContent))
                {
                    (update.AdditionalProperties ??= [])[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
                }

                yield return update;
            }
        }
    }

    private static (GatewayCall Call, string? EventId, Activity? Span) Begin(AiGatewayRoute route, ChatOptions? options)
    {
        var (settings, headers) = GatewayRequestSettings.For(route, options?.AdditionalProperties);
        var span = Activity.Current;
        var call = new GatewayCall(GatewayRequestSettings.WithTraceContext(headers, span))
        {
            CacheKeyFromBody = RequestCacheKey.TryGetNamespace(options) is { } keyNamespace ? body => RequestCacheKey.Compute(keyNamespace, route, body) : null,
        };
        return (call, settings.EventId, span);
    }

    private (AiGatewayResponseInfo Info, GatewayResponseHeaders Headers) Answered(AiGatewayRoute route, GatewayCall call, string? eventId, Activity? span, TimeSpan elapsed)
    {
        var headers = call.ResponseHeaders ?? GatewayResponseHeaders.Empty;
        int status = call.Status ?? 200;
        var info = GatewayResponseReader.ReadInfo(route, headers, elapsed, status, eventId);
        GatewayInstruments.Answered(logger, span, info, status, elapsed);
        return (info, headers);
    }

    /// <summary>
    /// The failure as every route reports it: from the response's own status, headers and body when one came (what the
    /// SDK made of it does not matter), from an error event inside the stream, or from the failed connection.
    /// </summary>
    private AiGatewayException ToGatewayException(AiGatewayRoute route, GatewayCall call, Exception e, TimeSpan elapsed)
    {
        if (call.Status is >= 400 and int status)
        {
            return GatewayErrorFactory.FromResponse(route, status, call.ReasonPhrase, call.Header, call.ErrorBody ?? BinaryData.Empty, elapsed, timeProvider);
        }

        if (e is AnthropicSseException sse)
        {
            return GatewayErrorFactory.FromStreamError(route, System.Text.Encoding.UTF8.GetBytes(EventData(sse.Message)), call.ResponseHeaders?.LogId, elapsed);
        }

        var cause = e is AnthropicInvalidDataException or JsonException or FormatException or AnthropicServiceException
            ? new InvalidDataException("The Anthropic answer could not be read: " + e.Message, e)
            : e;
        return GatewayErrorFactory.FromException(route, cause, elapsed, call.ResponseHeaders?.LogId);
    }

    /// <summary>The SDK's message is <c>SSE error returned from server: '{data}'</c>; the data is the error event's JSON.</summary>
    private static string EventData(string message)
    {
        int first = message.IndexOf('\'', StringComparison.Ordinal);
        int last = message.LastIndexOf('\'');
        return first >= 0 && last > first ? message[(first + 1)..last] : message;
    }

    private AiGatewayException Failed(Activity? span, AiGatewayException error) => GatewayInstruments.Failed(logger, span, error);

    /// <summary>A failure of the network, the gateway or the provider's data; the caller's cancellation and bugs pass as they are.</summary>
    private static bool IsGatewayFailure(Exception e, CancellationToken cancellationToken) =>
        e is AnthropicException or HttpRequestException or IOException or InvalidDataException or TimeoutException or JsonException or FormatException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
