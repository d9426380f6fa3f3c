using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>One request as the gateway logged it.</summary>
public sealed record AiGatewayLog
{
    /// <summary>Gets the log id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets the provider slug.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets the model.</summary>
    public string? Model { get; set; }

    /// <summary>Gets the provider path.</summary>
    public string? Path { get; set; }

    /// <summary>Gets the duration in milliseconds.</summary>
    public long? Duration { get; set; }

    /// <summary>Gets the HTTP status.</summary>
    public int? StatusCode { get; set; }

    /// <summary>Gets whether the request succeeded.</summary>
    public bool? Success { get; set; }

    /// <summary>Gets whether the answer came from the cache.</summary>
    public bool? Cached { get; set; }

    /// <summary>Gets the input tokens.</summary>
    public int? TokensIn { get; set; }

    /// <summary>Gets the output tokens.</summary>
    public int? TokensOut { get; set; }

    /// <summary>Gets the request's metadata as the API holds it: a JSON string (see <see cref="GetMetadata"/>).</summary>
    public string? Metadata { get; set; }

    /// <summary>Gets the kind of model (for example <c>text-generation</c>).</summary>
    public string? ModelType { get; set; }

    /// <summary>Gets the universal-endpoint step.</summary>
    public int? Step { get; set; }

    /// <summary>Gets the cost.</summary>
    public double? Cost { get; set; }

    /// <summary>Gets the event id.</summary>
    public string? EventId { get; set; }

    /// <summary>Gets when the request arrived.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets the feedback: -1, 1 or null.</summary>
    public int? Feedback { get; set; }

    /// <summary>Gets the score.</summary>
    public double? Score { get; set; }

    /// <summary>Reads <see cref="Metadata"/> into its entries.</summary>
    /// <returns>The entries, or an empty dictionary when there is no metadata or it is not a JSON object.</returns>
    public IReadOnlyDictionary<string, JsonElement> GetMetadata()
    {
        if (string.IsNullOrEmpty(Metadata))
        {
            return new Dictionary<string, JsonElement>();
        }

        try
        {
            using var document = JsonDocument.Parse(Metadata);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, JsonElement>();
        }
    }
}
