using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A gateway's settings as Cloudflare's API names them. For <see cref="AiGatewayManagementClient.EnsureGatewayAsync"/>,
/// a null property means "any value is fine"; set only what you want enforced.
/// </summary>
public sealed record AiGatewaySettings
{
    /// <summary>Gets the gateway id (its name in URLs).</summary>
    public string? Id { get; set; }

    /// <summary>Gets the default cache TTL in seconds (0: caching off).</summary>
    public int? CacheTtl { get; set; }

    /// <summary>Gets whether updating the settings empties the cache.</summary>
    public bool? CacheInvalidateOnUpdate { get; set; }

    /// <summary>Gets whether requests are logged.</summary>
    public bool? CollectLogs { get; set; }

    /// <summary>Gets the rate-limit window in seconds.</summary>
    public int? RateLimitingInterval { get; set; }

    /// <summary>Gets the requests allowed per window.</summary>
    public int? RateLimitingLimit { get; set; }

    /// <summary>Gets <c>fixed</c> or <c>sliding</c>.</summary>
    public string? RateLimitingTechnique { get; set; }

    /// <summary>Gets whether requests need <c>cf-aig-authorization</c>.</summary>
    public bool? Authentication { get; set; }

    /// <summary>Gets the most logs kept.</summary>
    public int? LogManagement { get; set; }

    /// <summary>Gets <c>STOP_INSERTING</c> or <c>DELETE_OLDEST</c>.</summary>
    public string? LogManagementStrategy { get; set; }

    /// <summary>Gets whether logpush is on.</summary>
    public bool? Logpush { get; set; }

    /// <summary>Gets the logpush public key.</summary>
    public string? LogpushPublicKey { get; set; }

    /// <summary>Gets the gateway's retry attempts.</summary>
    public int? RetryMaxAttempts { get; set; }

    /// <summary>Gets the gateway's retry delay in milliseconds.</summary>
    public int? RetryDelay { get; set; }

    /// <summary>Gets the gateway's retry backoff.</summary>
    public string? RetryBackoff { get; set; }

    /// <summary>Gets zero data retention.</summary>
    public bool? Zdr { get; set; }

    /// <summary>Gets when the gateway was created (read only).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when the gateway was last changed (read only).</summary>
    public DateTimeOffset? ModifiedAt { get; set; }

    /// <summary>Gets whether this is the account's default gateway (read only).</summary>
    public bool? IsDefault { get; set; }
}

/// <summary>What <see cref="AiGatewayManagementClient.EnsureGatewayAsync"/> did.</summary>
/// <param name="Gateway">The gateway as it is now.</param>
/// <param name="Created">Whether it had to be created.</param>
/// <param name="ChangedSettings">The settings that were updated (Cloudflare's names); empty when nothing changed.</param>
public sealed record AiGatewayEnsureResult(AiGatewaySettings Gateway, bool Created, IReadOnlyList<string> ChangedSettings);

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

    /// <summary>Gets the request's metadata.</summary>
    public JsonElement? Metadata { get; set; }

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
}

/// <summary>Filters and ordering for listing or deleting logs (all optional).</summary>
public sealed record AiGatewayLogQuery
{
    /// <summary>Gets the page size used while paging (at most 50).</summary>
    public int PerPage { get; set; } = 50;

    /// <summary>Gets the earliest creation time.</summary>
    public DateTimeOffset? StartDate { get; set; }

    /// <summary>Gets the latest creation time.</summary>
    public DateTimeOffset? EndDate { get; set; }

    /// <summary>Gets whether to keep only cached (or uncached) answers.</summary>
    public bool? Cached { get; set; }

    /// <summary>Gets whether to keep only successes (or failures).</summary>
    public bool? Success { get; set; }

    /// <summary>Gets the feedback to match (-1 or 1).</summary>
    public int? Feedback { get; set; }

    /// <summary>Gets the model to match.</summary>
    public string? Model { get; set; }

    /// <summary>Gets the provider to match.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets the field to order by, for example <c>created_at</c>, <c>duration</c>, <c>cost</c>.</summary>
    public string? OrderBy { get; set; }

    /// <summary>Gets <c>asc</c> or <c>desc</c>.</summary>
    public string? Direction { get; set; }
}

/// <summary>Feedback on a logged answer.</summary>
public enum AiGatewayFeedback
{
    /// <summary>Thumbs down (-1).</summary>
    Negative = -1,

    /// <summary>No feedback (clears it).</summary>
    None = 0,

    /// <summary>Thumbs up (+1).</summary>
    Positive = 1,
}

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

/// <summary>An evaluation of datasets.</summary>
public sealed record AiGatewayEvaluation
{
    /// <summary>Gets the evaluation id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the evaluated datasets.</summary>
    public IReadOnlyList<string>? DatasetIds { get; set; }

    /// <summary>Gets the evaluation types applied.</summary>
    public IReadOnlyList<string>? EvaluationTypeIds { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>A kind of evaluation the gateway can run.</summary>
public sealed record AiGatewayEvaluationType
{
    /// <summary>Gets the type id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; set; }
}

/// <summary>One error in Cloudflare's API envelope.</summary>
/// <param name="Code">The API's error code.</param>
/// <param name="Message">The API's message.</param>
public sealed record CloudflareApiError(int Code, string Message);

/// <summary>Source-generated JSON for the management API (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AiGatewaySettings))]
[JsonSerializable(typeof(List<AiGatewaySettings>))]
[JsonSerializable(typeof(AiGatewayLog))]
[JsonSerializable(typeof(List<AiGatewayLog>))]
[JsonSerializable(typeof(AiGatewayDataset))]
[JsonSerializable(typeof(List<AiGatewayDataset>))]
[JsonSerializable(typeof(AiGatewayEvaluation))]
[JsonSerializable(typeof(List<AiGatewayEvaluation>))]
[JsonSerializable(typeof(List<AiGatewayEvaluationType>))]
[JsonSerializable(typeof(List<CloudflareApiError>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
