using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Turns client-side fallback off for one request.</summary>
public static class AiGatewayFallbackExtensions
{
    /// <summary>Sends this request on the primary route only, without client-side fallback.</summary>
    /// <param name="options">The chat options.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithoutGatewayFallback(this ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[AiGatewayRouteInfo.FallbackDisabledKey] = true;
        return options;
    }
}
