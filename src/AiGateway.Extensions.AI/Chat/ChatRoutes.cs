using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Everything a chat client derives from one options snapshot: its routes (the primary, then the fallbacks), each with
/// its exchange; the universal endpoint's exchange when the gateway does the fallback; the routes as users see them;
/// and the client's metadata. Replaced whole when the options change.
/// </summary>
internal sealed class ChatRoutes
{
    public ChatRoutes(RouteTable table, HttpClient httpClient, AiGatewayChatClient owner)
    {
        var options = table.Options;
        Routes = [.. table.Routes.Select(route => new ChatRoute(route, () => route.Format switch
        {
            ChatWireFormat.AnthropicMessages => new MessagesExchange(route, options, httpClient),
            ChatWireFormat.OpenAIResponses => new ResponsesExchange(route, options, httpClient),
            _ => ChatCompletionsExchange.ForRoute(route, options, httpClient, owner),
        }))];
        Universal = options.FallbackMode == AiGatewayFallbackMode.Gateway && table.Routes.Count > 1
            ? new ChatRoute(table.Primary, () => ChatCompletionsExchange.ForUniversalEndpoint(table.Routes, options, httpClient, owner))
            : null;
        RouteSet = new AiGatewayRouteSet([.. Routes.Select(route => new AiGatewayRouteInfo(route, new RouteChatClient(owner, route)))], options.FallbackMode);
        Metadata = new(table.Primary.OpenTelemetryProviderName, table.Primary.Url, table.Primary.Model);
    }

    private int _toldFallbacksUnused;

    public IReadOnlyList<ChatRoute> Routes { get; }

    /// <summary>Gets the universal endpoint's route when fallback happens at the gateway, otherwise null.</summary>
    public ChatRoute? Universal { get; }

    public AiGatewayRouteSet RouteSet { get; }

    public ChatClientMetadata Metadata { get; }

    /// <summary>
    /// The route a request takes: the one its options name (a fallback's choice for this attempt), else the universal
    /// endpoint when the gateway does the fallback, else the primary.
    /// </summary>
    public ChatRoute Choose(ChatOptions? options)
    {
        if (options?.AdditionalProperties is { Count: > 0 } properties &&
            properties.TryGetValue(AiGatewayRouteInfo.RouteKey, out object? marker) && marker is string name)
        {
            foreach (var route in Routes)
            {
                if (route.Marker == name)
                {
                    return route;
                }
            }
        }

        return Universal ?? Routes[0];
    }

    /// <summary>
    /// Whether this request leaves configured fallbacks unused because no fallback client chose its route (no
    /// <c>UseAiGatewayFallback()</c> in the pipeline, and the request did not turn fallback off): true once per snapshot.
    /// </summary>
    public bool FirstLeavesFallbacksUnused(ChatOptions? options) =>
        Universal is null && Routes.Count > 1 &&
        options?.AdditionalProperties?.ContainsKey(AiGatewayRouteInfo.RouteKey) != true &&
        options?.AdditionalProperties?.ContainsKey(AiGatewayRouteInfo.FallbackDisabledKey) != true &&
        Volatile.Read(ref _toldFallbacksUnused) == 0 && Interlocked.Exchange(ref _toldFallbacksUnused, 1) == 0;
}
