using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>The logs list's conditions (<c>filters[]</c> and the older named parameters) and its order.</summary>
internal static class LogQuery
{
    /// <summary>The list endpoint's conditions: <c>filters[]</c>, then its older named parameters.</summary>
    /// <exception cref="FormatException">A parameter has a value the API does not take.</exception>
    public static IEnumerable<EmulatorLogEntry> Filter(IEnumerable<EmulatorLogEntry> logs, HttpRequest request)
    {
        var query = request.Query;
        var conditions = LogFilters.Read(request);
        logs = logs.Where(l => conditions.All(c => LogFilters.Matches(l, c)));
        bool? Bool(string name) => bool.TryParse(query[name], out bool b) ? b : null;
        double? Number(string name) => double.TryParse(query[name], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
        if (Bool("cached") is { } cached)
        {
            logs = logs.Where(l => l.Cached == cached);
        }

        if (Bool("success") is { } success)
        {
            logs = logs.Where(l => l.Success == success);
        }

        foreach (var (name, field) in (ReadOnlySpan<(string, Func<EmulatorLogEntry, string?>)>)[("provider", l => l.Provider), ("model", l => l.Model), ("model_type", l => l.ModelType)])
        {
            if (query[name].ToString() is { Length: > 0 } wanted)
            {
                logs = logs.Where(l => string.Equals(field(l), wanted, StringComparison.OrdinalIgnoreCase));
            }
        }

        if (query["search"].ToString() is { Length: > 0 } search)
        {
            logs = logs.Where(l => l.Model.Contains(search, StringComparison.OrdinalIgnoreCase) || l.Provider.Contains(search, StringComparison.OrdinalIgnoreCase) ||
                (l.RequestBody?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        // The list filter takes 1 (positive feedback) or 0 (negative); the log holds 1 or -1.
        if (query["feedback"].ToString() is { Length: > 0 } feedback)
        {
            int wanted = feedback switch
            {
                "1" => 1,
                "0" => -1,
                _ => throw new FormatException("feedback must be 0 or 1."),
            };
            logs = logs.Where(l => l.Feedback == wanted);
        }

        foreach (var (name, field) in (ReadOnlySpan<(string, Func<EmulatorLogEntry, double>)>)
            [("cost", l => l.Cost), ("duration", l => l.Duration), ("tokens_in", l => l.TokensIn), ("tokens_out", l => l.TokensOut), ("total_tokens", l => l.TokensIn + l.TokensOut)])
        {
            if (Number("min_" + name) is { } min)
            {
                logs = logs.Where(l => field(l) >= min);
            }

            if (Number("max_" + name) is { } max)
            {
                logs = logs.Where(l => field(l) <= max);
            }
        }

        if (DateTimeOffset.TryParse(query["start_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            logs = logs.Where(l => l.CreatedAt >= start);
        }

        if (DateTimeOffset.TryParse(query["end_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            logs = logs.Where(l => l.CreatedAt <= end);
        }

        return logs;
    }

    /// <summary><c>order_by</c> (created_at, provider, model, model_type, success, cached, and on DELETE cost, tokens, duration, feedback) and <c>order_by_direction</c>.</summary>
    /// <exception cref="FormatException">The order names no log field.</exception>
    public static IEnumerable<EmulatorLogEntry> Order(IEnumerable<EmulatorLogEntry> logs, IQueryCollection query)
    {
        bool ascending = string.Equals(query["order_by_direction"], "asc", StringComparison.OrdinalIgnoreCase);
        Func<EmulatorLogEntry, IComparable?> key = query["order_by"].ToString() switch
        {
            "" or "created_at" => l => l.CreatedAt,
            "provider" => l => l.Provider,
            "model" => l => l.Model,
            "model_type" => l => l.ModelType,
            "success" => l => l.Success,
            "cached" => l => l.Cached,
            "cost" => l => l.Cost,
            "tokens_in" => l => l.TokensIn,
            "tokens_out" => l => l.TokensOut,
            "duration" => l => l.Duration,
            "feedback" => l => l.Feedback,
            var other => throw new FormatException($"Logs cannot be ordered by '{other}'."),
        };
        return ascending ? logs.OrderBy(key) : logs.OrderByDescending(key);
    }
}
