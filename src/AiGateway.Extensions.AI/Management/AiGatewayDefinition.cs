namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A gateway as code: its settings, its stored provider keys, its dynamic routes and its policies.
/// <see cref="AiGatewayManagementClient.EnsureAsync"/> makes the account match it, and ensuring it again changes nothing.
/// Register one with <c>services.AddAiGatewayDefinition(id, definition)</c> to have it ensured when the host starts.
/// </summary>
public sealed class AiGatewayDefinition
{
    /// <summary>Gets or sets the gateway's settings (null ones are left as they are).</summary>
    public AiGatewaySettings Settings { get; set; } = new();

    /// <summary>Gets the provider keys the gateway stores, one per provider and alias.</summary>
    public IList<AiGatewayStoredKeyDefinition> StoredKeys { get; } = [];

    /// <summary>Gets the dynamic routes by name, each with its graph.</summary>
    public IDictionary<string, IReadOnlyList<AiGatewayDynamicRouteElement>> Routes { get; } = new Dictionary<string, IReadOnlyList<AiGatewayDynamicRouteElement>>(StringComparer.Ordinal);

    /// <summary>Gets the policies, matched by name.</summary>
    public IList<AiGatewayPolicy> Policies { get; } = [];
}
