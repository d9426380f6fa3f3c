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
    /// Gets what every route has in common, as the client that chooses among them reports it: the provider and model
    /// when all routes share them, and the server they all reach (scheme, host and port). A span names the provider
    /// that served in <c>aigateway.provider</c>; claiming the primary's for every request would be wrong whenever a
    /// fallback served.
    /// </summary>
    internal ChatClientMetadata CommonMetadata => field ??= Common();

    private ChatClientMetadata Common()
    {
        var first = Routes[0].Route;
        string? provider = first.OpenTelemetryProviderName;
        string? model = first.Model;
        string server = first.Url.GetLeftPart(UriPartial.Authority);
        bool sameServer = true;
        for (int i = 1; i < Routes.Count; i++)
        {
            var route = Routes[i].Route;
            provider = provider == route.OpenTelemetryProviderName ? provider : null;
            model = model == route.Model ? model : null;
            sameServer &= string.Equals(server, route.Url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
        }

        return new ChatClientMetadata(provider, sameServer ? new Uri(server) : null, model);
    }
}
