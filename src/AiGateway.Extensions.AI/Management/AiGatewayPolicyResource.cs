using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// The models or providers a policy covers: <c>"*"</c> for all, or <c>{"model": ..., "provider": ...}</c> where each is
/// one name or several. Model ids take the <c>*</c> wildcard within a segment (<c>openai/gpt-*</c>); providers do not.
/// </summary>
[JsonConverter(typeof(PolicyResourceJsonConverter))]
public sealed record AiGatewayPolicyResource
{
    /// <summary>Gets every model and provider (<c>"*"</c>).</summary>
    public static AiGatewayPolicyResource All { get; } = new();

    /// <summary>Gets the model ids (<c>provider/model</c>, wildcards allowed), or null for any.</summary>
    /// <remarks>Set once: <see cref="All"/> is shared, so a resource never changes after it is made.</remarks>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Gets the providers, or null for any.</summary>
    public IReadOnlyList<string>? Providers { get; init; }

    /// <summary>Gets a value indicating whether this covers everything.</summary>
    [JsonIgnore]
    public bool IsAll => Models is null && Providers is null;

    /// <summary>The given models.</summary>
    /// <param name="models">Model ids such as <c>anthropic/claude-opus-*</c>.</param>
    /// <returns>The resource.</returns>
    public static AiGatewayPolicyResource ForModels(params string[] models) => new() { Models = models };

    /// <summary>The given providers.</summary>
    /// <param name="providers">Providers such as <c>anthropic</c>.</param>
    /// <returns>The resource.</returns>
    public static AiGatewayPolicyResource ForProviders(params string[] providers) => new() { Providers = providers };
}
