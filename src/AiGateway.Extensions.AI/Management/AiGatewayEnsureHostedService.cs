using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// When the host starts (like the seeds' infrastructure resource converging on deploy): ensures the gateway settings
/// configured in <c>AiGatewayManagement:Gateways</c> when <c>AiGatewayManagement:EnsureOnStart</c> is true, and every
/// gateway definition registered with <c>AddAiGatewayDefinition</c>. A failure stops the host: an app should not run
/// against a gateway it could not set up.
/// </summary>
internal sealed partial class AiGatewayEnsureHostedService(
    AiGatewayManagementClient client, IOptions<AiGatewayManagementOptions> options, IEnumerable<AiGatewayDefinitionRegistration> definitions,
    ILogger<AiGatewayEnsureHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EnsureOnStart)
        {
            foreach (var (id, desired) in options.Value.Gateways)
            {
                var result = await client.EnsureGatewayAsync(id, desired, cancellationToken).ConfigureAwait(false);
                Ensured(logger, id, result.Created ? "created" : result.ChangedSettings.Count > 0 ? "updated " + string.Join(", ", result.ChangedSettings) : "already up to date");
            }
        }

        foreach (var (id, definition) in definitions)
        {
            var result = await client.EnsureAsync(id, definition, cancellationToken).ConfigureAwait(false);
            Ensured(logger, id, result.Changed ? string.Join("; ", result.Changes) : "already up to date");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "AI Gateway '{GatewayId}': {Outcome}.")]
    private static partial void Ensured(ILogger logger, string gatewayId, string outcome);
}
