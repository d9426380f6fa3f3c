using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The routes of an <see cref="AiGatewayChatClient"/> from one snapshot of its options: the primary first, then the
/// fallbacks in order. Answered by <c>GetService(typeof(AiGatewayRouteSet))</c> on the client or on any delegating
/// client around it; a configuration reload answers a new set for the next request.
/// </summary>
[Experimental(AiGatewayDiagnosticIds.Routing)]
public sealed class AiGatewayRouteSet
{
    internal AiGatewayRouteSet(IReadOnlyList<AiGatewayRouteInfo> routes, AiGatewayFallbackMode fallbackMode)
    {
        Routes = routes;
        FallbackMode = fallbackMode;
    }

    /// <summary>Gets the routes, primary first.</summary>
    public IReadOnlyList<AiGatewayRouteInfo> Routes { get; }

    /// <summary>
    /// Gets where fallback between the routes happens. With <see cref="AiGatewayFallbackMode.Gateway"/> one request to
    /// the gateway's universal endpoint carries every route.
    /// </summary>
    public AiGatewayFallbackMode FallbackMode { get; }

    /// <summary>
    /// Gets what the client that chooses among the routes says of itself: the provider and the model when every route
    /// has the same, and no server, as Microsoft's failover client says nothing of its routes. A span names the
    /// provider that served in <c>aigateway.provider</c>; the primary's on every request would be wrong whenever a
    /// fallback served. The server would be the gateway's host on every request (<c>aigateway.gateway.id</c> names the
    /// gateway), and Microsoft's telemetry would record it with every streamed chunk.
    /// </summary>
    internal ChatClientMetadata CommonMetadata => field ??= Common();

    private ChatClientMetadata Common()
    {
        string? provider = Routes[0].Route.OpenTelemetryProviderName;
        string? model = Routes[0].Route.Model;
        for (int i = 1; i < Routes.Count; i++)
        {
            provider = provider == Routes[i].Route.OpenTelemetryProviderName ? provider : null;
            model = model == Routes[i].Route.Model ? model : null;
        }

        return new ChatClientMetadata(provider, providerUri: null, model);
    }
}
