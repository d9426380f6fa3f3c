using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Cloudflare AI Gateway in the app model: <see cref="AddAiGateway"/> declares a real gateway from parameters,
/// <see cref="AddAiGatewayEmulator"/> runs the local emulator, <see cref="RunAsEmulator"/> puts the emulator in a real
/// gateway's place in run mode. <c>WithReference(gateway)</c> hands the connection string to a service, which reads it
/// with <c>builder.AddAiGatewayChatClient("gateway")</c> (package AiGateway.Aspire.Client).
/// </summary>
public static class AiGatewayResourceBuilderExtensions
{
    /// <summary>The emulator's health endpoint.</summary>
    internal const string HealthPath = "/emulator/health";

    /// <summary>
    /// Adds the AI Gateway emulator, run by the orchestrator as a process on an endpoint it allocates, healthy once it
    /// answers <c>/emulator/health</c>. Its connection string is
    /// <c>Endpoint={url}/v1;AccountId=local;GatewayId=default</c>. Not part of the publish manifest: deploy
    /// <see cref="AddAiGateway"/> with <see cref="RunAsEmulator"/> instead.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, also the connection string's name.</param>
    /// <param name="port">The port the emulator is reached at; the orchestrator chooses one when <see langword="null"/>.</param>
    /// <returns>The emulator's resource builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="DistributedApplicationException">In run mode, the emulator's files are not in the AppHost's output.</exception>
    public static IResourceBuilder<AiGatewayEmulatorResource> AddAiGatewayEmulator(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (builder.ExecutionContext.IsRunMode && !File.Exists(EmulatorFiles.AssemblyPath))
        {
            throw new DistributedApplicationException(
                $"The AI Gateway emulator is not at '{EmulatorFiles.AssemblyPath}': the AiGateway.Aspire.Hosting package copies it into the AppHost's output when the AppHost builds.");
        }

        var emulator = new AiGatewayEmulatorResource(name);
        return builder.AddResource(emulator)
            .WithHttpEndpoint(port: port, name: AiGatewayEmulatorResource.EndpointName)
            .WithArgs(context =>
            {
                context.Args.Add(EmulatorFiles.AssemblyPath);
                context.Args.Add("--host");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(emulator.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHttpHealthCheck(HealthPath, endpointName: AiGatewayEmulatorResource.EndpointName)
            .WithAnnotation(new EmulatorResourceAnnotation())
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Adds a Cloudflare AI Gateway declared from parameters. Its connection string is
    /// <c>Endpoint=https://gateway.ai.cloudflare.com/v1;AccountId={accountId};GatewayId={gatewayId};Token={token}</c>;
    /// the publish manifest holds that expression (a <c>value.v0</c> resource whose parameters are references), never
    /// the token's value.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, also the connection string's name.</param>
    /// <param name="accountId">The Cloudflare account id.</param>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="token">The gateway's Cloudflare API token, a secret parameter (<c>AddParameter(name, secret: true)</c>).</param>
    /// <returns>The gateway's resource builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="token"/> is not a secret parameter.</exception>
    public static IResourceBuilder<AiGatewayResource> AddAiGateway(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<ParameterResource> accountId,
        IResourceBuilder<ParameterResource> gatewayId,
        IResourceBuilder<ParameterResource> token)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(token);

        var gateway = new AiGatewayResource(name, accountId.Resource, gatewayId.Resource, token.Resource);
        return builder.AddResource(gateway)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "AiGateway",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource(static (gateway, e, cancellationToken) =>
                // Nothing to start: the gateway is Cloudflare's. Running, so that WaitFor(gateway) goes on.
                e.Notifications.PublishUpdateAsync(gateway, state => state with { State = KnownResourceStates.Running }))
            .WithManifestPublishingCallback(context =>
            {
                context.Writer.WriteString("type", "value.v0");
                context.WriteConnectionString(gateway);
            });
    }

    /// <summary>
    /// In run mode, runs the AI Gateway emulator in this gateway's place: a resource of the same name whose connection
    /// string services receive instead, so <c>WithReference</c> and <c>WaitFor</c> need no change. In publish mode
    /// nothing changes: the manifest describes the real gateway.
    /// </summary>
    /// <param name="builder">The gateway's resource builder.</param>
    /// <param name="configureEmulator">Configures the emulator resource (a fixed port, environment, ...).</param>
    /// <returns>The gateway's resource builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IResourceBuilder<AiGatewayResource> RunAsEmulator(
        this IResourceBuilder<AiGatewayResource> builder, Action<IResourceBuilder<AiGatewayEmulatorResource>>? configureEmulator = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode || builder.Resource.Emulator is not null)
        {
            return builder;
        }

        var gateway = builder.Resource;
        builder.ApplicationBuilder.Resources.Remove(gateway);
        var emulator = builder.ApplicationBuilder.AddAiGatewayEmulator(gateway.Name);
        gateway.RunAs(emulator.Resource);
        configureEmulator?.Invoke(emulator);
        return builder;
    }
}
