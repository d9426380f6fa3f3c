using AiGateway.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The delegating clients this package offers, added in order (outermost first): <c>.UseTelemetry().UseFallback()</c>.</summary>
public static class AiGatewayChatClientBuilderExtensions
{
    /// <summary>
    /// Adds an <see cref="AiGatewayTelemetryChatClient"/> at this point of the pipeline. Call it first, so fallback
    /// attempts become child spans of the chat span. Listen with <c>.AddSource(AiGatewayTelemetry.SourceName)</c> and
    /// <c>.AddMeter(AiGatewayTelemetry.SourceName)</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts the client, for example <c>c => c.EnableSensitiveData = true</c>.</param>
    /// <returns>The builder.</returns>
    public static AiGatewayChatClientBuilder UseTelemetry(this AiGatewayChatClientBuilder builder, Action<AiGatewayTelemetryChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new AiGatewayTelemetryChatClient(inner, services.GetService<TimeProvider>());
            configure?.Invoke(client);
            return client;
        });
    }

    /// <summary>Adds an <see cref="AiGatewayFallbackChatClient"/> at this point of the pipeline.</summary>
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
}
