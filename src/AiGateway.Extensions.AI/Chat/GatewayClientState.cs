using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Everything derived from one snapshot of the options: the routes and their transports. Replaced whole when the
/// options change, so a request keeps the state it started with.
/// </summary>
internal sealed class GatewayClientState
{
    public GatewayClientState(RouteTable table, HttpClient httpClient, object owner)
    {
        Table = table;
        var transports = table.Routes.Select(r => new RouteTransport(r, table.Options, httpClient)).ToArray();
        Primary = transports[0];
        RouteSet = new AiGatewayRouteSet([.. transports.Select(t => new AiGatewayRouteInfo(t, owner))], table.Options.FallbackMode);
        UniversalTransport = table.Options.FallbackMode == AiGatewayFallbackMode.Gateway && table.Routes.Count > 1
            ? RouteTransport.ForUniversalEndpoint(table.Primary, table.Options, httpClient)
            : null;
        Metadata = new(table.Primary.OpenTelemetryProviderName, table.Primary.Url, table.Primary.Model);
    }

    public RouteTable Table { get; }

    /// <summary>Gets the primary route's transport.</summary>
    public RouteTransport Primary { get; }

    /// <summary>Gets the routes as the public service describes them.</summary>
    public AiGatewayRouteSet RouteSet { get; }

    /// <summary>Gets the universal-endpoint transport when fallback happens at the gateway, otherwise null.</summary>
    public RouteTransport? UniversalTransport { get; }

    public ChatClientMetadata Metadata { get; }
}
