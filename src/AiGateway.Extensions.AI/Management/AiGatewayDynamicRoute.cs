namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A dynamic route (<c>/gateways/{id}/routes</c>): requests name it as the model <c>dynamic/{Name}</c>, and the gateway
/// runs its deployed version's <see cref="Elements"/>. Shape from <c>DynamicRoutingGetResponse</c> (cloudflare-typescript
/// <c>src/resources/ai-gateway/dynamic-routing.ts</c>).
/// </summary>
public sealed record AiGatewayDynamicRoute
{
    /// <summary>Gets the route id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets the route's name (the model is <c>dynamic/{name}</c>).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets the gateway id.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Gets the graph of the deployed version.</summary>
    public IReadOnlyList<AiGatewayDynamicRouteElement> Elements { get; set; } = [];

    /// <summary>Gets the deployment serving requests.</summary>
    public AiGatewayDynamicRouteDeployment? Deployment { get; set; }

    /// <summary>Gets the deployed version.</summary>
    public AiGatewayDynamicRouteVersion? Version { get; set; }

    /// <summary>Gets when the route was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when the route was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }
}
