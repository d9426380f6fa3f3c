using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Chat requests in Anthropic's Messages format (<c>{gateway}/anthropic/v1/messages</c>), on the Anthropic SDK's own
/// <see cref="IChatClient"/>: it writes and reads Messages; the gateway's headers, the route's credential and the
/// answer's facts travel through <see cref="GatewayCallHandler"/>. The SDK's retries are off (the gateway retries, the
/// fallback moves between routes), its timeout is the network timeout for the answer to start, its telemetry is off
/// (Microsoft's <c>UseOpenTelemetry()</c> makes the span), and it has no credential of its own, so none is read from
/// the environment.
/// </summary>
internal sealed class MessagesExchange(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient) : IChatExchange
{
    private readonly IChatClient _sdk = new AnthropicClient(new ClientOptions
    {
        HttpClient = httpClient,
        Handlers = [new GatewayCallHandler(route.Credential, options.MaxResponseContentLength, options.MaxStreamEventLength)],
        BaseUrl = AiGatewayEndpoints.GetProviderUrl(options, route.Provider).AbsoluteUri,
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
                    yield break;
                }

                if (first)
                {
                    start.Started();
                    first = false;
                }

                yield return updates.Current;
            }
        }
    }
}
