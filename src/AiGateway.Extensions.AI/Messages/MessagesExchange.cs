using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Chat requests in Anthropic's Messages format (<c>{gateway}/anthropic/v1/messages</c>, or <c>/ai/v1/messages</c> on
/// the REST form with the Cloudflare token as the only credential), on the Anthropic SDK's own
/// <see cref="IChatClient"/>: it writes and reads Messages; the gateway's headers, the route's credential and the
/// answer's facts travel through <see cref="GatewayCallHandler"/>. The SDK's retries are off (the gateway retries, the
/// fallback moves between routes), its timeout is the network timeout for the answer to start, its telemetry is off
/// (Microsoft's <c>UseOpenTelemetry()</c> makes the span), and it has no credential of its own, so none is read from
/// the environment; whatever headers its environment adds (<c>ANTHROPIC_CUSTOM_HEADERS</c>) can carry neither a
/// credential nor a <c>cf-aig-*</c> setting (<see cref="GatewayCallHandler"/>) nor another <c>anthropic-version</c>
/// (<see cref="AnthropicVersionHandler"/>).
/// </summary>
internal sealed class MessagesExchange(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient) : IChatExchange
{
    private readonly IChatClient _sdk = new AnthropicClient(new ClientOptions
    {
        HttpClient = httpClient,
        Handlers = [new GatewayCallHandler(route.Credential, options.MaxResponseContentLength, options.MaxStreamEventLength), new AnthropicVersionHandler()],
        // The SDK adds v1/messages: {gateway}/anthropic, or .../ai on the REST form (/ai/v1/messages).
        BaseUrl = ChatWireFormats.SdkBase(route, "v1/messages").AbsoluteUri,
        ApiKey = null,
        AuthToken = null,
        MaxRetries = 0,
        Timeout = options.NetworkTimeout,
        OpenTelemetry = false,
    }).AsIChatClient(route.Model, route.MaxOutputTokens);

    public async Task<ChatResponse> GetResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        using (call.Begin())
        {
            return await _sdk.GetResponseAsync(messages, AnthropicRequestFields.Apply(route, options), cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cancelled when the caller cancels, when the stream does not start within its timeout, or when the next piece
        // of the stream does not come within the network timeout.
        using var start = new StreamStart(route, call.Time, cancellationToken);
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(start.Token);
        var updates = _sdk.GetStreamingResponseAsync(messages, AnthropicRequestFields.Apply(route, options), stalled.Token).GetAsyncEnumerator(stalled.Token);
        await using (updates.ConfigureAwait(false))
        {
            bool first = true;
            bool stopped = false;
            while (true)
            {
                bool more;
                try
                {
                    // The request goes out during the first MoveNextAsync: only then must the call be on the flow.
                    using (GatewayCall.Scope? scope = first ? call.Begin() : null)
                    {
                        stalled.CancelAfter(route.NetworkTimeout);
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                        stalled.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw start.TimedOut(e) ?? new TimeoutException(e.Message, e);
                }

                if (!more)
                {
                    // A stream that stops before the answer's closing events was cut, however cleanly the connection closed
                    // (message_delta carries the stop reason and usage; message_stop nothing more).
                    if (!stopped)
                    {
                        throw new IOException("The Messages stream ended before message_delta and message_stop.");
                    }

                    yield break;
                }

                if (first)
                {
                    start.Started();
                    first = false;
                }

                stopped |= updates.Current.RawRepresentation is RawMessageStreamEvent streamEvent && (streamEvent.TryPickDelta(out _) || streamEvent.TryPickStop(out _));
                yield return updates.Current;
            }
        }
    }
}
