using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>One route of a chat client's current snapshot, with the exchange that speaks its wire format (made on first use).</summary>
internal sealed class ChatRoute
{
    private readonly Lazy<IChatExchange> _exchange;

    public ChatRoute(AiGatewayRoute route, Func<IChatExchange> createExchange)
    {
        Route = route;
        _exchange = new(createExchange);
    }

    public AiGatewayRoute Route { get; }

    public IChatExchange Exchange => _exchange.Value;

    /// <summary>Gets the value a fallback puts in a request's options to send it on this route; stable across processes, so a distributed cache key stays stable too.</summary>
    public string Marker => Route.Key;

    /// <summary>
    /// Names this route in a request's own options (a routing context's clone, changed in place; new options when the
    /// request had none), so the gateway client under any middleware sends it here. The value is never sent.
    /// </summary>
    public ChatOptions Select(ChatOptions? options)
    {
        options ??= new ChatOptions();
        (options.AdditionalProperties ??= [])[AiGatewayRouteInfo.RouteKey] = Marker;
        return options;
    }
}
