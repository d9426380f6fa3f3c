namespace AiGateway.Extensions.AI;

/// <summary>
/// Which wire format a chat route speaks and where that format lives: Anthropic's own Messages API unless the route
/// asks for its OpenAI compatibility layer, OpenAI's Responses API when the route's <c>Api</c> says so, chat
/// completions otherwise. On the REST form each format has its own path (<c>/ai/v1/messages</c>,
/// <c>/ai/v1/responses</c>, <c>/ai/v1/chat/completions</c>; usage/rest-api.mdx).
/// </summary>
internal static class ChatWireFormats
{
    /// <summary>The format of a route's requests (embeddings routes are always OpenAI's format).</summary>
    public static ChatWireFormat For(RouteOperation operation, AiGatewayProvider provider, AiGatewayRouteOptions route) =>
        operation != RouteOperation.Chat ? ChatWireFormat.OpenAIChatCompletions
        : route.Api == AiGatewayApi.Responses ? ChatWireFormat.OpenAIResponses
        : provider == AiGatewayProvider.Anthropic && route.OpenAICompatible != true ? ChatWireFormat.AnthropicMessages
        : ChatWireFormat.OpenAIChatCompletions;

    /// <summary>Whether a provider has the Responses API through the gateway (Cloudflare documents it for <c>openai</c> only).</summary>
    public static bool HasResponses(AiGatewayProvider provider) => provider == AiGatewayProvider.OpenAI;

    /// <summary>The URL a format's requests go to, or null when the provider's own chat-completions URL applies.</summary>
    public static Uri? Url(AiGatewayOptions gateway, ChatWireFormat format, RouteOperation operation)
    {
        if (gateway.EndpointKind == AiGatewayEndpointKind.CloudflareApi)
        {
            string path = operation == RouteOperation.Embeddings ? "embeddings" : format switch
            {
                ChatWireFormat.AnthropicMessages => "messages",
                ChatWireFormat.OpenAIResponses => "responses",
                _ => "chat/completions",
            };
            return AiGatewayEndpoints.GetCloudflareApiUrl(gateway.CloudflareApiEndpoint, gateway.AccountId!, path);
        }

        return format switch
        {
            ChatWireFormat.AnthropicMessages => new(AiGatewayEndpoints.Join(AiGatewayEndpoints.GetProviderUrl(gateway, AiGatewayProvider.Anthropic), "v1/messages")),
            ChatWireFormat.OpenAIResponses => new(AiGatewayEndpoints.Join(AiGatewayEndpoints.GetProviderUrl(gateway, AiGatewayProvider.OpenAI), "responses")),
            _ => null,
        };
    }

    /// <summary>
    /// The base URL an SDK adds its own path to (<c>v1/messages</c>, <c>responses</c>): the route's URL without that path.
    /// </summary>
    public static Uri SdkBase(AiGatewayRoute route, string sdkPath)
    {
        string url = route.Url.AbsoluteUri;
        return url.EndsWith("/" + sdkPath, StringComparison.Ordinal) ? new(url[..^(sdkPath.Length + 1)]) : route.Url;
    }
}
