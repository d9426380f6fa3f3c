using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// Runs a dynamic route's graph for one request, as features/dynamic-routing/json-configuration.mdx describes each
/// element: <c>start</c> goes on; <c>conditional</c> tests the request's metadata with MongoDB-like operators;
/// <c>percentage</c> splits by share (deterministically: the n-th request lands at the fractional part of n times the
/// golden ratio, so shares hold over a few requests and tests can count on them); <c>rate</c> counts requests per key
/// value in a fixed window and sends the excess to its <c>fallback</c> (or ends the route); <c>model</c> calls the
/// provider with its retries and timeout, going to <c>success</c> or, after the last failure, <c>fallback</c>;
/// <c>end</c> answers the last successful model response, or the last failure. Cost-based limits count nothing
/// here: the emulator prices no model.
/// </summary>
internal static class DynamicRouteRunner
{
    private const int MaxHops = 64;
    private const double GoldenRatio = 0.6180339887498949;

    /// <summary>Calls one model: provider, model, the element's timeout (null: the request's own).</summary>
    public delegate Task<StepOutcome> ModelCall(string provider, string model, TimeSpan? timeout);

    public static async Task<StepOutcome> RunAsync(RouteGraph graph, JsonObject? metadata, TimeProvider time, ModelCall call, Func<int, string, StepOutcome> fail)
    {
        StepOutcome? lastSuccess = null;
        StepOutcome? lastFailure = null;
        var element = graph.Start;
        for (int hop = 0; hop < MaxHops; hop++)
        {
            string? next;
            switch (element.Type)
            {
                case "end":
                    return lastSuccess ?? lastFailure ?? fail(400, "The dynamic route ended before any model answered.");
                case "start":
                    next = element.Output("next");
                    break;
                case "conditional":
                    next = element.Output(Matches(element.Properties["conditions"] ?? element.Properties["condition"], metadata) ? "true" : "false");
                    break;
                case "percentage":
                    next = Split(graph, element);
                    break;
                case "rate" or "rate_limit":
                    next = Within(graph, element, metadata, time) ? element.Output("success") : element.Output("fallback");
                    if (next is null)
                    {
                        return fail(429, $"Rate limit of dynamic route element '{element.Id}' exceeded.");
                    }

                    break;
                default:
                    var outcome = await CallAsync(element, call).ConfigureAwait(false);
                    if (outcome.Success)
                    {
                        lastSuccess = outcome;
                        next = element.Output("success");
                        if (next is null)
                        {
                            return outcome;
                        }
                    }
                    else
                    {
                        lastFailure = outcome;
                        next = element.Output("fallback");
                        if (next is null)
                        {
                            return lastSuccess ?? outcome;
                        }
                    }

                    break;
            }

            if (next is null || !graph.ById.TryGetValue(next, out var following))
            {
                return lastSuccess ?? lastFailure ?? fail(400, $"Element '{element.Id}' of the dynamic route has no output to follow.");
            }

            element = following;
        }

        return fail(400, $"The dynamic route went through more than {MaxHops} elements; it loops.");
    }

    /// <summary>A model element: its call, retried <c>retries</c> times while it fails.</summary>
    private static async Task<StepOutcome> CallAsync(RouteElement element, ModelCall call)
    {
        string provider = EmulatorJson.Text(element.Properties, "provider")!;
        string model = EmulatorJson.Text(element.Properties, "model")!;
        int retries = (int)Math.Clamp(EmulatorJson.Number(element.Properties, "retries") ?? 0, 0, 10);
        TimeSpan? timeout = EmulatorJson.Number(element.Properties, "timeout") is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null;
        StepOutcome outcome = await call(provider, model, timeout).ConfigureAwait(false);
        for (int retry = 0; retry < retries && !outcome.Success; retry++)
        {
            outcome = await call(provider, model, timeout).ConfigureAwait(false);
        }

        return outcome;
    }

    private static string? Split(RouteGraph graph, RouteElement element)
    {
        long n = graph.SplitCounts.AddOrUpdate(element.Id, 1, (_, count) => count + 1) - 1;
        double point = n * GoldenRatio % 1 * 100;
        double cumulative = 0;
        foreach (var (output, target) in element.Outputs.Where(o => o.Key != "else"))
        {
            cumulative += RouteGraph.Share(output);
            if (point < cumulative)
            {
                return target;
            }
        }

        return element.Output("else") ?? element.Outputs.LastOrDefault(o => o.Key != "else").Value;
    }

    /// <summary>Counts the request in its key value's fixed window; whether it is within the limit.</summary>
    private static bool Within(RouteGraph graph, RouteElement element, JsonObject? metadata, TimeProvider time)
    {
        if (EmulatorJson.Text(element.Properties, "limitType") == "cost")
        {
            return true;
        }

        string key = Field(EmulatorJson.Text(element.Properties, "key")!, metadata) is { } value ? Text(value) : string.Empty;
        double limit = EmulatorJson.Number(element.Properties, "limit")!.Value;
        var window = TimeSpan.FromSeconds(EmulatorJson.Number(element.Properties, "window") ?? EmulatorJson.Number(element.Properties, "interval") ?? 60);
        var now = time.GetUtcNow();
        bool within = false;
        graph.RateWindows.AddOrUpdate((element.Id, key),
            _ => (now, (within = limit >= 1) ? 1 : 0),
            (_, current) =>
            {
                var (start, used) = now - current.Start >= window ? (now, 0d) : current;
                within = used + 1 <= limit;
                return (start, within ? used + 1 : used);
            });
        return within;
    }

    /// <summary>A MongoDB-like condition over the request: <c>{"metadata.plan": {"$eq": "free"}}</c>, <c>$and</c>, <c>$or</c>.</summary>
    private static bool Matches(JsonNode? condition, JsonObject? metadata)
    {
        if (condition is not JsonObject clauses)
        {
            return condition is JsonValue v && v.TryGetValue(out bool b) && b;
        }

        foreach (var (field, test) in clauses)
        {
            bool ok = field switch
            {
                "$and" => test is JsonArray all && all.All(c => Matches(c, metadata)),
                "$or" => test is JsonArray any && any.Any(c => Matches(c, metadata)),
                _ => Test(Field(field, metadata), test),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Test(JsonNode? value, JsonNode? test)
    {
        if (test is not JsonObject operators || !operators.Any(o => o.Key.StartsWith('$')))
        {
            return Same(value, test);
        }

        return operators.All(o => o.Key switch
        {
            "$eq" => Same(value, o.Value),
            "$ne" => !Same(value, o.Value),
            "$in" => o.Value is JsonArray options && options.Any(x => Same(value, x)),
            "$nin" => o.Value is not JsonArray options || !options.Any(x => Same(value, x)),
            "$exists" => (value is not null) == (o.Value is JsonValue e && e.TryGetValue(out bool exists) && exists),
            "$gt" => Compare(value, o.Value) > 0,
            "$gte" => Compare(value, o.Value) >= 0,
            "$lt" => Compare(value, o.Value) < 0,
            "$lte" => Compare(value, o.Value) <= 0,
            _ => false,
        });
    }

    private static JsonNode? Field(string path, JsonObject? metadata) =>
        path.StartsWith("metadata.", StringComparison.Ordinal) ? metadata?[path["metadata.".Length..]] : null;

    private static bool Same(JsonNode? a, JsonNode? b) => a is not null && b is not null && Text(a) == Text(b);

    private static int? Compare(JsonNode? a, JsonNode? b) =>
        a is not null && b is not null && double.TryParse(Text(a), NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && double.TryParse(Text(b), NumberStyles.Float, CultureInfo.InvariantCulture, out double y) ? x.CompareTo(y) : null;

    private static string Text(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node.ToJsonString();
}
