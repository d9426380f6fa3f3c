using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The Anthropic SDK's own <see cref="IChatClient"/> for one route, pointed at <c>{gateway}/anthropic</c>: it writes
/// and reads Anthropic Messages (<c>v1/messages</c>, JSON and server-sent events). The SDK's retries are off (the
/// gateway retries, the fallback client moves between routes), its timeout is the route's network timeout for the
/// answer to start, its telemetry is off (Microsoft's <c>UseOpenTelemetry()</c> makes the span), it reads no
/// credential from the environment, and the gateway's headers travel through <see cref="GatewayCallHandler"/>.
/// </summary>
internal static class AnthropicMessagesTransport
{
    public static IChatClient Create(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient)
    {
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = httpClient,
            Handlers = [new GatewayCallHandler(route.ApiKey, "x-api-key", options.MaxResponseContentLength)],
            BaseUrl = AiGatewayEndpoints.GetProviderUrl(options, route.Provider).AbsoluteUri,
            ApiKey = null,
            MaxRetries = 0,
            Timeout = options.NetworkTimeout,
            OpenTelemetry = false,
        });
        return client.AsIChatClient(route.Model, route.MaxOutputTokens);
    }
}
