namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// One condition on logs in the shape Cloudflare's logs API takes (<c>filters[]</c>: <c>{key, operator, value[]}</c>),
/// for listing and, above all, for deleting logs: a delete only ever removes what its filters name.
/// </summary>
/// <param name="Key">The field: <c>provider</c>, <c>model</c>, <c>success</c>, <c>cached</c>, <c>created_at</c>, <c>event_id</c>,
/// <c>metadata.key</c>, <c>metadata.value</c>, <c>cost</c>, <c>tokens_in</c>, <c>feedback</c>, ... (see <see cref="Keys"/>).</param>
/// <param name="Operator">How the field is compared.</param>
/// <param name="Values">The values to compare with (strings, numbers, booleans or null).</param>
public sealed record AiGatewayLogFilter(string Key, AiGatewayLogFilterOperator Operator, IReadOnlyList<object?> Values)
{
    /// <summary>The keys Cloudflare's logs API filters on, listing and deleting alike (<c>LogListParams.Filter</c> and <c>LogDeleteParams.Filter</c> in cloudflare-typescript <c>src/resources/ai-gateway/logs.ts</c>).</summary>
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "created_at", "request_content_type", "response_content_type", "request_type", "success", "cached", "provider",
        "model", "model_type", "cost", "tokens", "tokens_in", "tokens_out", "duration", "feedback", "event_id", "metadata.key",
        "metadata.value", "authentication", "wholesale", "compatibilityMode", "dlp_action", "user_agent",
    };

    /// <summary>Logs whose <paramref name="key"/> equals one of <paramref name="values"/>.</summary>
    /// <param name="key">The field.</param>
    /// <param name="values">The values.</param>
    /// <returns>The filter.</returns>
    public static AiGatewayLogFilter Equal(string key, params object?[] values) => new(key, AiGatewayLogFilterOperator.Equal, values);

    /// <summary>Logs whose <paramref name="key"/> is less than <paramref name="value"/> (a date for <c>created_at</c>).</summary>
    /// <param name="key">The field.</param>
    /// <param name="value">The bound.</param>
    /// <returns>The filter.</returns>
    public static AiGatewayLogFilter LessThan(string key, object value) => new(key, AiGatewayLogFilterOperator.LessThan, [value]);

    /// <summary>Logs whose <paramref name="key"/> is greater than <paramref name="value"/>.</summary>
    /// <param name="key">The field.</param>
    /// <param name="value">The bound.</param>
    /// <returns>The filter.</returns>
    public static AiGatewayLogFilter GreaterThan(string key, object value) => new(key, AiGatewayLogFilterOperator.GreaterThan, [value]);

    /// <summary>Logs created before <paramref name="time"/> (<c>created_at lt</c>).</summary>
    /// <param name="time">The moment.</param>
    /// <returns>The filter.</returns>
    public static AiGatewayLogFilter CreatedBefore(DateTimeOffset time) =>
        LessThan("created_at", time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
}
