using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiGateway.Emulator;

/// <summary>
/// One gateway policy (features/policies.mdx): who (<c>actor</c>, with <c>{field}</c> placeholders), which models and
/// providers (<c>resource</c>), when (<c>condition</c>) and what (<c>action</c>: <c>no-limit</c>, <c>block</c> with an
/// optional <c>except</c>, or a <c>limit</c> of <c>amount</c> US dollars per <c>period</c>). Kept as the API's JSON and
/// as its parsed parts.
/// </summary>
internal sealed partial class GatewayPolicy
{
    private static readonly string[] s_periods = ["hourly", "daily", "weekly", "monthly"];
    private readonly Regex[] _modelPatterns;

    private GatewayPolicy(JsonObject json, PolicyCondition condition, string[] models, string[] providers, string type, bool except, double amount, string? period)
    {
        Json = json;
        Condition = condition;
        Models = models;
        Providers = providers;
        Type = type;
        _modelPatterns = [.. models.Select(Glob)];
        Except = except;
        Amount = amount;
        Period = period;
    }

    /// <summary>Gets the policy as the API answers it.</summary>
    public JsonObject Json { get; }

    public string Id => Json["id"]!.GetValue<string>();

    public string Name => Json["name"]!.GetValue<string>();

    public string Actor => Json["actor"]!.GetValue<string>();

    public PolicyCondition Condition { get; }

    /// <summary>Gets the model patterns (<c>openai/gpt-*</c>); empty with no providers either means every model.</summary>
    public string[] Models { get; }

    public string[] Providers { get; }

    /// <summary>Gets <c>no-limit</c>, <c>block</c> or <c>limit</c>.</summary>
    public string Type { get; }

    /// <summary>Gets a value indicating whether a block applies to everything its resource does not name (an allowlist).</summary>
    public bool Except { get; }

    public double Amount { get; }

    /// <summary>Gets <c>hourly</c>, <c>daily</c>, <c>weekly</c> or <c>monthly</c> for a limit.</summary>
    public string? Period { get; }

    /// <summary>Gets the budget bucket's name for a resolved actor: the actor, and the resource when it is not every model.</summary>
    public string Bucket(string actor) => Models.Length == 0 && Providers.Length == 0 ? actor : actor + " " + Json["resource"]!.ToJsonString();

    /// <summary>Reads a policy; throws <see cref="FormatException"/> naming the field that is wrong.</summary>
    public static GatewayPolicy Parse(JsonObject json)
    {
        string Text(string name) => StringOf(json[name]) is { Length: > 0 } s ? s : throw new FormatException($"{name} is required and must be a string.");

        Text("name");
        Text("actor");
        var condition = PolicyCondition.Parse(Text("condition"))
            ?? throw new FormatException($"condition '{json["condition"]}' is CEL the emulator does not evaluate; it takes {PolicyCondition.Supported}.");

        string[] models = [], providers = [];
        switch (json["resource"])
        {
            case JsonValue v when v.TryGetValue(out string? all) && all == "*":
                break;
            case JsonObject resource when resource.ContainsKey("model") || resource.ContainsKey("provider"):
                models = Strings(resource["model"], "resource.model");
                providers = Strings(resource["provider"], "resource.provider");
                break;
            default:
                throw new FormatException("resource must be \"*\", or an object with model and/or provider (a string or an array of strings).");
        }

        if (json["action"] is not JsonObject action || StringOf(action["type"]) is not ("no-limit" or "block" or "limit") || action["except"] is not (null or JsonValue))
        {
            throw new FormatException("action must be an object whose type is no-limit, block or limit.");
        }

        string type = StringOf(action["type"])!;
        if (type != "limit")
        {
            bool except = type == "block" && action["except"] is JsonValue e && e.TryGetValue(out bool allowlist) && allowlist;
            return new(json, condition, models, providers, type, except, 0, null);
        }

        double amount = action["amount"] is JsonValue a && a.TryGetValue(out double d) && d > 0 ? d : throw new FormatException("action.amount must be a number of US dollars greater than zero.");
        string period = StringOf(action["period"]) is { } p && s_periods.Contains(p) ? p : throw new FormatException("action.period must be hourly, daily, weekly or monthly.");
        if (StringOf(action["technique"]) is not "named-interval")
        {
            throw new FormatException("action.technique must be named-interval.");
        }

        return new(json, condition, models, providers, type, false, amount, period);
    }

    /// <summary>Whether the resource names a request's provider and model (<c>{provider}/{model}</c>, <c>*</c> not crossing <c>/</c>).</summary>
    public bool Covers(string provider, string model)
    {
        string id = provider + "/" + model;
        return (_modelPatterns.Length == 0 || _modelPatterns.Any(m => m.IsMatch(id))) &&
            (Providers.Length == 0 || Providers.Contains(provider, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The actor with its <c>{field}</c> placeholders filled in, or null when the identity lacks one.</summary>
    public string? ResolveActor(PolicyIdentity identity)
    {
        bool missing = false;
        string resolved = Placeholder().Replace(Actor, m =>
        {
            var value = identity.Find(m.Groups[1].Value);
            missing |= value is null;
            return value?.ToString() ?? string.Empty;
        });
        return missing ? null : resolved;
    }

    /// <summary>The start of the UTC window this limit's spend counts in now.</summary>
    public DateTimeOffset WindowStart(DateTimeOffset now) => WindowStart(Period!, now);

    /// <summary>The start of a period's UTC window: the hour, the day, Monday, the first of the month.</summary>
    public static DateTimeOffset WindowStart(string period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        return period switch
        {
            "hourly" => day.AddHours(utc.Hour),
            "daily" => day,
            "weekly" => day.AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static string[] Strings(JsonNode? node, string name) => node switch
    {
        null => [],
        JsonValue v when v.TryGetValue(out string? one) => [one],
        JsonArray many when many.All(i => i is JsonValue v && v.TryGetValue(out string? _)) => [.. many.Select(i => i!.GetValue<string>())],
        _ => throw new FormatException($"{name} must be a string or an array of strings."),
    };

    private static Regex Glob(string pattern) =>
        new("^" + string.Join("[^/]*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\{([A-Za-z0-9_.-]+)\}")]
    private static partial Regex Placeholder();
}
