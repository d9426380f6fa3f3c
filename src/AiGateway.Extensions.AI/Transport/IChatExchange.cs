using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One wire format's way of making a chat request through the gateway (chat completions, Anthropic Messages, ...),
/// each on its SDK's own client. The seam a new format plugs into: <see cref="AiGatewayChatClient"/> chooses the
/// route, starts the <see cref="GatewayCall"/> and reports its outcome; an exchange only sends and reads.
/// </summary>
/// <remarks>
/// An exchange's transport sends the call's headers with <see cref="GatewayCall.Stamp"/> and notes the response on the
/// call (<see cref="GatewayPipelineTransport"/>, <see cref="GatewayCallHandler"/>); the exchange reads the answer and
/// throws failures raw: the client turns them into
/// <see cref="AiGatewayException"/> in one place (<see cref="GatewayOutcome"/>).
/// </remarks>
internal interface IChatExchange
{
    /// <summary>Sends one request and reads its answer; awaited once, so an implementation may pool its state (<see cref="System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder{TResult}"/>).</summary>
    ValueTask<ChatResponse> GetResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken);

    IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken);
}
