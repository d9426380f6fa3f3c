using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One route an <see cref="AiGatewayChatClient"/> sends through (the primary, or one of <c>Fallbacks</c>), as one
/// snapshot of its options resolved it, with an <see cref="IChatClient"/> that sends on this route only.
/// </summary>
/// <remarks>
/// Put <see cref="Client"/> in Microsoft's <c>OrderedFailoverChatClient</c> or your own <c>RoutingChatClient</c> to
/// choose routes yourself; <c>GetGatewayInfo()</c> works on its answers.
/// </remarks>
[Experimental(AiGatewayDiagnosticIds.Routing)]
public sealed class AiGatewayRouteInfo
{
    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that names the route of one attempt. Never sent.</summary>
    internal const string RouteKey = "aigateway.route";

    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that turns client-side fallback off for one request. Never sent.</summary>
    internal const string FallbackDisabledKey = "aigateway.fallback.disabled";

    internal AiGatewayRouteInfo(ChatRoute route, IChatClient client)
    {
        ChatRoute = route;
        Client = client;
    }

    /// <summary>Gets the route's index: 0 for the primary route, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</summary>
    public int Index => Route.Index;

    /// <summary>Gets the route's provider slug, for example <c>openai</c>.</summary>
    public string Provider => Route.Provider.Slug;

    /// <summary>Gets the route's model.</summary>
    public string Model => Route.Model;

    /// <summary>Gets the route's configuration path, for example <c>AiGateway:Fallbacks:0</c>.</summary>
    public string ConfigurationPath => Route.ConfigurationPath;

    /// <summary>
    /// Gets an id that stays the same across configuration reloads and processes while the route's index, provider,
    /// model and URL do, so state kept per route (health, cooldowns) survives a reload that did not change the route.
    /// </summary>
    public string Id => Route.Key;

    /// <summary>Gets a chat client that sends every request on this route, with the gateway client's headers, facts and errors.</summary>
    public IChatClient Client { get; }

    internal ChatRoute ChatRoute { get; }

    internal AiGatewayRoute Route => ChatRoute.Route;

    /// <inheritdoc />
    public override string ToString() => $"{Provider}/{Model}";
}
