namespace AiGateway.Extensions.AI.Management;

/// <summary>One DLP policy: which profiles, on requests and/or responses, and whether a match blocks or flags.</summary>
public sealed record AiGatewayDlpPolicy
{
    /// <summary>Gets the policy id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets <c>BLOCK</c> or <c>FLAG</c>.</summary>
    public string? Action { get; set; }

    /// <summary>Gets what is checked: <c>REQUEST</c>, <c>RESPONSE</c>.</summary>
    public IReadOnlyList<string>? Check { get; set; }

    /// <summary>Gets whether the policy is on.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Gets the DLP profile ids.</summary>
    public IReadOnlyList<string>? Profiles { get; set; }
}
