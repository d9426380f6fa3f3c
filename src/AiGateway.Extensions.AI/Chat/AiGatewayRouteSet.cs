using System.Diagnostics.CodeAnalysis;

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
}
