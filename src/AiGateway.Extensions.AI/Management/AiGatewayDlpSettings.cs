using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>A gateway's data-loss-prevention settings: one action over profiles, or policies each with their own.</summary>
public sealed record AiGatewayDlpSettings
{
    /// <summary>Gets whether DLP is on.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Gets <c>BLOCK</c> or <c>FLAG</c>, for the single-action form.</summary>
    public string? Action { get; set; }

    /// <summary>Gets the DLP profile ids, for the single-action form.</summary>
    public IReadOnlyList<string>? Profiles { get; set; }

    /// <summary>Gets the policies, for the policy form.</summary>
    public IReadOnlyList<AiGatewayDlpPolicy>? Policies { get; set; }
}
