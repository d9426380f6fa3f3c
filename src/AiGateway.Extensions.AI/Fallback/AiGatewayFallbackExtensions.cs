using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI;

/// <summary>Adds client-side fallback, and turns it off for one request.</summary>
public static class AiGatewayFallbackExtensions
{
    /// <summary>Adds an <see cref="AiGatewayFallbackChatClient"/> at this point of the pipeline (outermost first).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts the fallback policy and cooldowns.</param>
    /// <returns>The builder.</returns>
    public static AiGatewayChatClientBuilder UseFallback(this AiGatewayChatClientBuilder builder, Action<AiGatewayFallbackOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AiGatewayFallbackOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new AiGatewayFallbackChatClient(
            inner, options, services.GetService<TimeProvider>(), services.GetService<Microsoft.Extensions.Logging.ILogger<AiGatewayFallbackChatClient>>()));
    }

    /// <summary>Sends this request on the primary route only, without client-side fallback.</summary>
    /// <param name="options">The chat options.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithoutGatewayFallback(this ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[AiGatewayFallbackChatClient.EnabledKey] = false;
        return options;
    }
}
