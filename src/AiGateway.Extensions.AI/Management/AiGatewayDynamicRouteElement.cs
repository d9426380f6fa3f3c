using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// One element of a dynamic route's graph, in the shape of Cloudflare's client (<c>elements[]</c> in cloudflare-typescript
/// <c>src/resources/ai-gateway/dynamic-routing.ts</c>; features/dynamic-routing/json-configuration.mdx): a <c>start</c>,
/// a <c>conditional</c>, a <c>percentage</c> split, a <c>rate</c> (or budget) limit, a <c>model</c>, or the <c>end</c>.
/// Build them with the factory methods; <see cref="Outputs"/> name the element each outcome goes to.
/// </summary>
public sealed record AiGatewayDynamicRouteElement
{
    /// <summary>Gets or sets the element id, unique within the route.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the type: <c>start</c>, <c>conditional</c>, <c>percentage</c>, <c>rate</c>, <c>model</c> or <c>end</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>Gets or sets the element's properties as the API holds them (a model's provider, model, timeout and retries; a condition; a limit).</summary>
    public JsonObject? Properties { get; set; }

    /// <summary>Gets or sets where each outcome goes: output name (<c>next</c>, <c>true</c>, <c>false</c>, <c>success</c>, <c>fallback</c>, <c>50%</c>, <c>else</c>) to element id.</summary>
    [JsonConverter(typeof(RouteOutputsJsonConverter))]
    public IReadOnlyDictionary<string, string> Outputs { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The route's entry, going to <paramref name="next"/>.</summary>
    /// <param name="next">The first element's id.</param>
    /// <param name="id">This element's id.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement Start(string next, string id = "start") => new() { Id = id, Type = "start", Outputs = Map(("next", next)) };

    /// <summary>The route's end: it answers the last successful model response, or an error when none succeeded.</summary>
    /// <param name="id">This element's id.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement End(string id = "end") => new() { Id = id, Type = "end" };

    /// <summary>A model call: on success the request goes to <paramref name="success"/>, after its retries fail or time out to <paramref name="fallback"/>.</summary>
    /// <param name="id">This element's id.</param>
    /// <param name="provider">The provider (<c>openai</c>, <c>anthropic</c>, ...).</param>
    /// <param name="model">The model.</param>
    /// <param name="success">Where a success goes (usually the end).</param>
    /// <param name="fallback">Where a failure goes, or null to end the route with the failure.</param>
    /// <param name="timeout">The request timeout; 60 seconds when null.</param>
    /// <param name="retries">The retries before the fallback.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement Model(string id, string provider, string model, string success = "end", string? fallback = null, TimeSpan? timeout = null, int retries = 0) => new()
    {
        Id = id,
        Type = "model",
        Properties = new JsonObject
        {
            ["provider"] = provider,
            ["model"] = model,
            ["timeout"] = (long)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds,
            ["retries"] = retries,
        },
        Outputs = fallback is null ? Map(("success", success)) : Map(("success", success), ("fallback", fallback)),
    };

    /// <summary>An if/else on the request: <paramref name="condition"/> is a MongoDB-like filter such as <c>{"metadata.plan": {"$eq": "free"}}</c>.</summary>
    /// <param name="id">This element's id.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="whenTrue">Where a match goes.</param>
    /// <param name="whenFalse">Where the rest goes.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement Conditional(string id, JsonObject condition, string whenTrue, string whenFalse) => new()
    {
        Id = id,
        Type = "conditional",
        Properties = new JsonObject { ["conditions"] = condition },
        Outputs = Map(("true", whenTrue), ("false", whenFalse)),
    };

    /// <summary>A percentage split (A/B tests, gradual rollouts): up to five shares and an optional <c>else</c> for the rest.</summary>
    /// <param name="id">This element's id.</param>
    /// <param name="shares">Share in percent to element id.</param>
    /// <param name="otherwise">Where the rest goes, or null when the shares make 100.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement Percentage(string id, IReadOnlyDictionary<double, string> shares, string? otherwise = null)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var outputs = shares.ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture) + "%", s => s.Value, StringComparer.Ordinal);
        if (otherwise is not null)
        {
            outputs["else"] = otherwise;
        }

        return new() { Id = id, Type = "percentage", Outputs = outputs };
    }

    /// <summary>A rate or budget limit keyed on a request field (<c>metadata.user_id</c>): within it the request goes to <paramref name="success"/>, over it to <paramref name="fallback"/>.</summary>
    /// <param name="id">This element's id.</param>
    /// <param name="key">The request field the limit counts per value of.</param>
    /// <param name="limit">The requests (or cost) allowed per window.</param>
    /// <param name="window">The window.</param>
    /// <param name="success">Where a request within the limit goes.</param>
    /// <param name="fallback">Where a request over it goes, or null to end the route.</param>
    /// <param name="cost">Whether <paramref name="limit"/> is a cost rather than a request count.</param>
    /// <returns>The element.</returns>
    public static AiGatewayDynamicRouteElement Rate(string id, string key, double limit, TimeSpan window, string success, string? fallback = null, bool cost = false) => new()
    {
        Id = id,
        Type = "rate",
        Properties = new JsonObject { ["key"] = key, ["limit"] = limit, ["limitType"] = cost ? "cost" : "count", ["window"] = (long)window.TotalSeconds },
        Outputs = fallback is null ? Map(("success", success)) : Map(("success", success), ("fallback", fallback)),
    };

    private static Dictionary<string, string> Map(params (string Name, string Target)[] outputs) =>
        outputs.ToDictionary(o => o.Name, o => o.Target, StringComparer.Ordinal);
}
