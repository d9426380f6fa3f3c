using AiGateway.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

/// <summary>
/// This package's delegating clients for Microsoft.Extensions.AI's <see cref="ChatClientBuilder"/>, composed with
/// Microsoft's own, outermost first: <c>.UseFunctionInvocation().UseOpenTelemetry().UseAiGatewayFallback()</c>.
/// In Microsoft's namespace, beside <c>UseOpenTelemetry</c>, so one <c>using Microsoft.Extensions.AI;</c> brings both.
/// </summary>
public static class AiGatewayChatClientBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="AiGatewayFallbackChatClient"/> at this point of the pipeline: each request tries the
    /// configured routes in order (<c>AiGateway:Fallbacks</c>). Add it inside <c>UseOpenTelemetry()</c>, so each
    /// attempt becomes a child span of the GenAI span (listen to <see cref="AiGatewayTelemetry.SourceName"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts the fallback policy and cooldowns.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A fallback option is out of range; the message names it.</exception>
    public static ChatClientBuilder UseAiGatewayFallback(this ChatClientBuilder builder, Action<AiGatewayFallbackOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AiGatewayFallbackOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) => new AiGatewayFallbackChatClient(
            inner, options, services.GetService<TimeProvider>(), services.GetService<ILogger<AiGatewayFallbackChatClient>>()));
    }
}
