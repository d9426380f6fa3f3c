using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>One element of a dynamic route: its id, type, properties and where each output goes.</summary>
internal sealed record RouteElement(string Id, string Type, JsonObject Properties, IReadOnlyDictionary<string, string> Outputs)
{
    public string? Output(string name) => Outputs.TryGetValue(name, out var target) ? target : null;
}

/// <summary>
/// A dynamic route's graph, checked as the API checks it (features/dynamic-routing/json-configuration.mdx; element
/// shapes from cloudflare-typescript <c>dynamic-routing.ts</c>): one <c>start</c>, outputs that name existing elements,
/// models with a provider and a model. It also keeps the counters its percentage splits and rate limits run on, so a
/// new version starts them afresh.
/// </summary>
internal sealed class RouteGraph
{
    private static readonly HashSet<string> s_types = new(StringComparer.Ordinal) { "start", "conditional", "percentage", "rate", "rate_limit", "model", "end" };

    private RouteGraph(JsonArray elements, Dictionary<string, RouteElement> byId, RouteElement start)
    {
        Elements = elements;
        ById = byId;
        Start = start;
    }

    /// <summary>Gets the elements as the API holds them.</summary>
    public JsonArray Elements { get; }

    public IReadOnlyDictionary<string, RouteElement> ById { get; }

    public RouteElement Start { get; }

    /// <summary>How many requests each percentage split has sent on, by element id.</summary>
    public ConcurrentDictionary<string, long> SplitCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Each rate limit's current window per key value: when it started and what it has counted.</summary>
    public ConcurrentDictionary<(string Element, string Key), (DateTimeOffset Start, double Used)> RateWindows { get; } = new();

    /// <summary>Reads and checks a graph; <see cref="FormatException"/> says what is wrong.</summary>
    public static RouteGraph Parse(JsonNode? node)
    {
        if (node is not JsonArray { Count: > 0 } array)
        {
            throw new FormatException("elements must be a non-empty array.");
        }

        var byId = new Dictionary<string, RouteElement>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            var element = item as JsonObject ?? throw new FormatException("Each element must be an object.");
            string id = EmulatorJson.Text(element, "id") ?? throw new FormatException("Each element needs an id.");
            string type = EmulatorJson.Text(element, "type") ?? throw new FormatException($"Element '{id}' needs a type.");
            if (!s_types.Contains(type))
            {
                throw new FormatException($"Element '{id}' has an unknown type '{type}'; use start, conditional, percentage, rate, model or end.");
            }

            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            if (element["outputs"] is JsonObject outs)
            {
                foreach (var (name, target) in outs)
                {
                    outputs[name] = (target as JsonObject)?["elementId"] is JsonValue v && v.TryGetValue(out string? to) && to.Length > 0
                        ? to : throw new FormatException($"Output '{name}' of element '{id}' must be {{\"elementId\": \"...\"}}.");
                }
            }

            var properties = element["properties"] as JsonObject ?? [];
            if (type == "model" && (EmulatorJson.Text(properties, "provider") is null || EmulatorJson.Text(properties, "model") is null))
            {
                throw new FormatException($"Model element '{id}' needs properties.provider and properties.model.");
            }

            if (type is "rate" or "rate_limit" && (EmulatorJson.Text(properties, "key") is null || EmulatorJson.Number(properties, "limit") is null))
            {
                throw new FormatException($"Rate element '{id}' needs properties.key and properties.limit.");
            }

            if (!byId.TryAdd(id, new RouteElement(id, type, properties, outputs)))
            {
                throw new FormatException($"Two elements have the id '{id}'.");
            }
        }

        var starts = byId.Values.Where(e => e.Type == "start").ToList();
        if (starts.Count != 1)
        {
            throw new FormatException("A route needs exactly one start element.");
        }

        foreach (var element in byId.Values)
        {
            foreach (var (name, target) in element.Outputs)
            {
                if (!byId.ContainsKey(target))
                {
                    throw new FormatException($"Output '{name}' of element '{element.Id}' names no element ('{target}').");
                }
            }

            if (element.Type == "percentage")
            {
                double total = element.Outputs.Keys.Where(k => k != "else").Sum(Share);
                if (total > 100)
                {
                    throw new FormatException($"The shares of percentage element '{element.Id}' add up to more than 100%.");
                }
            }
        }

        return new RouteGraph((JsonArray)array.DeepClone(), byId, starts[0]);
    }

    /// <summary>The emulator's configured routes (a list of <c>provider/model</c>): each model falls back to the next.</summary>
    public static RouteGraph Chain(IReadOnlyList<string> targets)
    {
        var elements = new JsonArray { Element("start", "start", null, ("next", "m0")) };
        for (int i = 0; i < targets.Count; i++)
        {
            int slash = targets[i].IndexOf('/', StringComparison.Ordinal);
            var properties = new JsonObject { ["provider"] = targets[i][..slash], ["model"] = targets[i][(slash + 1)..], ["retries"] = 0 };
            elements.Add(i + 1 < targets.Count
                ? Element("m" + i.ToString(CultureInfo.InvariantCulture), "model", properties, ("success", "end"), ("fallback", "m" + (i + 1).ToString(CultureInfo.InvariantCulture)))
                : Element("m" + i.ToString(CultureInfo.InvariantCulture), "model", properties, ("success", "end")));
        }

        elements.Add(Element("end", "end", null));
        return Parse(elements);
    }

    /// <summary>A percentage output's share: <c>"10%"</c> is 10.</summary>
    public static double Share(string output) =>
        double.TryParse(output.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double share) && output.EndsWith('%') && share >= 0
            ? share : throw new FormatException($"Percentage output '{output}' must be a share such as \"10%\", or \"else\".");

    private static JsonObject Element(string id, string type, JsonObject? properties, params (string Name, string Target)[] outputs)
    {
        var element = new JsonObject { ["id"] = id, ["type"] = type };
        if (properties is not null)
        {
            element["properties"] = properties;
        }

        element["outputs"] = new JsonObject(outputs.Select(o => KeyValuePair.Create(o.Name, (JsonNode?)new JsonObject { ["elementId"] = o.Target })));
        return element;
    }
}
