namespace AiGateway.Extensions.AI;

/// <summary>
/// What the Aspire client integration adds around a gateway client, read from the client's options section (for
/// example <c>AiGateway:DisableHealthChecks</c>) and then from the <c>configureSettings</c> callback.
/// </summary>
public sealed class AiGatewayClientSettings
{
    /// <summary>
    /// Gets or sets a value indicating whether the gateway's spans (<see cref="AiGatewayTelemetry.SourceName"/>) and
    /// Microsoft.Extensions.AI's GenAI spans are left out of OpenTelemetry tracing. Defaults to <see langword="false"/>.
    /// </summary>
    public bool DisableTracing { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the gateway's meter (<see cref="AiGatewayTelemetry.SourceName"/>) and
    /// Microsoft.Extensions.AI's GenAI metrics are left out of OpenTelemetry metrics. Defaults to <see langword="false"/>.
    /// </summary>
    public bool DisableMetrics { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the gateway health check is left out. Defaults to <see langword="false"/>:
    /// the check asks the gateway endpoint for an answer, sending no credential and calling no provider.
    /// </summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Gets or sets how long the health check waits for the gateway; <see langword="null"/> leaves it to the health check service.</summary>
    public TimeSpan? HealthCheckTimeout { get; set; }
}
