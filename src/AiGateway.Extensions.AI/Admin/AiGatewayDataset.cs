using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>A dataset: a saved log filter.</summary>
public sealed record AiGatewayDataset
{
    /// <summary>Gets the dataset id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets whether it is enabled.</summary>
    public bool? Enable { get; set; }

    /// <summary>Gets the filters, in Cloudflare's shape (<c>[{"key","operator","value":[...]}]</c>).</summary>
    public JsonElement? Filters { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
