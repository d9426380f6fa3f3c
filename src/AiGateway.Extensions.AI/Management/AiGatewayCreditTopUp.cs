using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>The automatic top-up of the credit balance (its fields are camelCase on the wire, unlike the rest of the API).</summary>
public sealed record AiGatewayCreditTopUp
{
    /// <summary>Gets the amount added per top-up, in US dollars, or null when top-up is off.</summary>
    [JsonPropertyName("amount")]
    public decimal? Amount { get; set; }

    /// <summary>Gets the balance below which a top-up runs, in US dollars.</summary>
    [JsonPropertyName("threshold")]
    public decimal? Threshold { get; set; }

    /// <summary>Gets why automatic top-up is disabled, if it is.</summary>
    [JsonPropertyName("disabledReason")]
    public string? DisabledReason { get; set; }

    /// <summary>Gets the last top-up error, if any.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    /// <summary>Gets when a top-up last failed, as the API writes it (a Unix time).</summary>
    [JsonPropertyName("lastFailedAt")]
    public long? LastFailedAt { get; set; }
}
