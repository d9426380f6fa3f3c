using AiGateway.Aspire;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Cloudflare AI Gateway, declared from parameters: its connection string is
/// <c>Endpoint=https://gateway.ai.cloudflare.com/v1;AccountId={accountId};GatewayId={gatewayId};Token={token}</c>, and
/// the publish manifest holds that expression with parameter references, never the token's value. In run mode
/// <see cref="AiGatewayResourceBuilderExtensions.RunAsEmulator"/> puts an <see cref="AiGatewayEmulatorResource"/> of the
/// same name in its place, and the connection string becomes the emulator's.
/// </summary>
public sealed class AiGatewayResource : Resource, IResourceWithConnectionString
{
    /// <summary>Initializes a new instance of the <see cref="AiGatewayResource"/> class.</summary>
    /// <param name="name">The resource name, also the connection string's name.</param>
    /// <param name="accountId">The Cloudflare account id.</param>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="token">The gateway's Cloudflare API token (<c>cf-aig-authorization</c>), a secret parameter.</param>
    /// <exception cref="ArgumentNullException">A parameter is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="token"/> is not a secret parameter.</exception>
    public AiGatewayResource(string name, ParameterResource accountId, ParameterResource gatewayId, ParameterResource token)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(gatewayId);
        ArgumentNullException.ThrowIfNull(token);
        if (!token.Secret)
        {
            throw new ArgumentException(
                $"The gateway token parameter '{token.Name}' must be a secret: builder.AddParameter(\"{token.Name}\", secret: true).", nameof(token));
        }

        AccountId = accountId;
        GatewayId = gatewayId;
        Token = token;
    }

    /// <summary>Gets the Cloudflare account id parameter.</summary>
    public ParameterResource AccountId { get; }

    /// <summary>Gets the gateway id parameter.</summary>
    public ParameterResource GatewayId { get; }

    /// <summary>Gets the token parameter (secret).</summary>
    public ParameterResource Token { get; }

    /// <summary>Gets the emulator that stands in for this gateway in run mode, if <c>RunAsEmulator()</c> was called.</summary>
    public AiGatewayEmulatorResource? Emulator { get; private set; }

    /// <inheritdoc />
    // With an emulator in its place, what is said of the gateway (WaitFor, relationships, commands) is said of the emulator.
    public override ResourceAnnotationCollection Annotations => Emulator?.Annotations ?? base.Annotations;

    /// <summary>Gets the connection string: the real gateway's, or the emulator's when one stands in.</summary>
    public ReferenceExpression ConnectionStringExpression => Emulator?.ConnectionStringExpression ?? ReferenceExpression.Create(
        $"{ConnectionStringKeys.Endpoint}={ConnectionStringKeys.CloudflareEndpoint};{ConnectionStringKeys.AccountId}={AccountId};{ConnectionStringKeys.GatewayId}={GatewayId};{ConnectionStringKeys.Token}={Token}");

    internal void RunAs(AiGatewayEmulatorResource emulator)
    {
        // The manifest entry and the initial state describe Cloudflare's gateway, not the process that stands in for it.
        foreach (var annotation in base.Annotations.Where(a => a is not (ManifestPublishingCallbackAnnotation or ResourceSnapshotAnnotation)))
        {
            emulator.Annotations.Add(annotation);
        }

        Emulator = emulator;
    }
}
