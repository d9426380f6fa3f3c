using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiGateway.Emulator;

/// <summary>One request as the gateway logged it, in Cloudflare's log field names.</summary>
public sealed class EmulatorLogEntry
{
    /// <summary>Gets the log id (also sent as <c>cf-aig-log-id</c>).</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>Gets the gateway that served the request.</summary>
    [JsonPropertyName("gateway_id")]
    public required string GatewayId { get; init; }

    /// <summary>Gets the provider slug that served (or was last tried).</summary>
    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    /// <summary>Gets the model.</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>Gets the provider path after the slug.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>Gets the duration in milliseconds.</summary>
    [JsonPropertyName("duration")]
    public long Duration { get; init; }

    /// <summary>Gets the HTTP status answered.</summary>
    [JsonPropertyName("status_code")]
    public int StatusCode { get; init; }

    /// <summary>Gets whether the request succeeded.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; init; }

    /// <summary>Gets whether the answer came from the cache.</summary>
    [JsonPropertyName("cached")]
    public bool Cached { get; init; }

    /// <summary>Gets the input tokens.</summary>
    [JsonPropertyName("tokens_in")]
    public int TokensIn { get; init; }

    /// <summary>Gets the output tokens.</summary>
    [JsonPropertyName("tokens_out")]
    public int TokensOut { get; init; }

    /// <summary>Gets the request's <c>cf-aig-metadata</c>.</summary>
    [JsonIgnore]
    public JsonObject? Metadata { get; set; }

    /// <summary>Gets the metadata as the API answers it: a JSON string.</summary>
    [JsonPropertyName("metadata")]
    public string? MetadataJson => Metadata?.ToJsonString();

    /// <summary>Gets the kind of model: <c>text-embeddings</c> for embeddings, <c>text-generation</c> otherwise.</summary>
    [JsonPropertyName("model_type")]
    public string ModelType => Path.EndsWith("embeddings", StringComparison.Ordinal) ? "text-embeddings" : "text-generation";

    /// <summary>Gets the request's <c>User-Agent</c> (the logs API filters on it; its log objects do not carry it).</summary>
    [JsonIgnore]
    public string? UserAgent { get; init; }

    /// <summary>Gets the request's <c>cf-aig-event-id</c>.</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }

    /// <summary>Gets the universal-endpoint step that served.</summary>
    [JsonPropertyName("step")]
    public int Step { get; init; }

    /// <summary>Gets the cost recorded (<c>cf-aig-custom-cost</c>, or an estimate).</summary>
    [JsonPropertyName("cost")]
    public double Cost { get; init; }

    /// <summary>Gets when the request arrived.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets or sets the feedback: -1, 1 or null.</summary>
    [JsonPropertyName("feedback")]
    public int? Feedback { get; set; }

    /// <summary>Gets or sets the score.</summary>
    [JsonPropertyName("score")]
    public double? Score { get; set; }

    /// <summary>Gets the request body (null when <c>cf-aig-collect-log-payload: false</c>, or too large to keep).</summary>
    [JsonIgnore]
    public string? RequestBody => RequestBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Gets the response body (null when payloads are not collected, the answer streamed, or too large to keep).</summary>
    [JsonIgnore]
    public string? ResponseBody => ResponseBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Gets the request body as stored: UTF-8, provider credentials redacted.</summary>
    internal byte[]? RequestBytes { get; private set; }

    /// <summary>Gets the response body as stored (UTF-8).</summary>
    internal byte[]? ResponseBytes { get; private set; }

    /// <summary>Gets the bytes the bodies hold, counted against <see cref="EmulatorLimits.MaxLogPayloadBytes"/>.</summary>
    internal long PayloadBytes => (RequestBytes?.Length ?? 0L) + (ResponseBytes?.Length ?? 0L);

    /// <summary>Gets or sets the entry's place among its gateway's logs (the log store's bookkeeping).</summary>
    internal LinkedListNode<EmulatorLogEntry>? GatewayNode { get; set; }

    /// <summary>Gets or sets the entry's place among every gateway's logs, oldest first (the log store's bookkeeping).</summary>
    internal LinkedListNode<EmulatorLogEntry>? AgeNode { get; set; }

    /// <summary>Sets the stored bodies.</summary>
    internal EmulatorLogEntry WithPayload(byte[]? request, byte[]? response)
    {
        (RequestBytes, ResponseBytes) = (request, response);
        return this;
    }

    /// <summary>Drops the stored bodies (too large for the log store to keep).</summary>
    internal void DropPayload() => (RequestBytes, ResponseBytes) = (null, null);
}
