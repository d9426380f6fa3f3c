using System.Globalization;
using System.Text;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// Builds the logs API's query strings as Cloudflare's own client does (qs with dots and repeated keys):
/// <c>filters.key=provider&amp;filters.operator=eq&amp;filters.value=openai</c>, and the list parameters by name.
/// </summary>
internal static class LogQueryString
{
    /// <exception cref="ArgumentException">A filter, the ordering or the feedback value is not one the API takes.</exception>
    public static string ForList(AiGatewayLogQuery query)
    {
        var builder = new StringBuilder();
        AddFilters(builder, query.Filters);
        Add(builder, "search", query.Search);
        Add(builder, "start_date", query.StartDate?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(builder, "end_date", query.EndDate?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(builder, "cached", Format(query.Cached));
        Add(builder, "success", Format(query.Success));
        if (query.Feedback is { } feedback)
        {
            if (feedback is not (0 or 1))
            {
                throw new ArgumentException($"Feedback must be 0 or 1 when listing logs (it is {feedback}); -1 and 1 are what PatchLogAsync records.", nameof(query));
            }

            Add(builder, "feedback", feedback.ToString(CultureInfo.InvariantCulture));
        }

        Add(builder, "model", query.Model);
        Add(builder, "model_type", query.ModelType);
        Add(builder, "provider", query.Provider);
        Add(builder, "request_content_type", query.RequestContentType);
        Add(builder, "response_content_type", query.ResponseContentType);
        Add(builder, "min_cost", Format(query.MinCost));
        Add(builder, "max_cost", Format(query.MaxCost));
        Add(builder, "min_duration", Format(query.MinDuration));
        Add(builder, "max_duration", Format(query.MaxDuration));
        Add(builder, "min_tokens_in", Format(query.MinTokensIn));
        Add(builder, "max_tokens_in", Format(query.MaxTokensIn));
        Add(builder, "min_tokens_out", Format(query.MinTokensOut));
        Add(builder, "max_tokens_out", Format(query.MaxTokensOut));
        Add(builder, "min_total_tokens", Format(query.MinTotalTokens));
        Add(builder, "max_total_tokens", Format(query.MaxTotalTokens));
        Add(builder, "meta_info", Format(query.MetaInfo));
        AddOrder(builder, query.OrderBy, query.Descending, AiGatewayLogQuery.OrderByFields);
        return builder.ToString();
    }

    /// <exception cref="ArgumentException">A filter or the ordering is not one the API takes.</exception>
    public static string ForDelete(IReadOnlyList<AiGatewayLogFilter> filters, int? limit, string? orderBy, bool? descending)
    {
        var builder = new StringBuilder();
        AddFilters(builder, filters);
        Add(builder, "limit", Format(limit));
        AddOrder(builder, orderBy, descending, DeleteOrderByFields);
        return builder.ToString();
    }

    private static readonly HashSet<string> DeleteOrderByFields = new(StringComparer.Ordinal)
    {
        "created_at", "provider", "model", "model_type", "success", "cached", "cost", "tokens_in", "tokens_out", "duration", "feedback",
    };

    private static void AddFilters(StringBuilder builder, IReadOnlyList<AiGatewayLogFilter> filters)
    {
        foreach (var filter in filters)
        {
            if (filter is null || !AiGatewayLogFilter.Keys.Contains(filter.Key))
            {
                throw new ArgumentException(
                    $"'{filter?.Key}' is not a key the logs API filters on (it would be ignored); use one of {string.Join(", ", AiGatewayLogFilter.Keys)}.", nameof(filters));
            }

            if (filter.Values is not { Count: > 0 })
            {
                throw new ArgumentException($"The filter on '{filter.Key}' has no value.", nameof(filters));
            }

            Add(builder, "filters.key", filter.Key);
            Add(builder, "filters.operator", filter.Operator switch
            {
                AiGatewayLogFilterOperator.Equal => "eq",
                AiGatewayLogFilterOperator.NotEqual => "neq",
                AiGatewayLogFilterOperator.Contains => "contains",
                AiGatewayLogFilterOperator.LessThan => "lt",
                AiGatewayLogFilterOperator.GreaterThan => "gt",
                _ => throw new ArgumentException($"Unknown operator {filter.Operator}.", nameof(filters)),
            });
            foreach (object? value in filter.Values)
            {
                Add(builder, "filters.value", value switch
                {
                    null => string.Empty,
                    bool b => Format(b),
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                });
            }
        }
    }

    private static void AddOrder(StringBuilder builder, string? orderBy, bool? descending, IReadOnlySet<string> fields)
    {
        if (orderBy is not null && !fields.Contains(orderBy))
        {
            throw new ArgumentException($"Logs cannot be ordered by '{orderBy}'; use one of {string.Join(", ", fields)}.", nameof(orderBy));
        }

        Add(builder, "order_by", orderBy);
        Add(builder, "order_by_direction", descending switch { true => "desc", false => "asc", null => null });
    }

    private static void Add(StringBuilder builder, string name, string? value)
    {
        if (value is not null)
        {
            builder.Append(builder.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    private static string? Format(bool? value) => value switch { true => "true", false => "false", null => null };

    private static string? Format<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture);
}
