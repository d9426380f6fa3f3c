namespace AiGateway.Extensions.AI;

/// <summary>
/// One route an <see cref="AiGatewayChatClient"/> can send through (the primary, or one of <c>Fallbacks</c>), as one
/// snapshot of its options resolved it. Get the routes with <c>GetService(typeof(AiGatewayRouteSet))</c>.
/// </summary>
/// <remarks>
/// <see cref="Pin"/> is how a delegating client (the fallback client, or your own) sends a request through a chosen
/// route. The choice travels with the asynchronous flow, not in <see cref="Microsoft.Extensions.AI.ChatOptions"/>, so
/// middleware in between (function invocation, caching) may copy or rebuild the options freely.
/// </remarks>
public sealed class AiGatewayRouteInfo
{
    private static readonly AsyncLocal<AiGatewayRouteInfo?> s_pinned = new();

    internal AiGatewayRouteInfo(RouteTransport transport, object owner)
    {
        Transport = transport;
        Owner = owner;
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
    /// Gets an id that stays the same across configuration reloads while the route's index, provider, model and URL
    /// do, so state kept per route (health, cooldowns) survives a reload that did not change the route.
    /// </summary>
    public string Id => Route.Key;

    internal RouteTransport Transport { get; }

    internal AiGatewayRoute Route => Transport.Route;

    /// <summary>Gets the client whose options produced this route; a pin is honoured only by that client.</summary>
    internal object Owner { get; }

    /// <summary>Gets the route pinned on the current asynchronous flow, if any.</summary>
    internal static AiGatewayRouteInfo? Pinned => s_pinned.Value;

    /// <summary>
    /// Sends every request that this route's client starts on the current asynchronous flow through this route, until
    /// the returned scope is disposed. On a stream, hold the pin while the stream is first enumerated (its request is
    /// sent then) and around each later <c>MoveNextAsync</c> that may send another request (a tool loop).
    /// </summary>
    /// <returns>A scope that restores the previous pin when disposed.</returns>
    public IDisposable Pin()
    {
        var previous = s_pinned.Value;
        s_pinned.Value = this;
        return new PinScope(previous);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}/{Model}";

    private sealed class PinScope(AiGatewayRouteInfo? previous) : IDisposable
    {
        public void Dispose() => s_pinned.Value = previous;
    }
}
