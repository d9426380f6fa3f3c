using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// The logs API's <c>filters[]</c> as Cloudflare's client sends them (repeated <c>filters.key</c>,
/// <c>filters.operator</c>, <c>filters.value</c> in order), and the list endpoint's older named parameters.
/// </summary>
internal static class LogFilters
{
    /// <summary>One condition: the key, the operator, the values.</summary>
    public sealed record Condition(string Key, string Operator, IReadOnlyList<string> Values);

    /// <summary>Reads the conditions in order: each <c>filters.key</c> starts one, the operator and values that follow belong to it.</summary>
    public static List<Condition> Read(HttpRequest request)
    {
        var conditions = new List<Condition>();
        string? key = null;
        string op = "eq";
        List<string> values = [];

        // In order, which IQueryCollection (grouped by name) loses: each value belongs to the filters.key before it.
        foreach (var pair in new QueryStringEnumerable(request.QueryString.Value))
        {
            string value = pair.DecodeValue().ToString();
            switch (pair.DecodeName().ToString())
            {
                case "filters.key":
                    if (key is not null)
                    {
                        conditions.Add(new(key, op, values));
                    }

                    (key, op, values) = (value, "eq", []);
                    break;
                case "filters.operator":
                    op = value;
                    break;
                case "filters.value":
                    values.Add(value);
                    break;
            }
        }

        if (key is not null)
        {
            conditions.Add(new(key, op, values));
        }

        return conditions;
    }

    /// <summary>Whether a log meets a condition; throws <see cref="FormatException"/> for a key the API does not filter on.</summary>
    public static bool Matches(EmulatorLogEntry log, Condition condition)
    {
        string? field = condition.Key switch
        {
            "id" => log.Id,
            "provider" => log.Provider,
            "model" => log.Model,
            "model_type" => log.ModelType,
            "success" => log.Success ? "true" : "false",
            "cached" => log.Cached ? "true" : "false",
            "event_id" => log.EventId,
            "feedback" => log.Feedback?.ToString(CultureInfo.InvariantCulture),
            "created_at" => log.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            "cost" => log.Cost.ToString(CultureInfo.InvariantCulture),
            "duration" => log.Duration.ToString(CultureInfo.InvariantCulture),
            "tokens_in" => log.TokensIn.ToString(CultureInfo.InvariantCulture),
            "tokens_out" => log.TokensOut.ToString(CultureInfo.InvariantCulture),
            "tokens" => (log.TokensIn + log.TokensOut).ToString(CultureInfo.InvariantCulture),
            "metadata.key" => null,
            "metadata.value" => null,
            "request_content_type" or "response_content_type" => "application/json",
            "user_agent" => log.UserAgent,
            "request_type" or "authentication" or "wholesale" or "compatibilityMode" or "dlp_action" => null,
            _ => throw new FormatException($"'{condition.Key}' is not a log field the API filters on."),
        };

        if (condition.Key is "metadata.key" or "metadata.value")
        {
            var metadata = log.Metadata ?? [];
            var candidates = condition.Key == "metadata.key"
                ? metadata.Select(e => e.Key)
                : metadata.Select(e => e.Value?.ToString() ?? string.Empty);
            return condition.Operator == "neq"
                ? !candidates.Any(c => condition.Values.Contains(c))
                : candidates.Any(c => condition.Values.Any(v => Compare(c, condition.Operator, v)));
        }

        return condition.Operator == "neq"
            ? !condition.Values.Any(v => Compare(field, "eq", v))
            : condition.Values.Any(v => Compare(field, condition.Operator, v));
    }

    private static bool Compare(string? field, string op, string value)
    {
        if (field is null)
        {
            return op == "eq" && value.Length == 0;
        }

        if (op is "lt" or "gt")
        {
            int order = double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) &&
                double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
                ? a.CompareTo(b)
                : DateTimeOffset.TryParse(field, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x) &&
                  DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var y)
                    ? x.CompareTo(y)
                    : string.CompareOrdinal(field, value);
            return op == "lt" ? order < 0 : order > 0;
        }

        return op == "contains"
            ? field.Contains(value, StringComparison.OrdinalIgnoreCase)
            : string.Equals(field, value, StringComparison.OrdinalIgnoreCase);
    }
}
