using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Responses;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Chat requests in OpenAI's Responses format (<c>{gateway}/openai/responses</c>, or <c>/ai/v1/responses</c> on the
/// REST form), on Microsoft.Extensions.AI.OpenAI's Responses <see cref="IChatClient"/> over the OpenAI SDK's
/// <see cref="ResponsesClient"/>: they write and read the API (reasoning items, hosted tools, conversation state,
/// background responses); this exchange adds only the transport every route shares (<see cref="OpenAIRoutePipeline"/>,
/// which bounds what comes back) and turns an error the API reports inside an
/// answer (an <c>error</c> event, <c>response.failed</c>, a failed response object) into the failure it is, where
/// Microsoft's client hands it on as content.
/// </summary>
internal sealed class ResponsesExchange : IChatExchange
{
    private readonly IChatClient _sdk;

    public ResponsesExchange(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient)
    {
        // The SDK adds its operation's path (responses, responses/{id} for a background response) to the route's base.
        var clientOptions = OpenAIRoutePipeline.CreateOptions(ChatWireFormats.SdkBase(route, "responses"), options, httpClient, exactUri: false);
#pragma warning disable OPENAI001 // The Responses client and the AuthenticationPolicy constructor are experimental in the OpenAI SDK.
        _sdk = new OpenAIClient(new RouteCredentialPolicy(route.Credential), clientOptions).GetResponsesClient().AsIChatClient(route.Model);
#pragma warning restore OPENAI001
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChatResponse> GetResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        ChatResponse response;
        using (var timeout = new WholeAnswerTimeout(call, cancellationToken))
        using (call.Begin())
        {
            response = await _sdk.GetResponseAsync(messages, options, timeout.Token).ConfigureAwait(false);
        }

        ResponsesErrors.ThrowIfFailed(response.RawRepresentation);
        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        SdkStream.ReadAsync(call, _sdk, messages, options, ResponsesErrors.StreamShape, cancellationToken);
}
