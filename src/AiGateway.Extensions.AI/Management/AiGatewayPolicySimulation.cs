using System.Text.Json.Nodes;

namespace AiGateway.Extensions.AI.Management;

/// <summary>A sample request to test a gateway's live policies and staged drafts against (features/policies.mdx, "Simulate a request").</summary>
public sealed record AiGatewayPolicySimulation
{
    /// <summary>Gets or sets the model, <c>provider/model</c>.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Gets or sets the provider; the gateway fills it in for known models when null.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets or sets the identity, shaped as the policies expect: <c>{"cf": {"user": {...}}, "metadata": {...}}</c>.</summary>
    public JsonObject? Identity { get; set; }

    /// <summary>Gets or sets simulated spend in US dollars, by policy name (recorded spend is not used).</summary>
    public IReadOnlyDictionary<string, decimal>? BucketUsage { get; set; }
}
