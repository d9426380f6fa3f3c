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
/// fallback moves between routes), its timeout is off (a stream's start is bounded by <see cref="StreamStart"/>, a
/// whole answer's waits by <see cref="WholeAnswerTimeout"/>: a timer of its own on every request would be a second
/// one, and it covers only sending, never the body), its telemetry is off
/// (Microsoft's <c>UseOpenTelemetry()</c> makes the span), and it has no credential of its own, so none is read from
/// the environment; whatever headers its environment adds (<c>ANTHROPIC_CUSTOM_HEADERS</c>) can carry neither a
/// credential nor a <c>cf-aig-*</c> setting (<see cref="GatewayCallHandler"/>) nor another <c>anthropic-version</c>
/// (<see cref="AnthropicVersionHandler"/>).
/// </summary>
internal sealed class MessagesExchange(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient) : IChatExchange
{
    /// <summary>message_delta carries the stop reason and usage, message_stop nothing more: a stream without them was cut.</summary>
    private static readonly SdkStreamShape s_streamShape = new(
        static update => update.RawRepresentation is RawMessageStreamEvent streamEvent && (streamEvent.TryPickDelta(out _) || streamEvent.TryPickStop(out _)),
        "The Messages stream ended before message_delta and message_stop.");

    private readonly IChatClient _sdk = new AnthropicClient(new ClientOptions
    {
        HttpClient = httpClient,
        Handlers = [new GatewayCallHandler(route.Credential, options.MaxResponseContentLength, options.MaxStreamEventLength, route.NetworkTimeout), new AnthropicVersionHandler()],
        // The SDK adds v1/messages: {gateway}/anthropic, or .../ai on the REST form (/ai/v1/messages).
        BaseUrl = ChatWireFormats.SdkBase(route, "v1/messages").AbsoluteUri,
        ApiKey = null,
        AuthToken = null,
        MaxRetries = 0,
        Timeout = Timeout.InfiniteTimeSpan,
        OpenTelemetry = false,
    }).AsIChatClient(route.Model, route.MaxOutputTokens);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChatResponse> GetResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        using var timeout = new WholeAnswerTimeout(call, cancellationToken);
        using (call.Begin())
        {
            return await _sdk.GetResponseAsync(messages, AnthropicRequestFields.Apply(route, options), timeout.Token).ConfigureAwait(false);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        // Its start is bounded by StreamStart; each next piece of the body by the handler's view of it.
        return SdkStream.ReadAsync(call, _sdk, messages, AnthropicRequestFields.Apply(route, options), s_streamShape, cancellationToken);
    }
}
