using AiGateway.Aspire;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The local AI Gateway emulator as a process the orchestrator runs: its HTTP endpoint is allocated by the
/// orchestrator, its health is its <c>/emulator/health</c> answer, and its connection string points a client at its
/// gateway endpoint (<c>Endpoint={url}/v1;AccountId=local;GatewayId=default</c>; the emulator's <c>default</c> gateway
/// needs no token).
/// </summary>
/// <param name="name">The resource name, also the connection string's name.</param>
/// <remarks>It runs the emulator this package carries (<c>aigateway-emulator/</c> in the AppHost's output) with <c>dotnet</c>.</remarks>
public sealed class AiGatewayEmulatorResource(string name)
    : ExecutableResource(name, EmulatorFiles.DotnetHost, EmulatorFiles.Directory), IResourceWithConnectionString
{
    /// <summary>The name of the emulator's HTTP endpoint, <c>http</c>.</summary>
    public const string EndpointName = "http";

    /// <summary>The account id the connection string names; the emulator accepts any.</summary>
    public const string AccountId = "local";

    /// <summary>The gateway the connection string names: the emulator's <c>default</c>, which exists at start.</summary>
    public const string GatewayId = "default";

    private EndpointReference? _endpoint;

    /// <summary>Gets the emulator's HTTP endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _endpoint ??= new(this, EndpointName);

    /// <summary>Gets the connection string: <c>Endpoint={url}/v1;AccountId=local;GatewayId=default</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{ConnectionStringKeys.Endpoint}={PrimaryEndpoint.Property(EndpointProperty.Url)}/v1;{ConnectionStringKeys.AccountId}={AccountId};{ConnectionStringKeys.GatewayId}={GatewayId}");
}
