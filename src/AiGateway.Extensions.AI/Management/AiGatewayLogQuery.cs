namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// Filters and ordering for listing logs (all optional): every query parameter of Cloudflare's <c>LogListParams</c>
/// (cloudflare-typescript <c>src/resources/ai-gateway/logs.ts</c>). <see cref="Filters"/> is Cloudflare's current
/// grammar; the other conditions are its older list parameters, still accepted for listing. Deleting logs takes
/// filters only (<see cref="AiGatewayLogsClient.DeleteLogsAsync"/>).
/// </summary>
public sealed record AiGatewayLogQuery
{
    /// <summary>The fields logs can be ordered by.</summary>
    public static IReadOnlySet<string> OrderByFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "created_at", "provider", "model", "model_type", "success", "cached",
    };

    /// <summary>Gets the page size used while paging (at most 50).</summary>
    public int PerPage { get; init; } = 50;

    /// <summary>Gets conditions in Cloudflare's <c>filters[]</c> grammar.</summary>
    public IReadOnlyList<AiGatewayLogFilter> Filters { get; init; } = [];

    /// <summary>Gets free text to search for.</summary>
    public string? Search { get; init; }

    /// <summary>Gets the earliest creation time.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>Gets the latest creation time.</summary>
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>Gets whether to keep only cached (or uncached) answers.</summary>
    public bool? Cached { get; init; }

    /// <summary>Gets whether to keep only successes (or failures).</summary>
    public bool? Success { get; init; }

    /// <summary>Gets the feedback filter as the list API takes it: 1 (thumbs up) or 0 (thumbs down); the log itself holds 1 or -1.</summary>
    public int? Feedback { get; init; }

    /// <summary>Gets the model to match.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the model type to match (for example <c>text-generation</c>).</summary>
    public string? ModelType { get; init; }

    /// <summary>Gets the provider to match.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the smallest cost.</summary>
    public double? MinCost { get; init; }

    /// <summary>Gets the largest cost.</summary>
    public double? MaxCost { get; init; }

    /// <summary>Gets the shortest duration, in milliseconds.</summary>
    public long? MinDuration { get; init; }

    /// <summary>Gets the longest duration, in milliseconds.</summary>
    public long? MaxDuration { get; init; }

    /// <summary>Gets the fewest input tokens.</summary>
    public int? MinTokensIn { get; init; }

    /// <summary>Gets the most input tokens.</summary>
    public int? MaxTokensIn { get; init; }

    /// <summary>Gets the fewest output tokens.</summary>
    public int? MinTokensOut { get; init; }

    /// <summary>Gets the most output tokens.</summary>
    public int? MaxTokensOut { get; init; }

    /// <summary>Gets the fewest tokens in and out together.</summary>
    public int? MinTotalTokens { get; init; }

    /// <summary>Gets the most tokens in and out together.</summary>
    public int? MaxTotalTokens { get; init; }

    /// <summary>Gets the request content type to match (for example <c>application/json</c>).</summary>
    public string? RequestContentType { get; init; }

    /// <summary>Gets the response content type to match (for example <c>text/event-stream</c>).</summary>
    public string? ResponseContentType { get; init; }

    /// <summary>Gets whether the API adds its <c>meta_info</c> summary to the answer (the list itself is the same).</summary>
    public bool? MetaInfo { get; init; }

    /// <summary>Gets the field to order by: one of <see cref="OrderByFields"/>.</summary>
    public string? OrderBy { get; init; }

    /// <summary>
    /// Gets whether to order descending (<c>order_by_direction=desc</c>); ascending when false, the API's default when
    /// null. The client's <c>direction</c> parameter is the deprecated name of the same choice, so it is not sent twice.
    /// </summary>
    public bool? Descending { get; init; }
}
