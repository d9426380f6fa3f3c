using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Everything derived from one snapshot of the options: the routes and their transports. Replaced whole when the
/// options change, so a request keeps the state it started with.
/// </summary>
internal sealed class GatewayClientState
{
    public GatewayClientState(RouteTable table, HttpClient httpClient)
    {
        Table = table;
        Transports = [.. table.Routes.Select(r => new RouteTransport(r, table.Options, httpClient))];
        UniversalTransport = table.Options.FallbackMode == AiGatewayFallbackMode.Gateway && table.Routes.Count > 1
            ? RouteTransport.ForUniversalEndpoint(table.Primary, table.Options, httpClient)
            : null;
        Metadata = new(table.Primary.OpenTelemetryProviderName, table.Primary.ChatCompletionsUrl, table.Primary.Model);
    }

    public RouteTable Table { get; }

    /// <summary>Gets one transport per route, in route order.</summary>
    public RouteTransport[] Transports { get; }

    /// <summary>Gets the universal-endpoint transport when fallback happens at the gateway, otherwise null.</summary>
    public RouteTransport? UniversalTransport { get; }

    public ChatClientMetadata Metadata { get; }
}
