using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI;

/// <summary>Adds OpenTelemetry spans and metrics to an AI Gateway client.</summary>
public static class AiGatewayTelemetryExtensions
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
}
