using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>The <c>cf-aig-*</c> settings of one request (or one universal-endpoint step), with the gateway's defaults filled in.</summary>
internal sealed record RequestSettings(
    TimeSpan? CacheTtl,
    bool SkipCache,
    string? CacheKey,
    TimeSpan? RequestTimeout,
    int MaxAttempts,
    TimeSpan RetryDelay,
    string Backoff,
    bool CollectLog,
    bool CollectPayload,
    string? EventId,
    JsonObject? Metadata,
    JsonObject? CustomCost,
    string? ByokAlias)
{
    public static RequestSettings From(IReadOnlyDictionary<string, string> headers, EmulatorGateway gateway)
    {
        string? Header(string name) => headers.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        int? Int(string name) => int.TryParse(Header(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

        // The old names (cf-cache-ttl, cf-skip-cache) "will still function"; the new ones win when both are sent.
        string? cacheKey = Header("cf-aig-cache-key");
        return new RequestSettings(
            CacheTtl: CacheRules.Ttl(Int("cf-aig-cache-ttl") ?? Int("cf-cache-ttl"), gateway.CacheTtl, cacheKey is not null),
            SkipCache: string.Equals(Header("cf-aig-skip-cache") ?? Header("cf-skip-cache"), "true", StringComparison.OrdinalIgnoreCase),
            CacheKey: cacheKey,
            RequestTimeout: Int("cf-aig-request-timeout") is > 0 and var timeout ? TimeSpan.FromMilliseconds(timeout) : null,
            MaxAttempts: Math.Clamp(Int("cf-aig-max-attempts") ?? gateway.RetryMaxAttempts ?? 1, 1, 5),
            RetryDelay: TimeSpan.FromMilliseconds(Math.Clamp(Int("cf-aig-retry-delay") ?? gateway.RetryDelay ?? 0, 0, 5000)),
            Backoff: Header("cf-aig-backoff") ?? gateway.RetryBackoff ?? "constant",
            CollectLog: Header("cf-aig-collect-log") is { } collect ? collect.Equals("true", StringComparison.OrdinalIgnoreCase) : gateway.CollectLogs,
            CollectPayload: !string.Equals(Header("cf-aig-collect-log-payload"), "false", StringComparison.OrdinalIgnoreCase),
            EventId: Header("cf-aig-event-id"),
            Metadata: ParseObject(Header("cf-aig-metadata"), keep: 5),
            CustomCost: ParseObject(Header("cf-aig-custom-cost"), keep: 3),
            ByokAlias: Header("cf-aig-byok-alias"));
    }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBefore(int retry) => Backoff.ToLowerInvariant() switch
    {
        "linear" => RetryDelay * retry,
        "exponential" => RetryDelay * Math.Pow(2, retry - 1),
        _ => RetryDelay,
    };

    /// <summary>Applies a universal-endpoint step's <c>config</c> over these settings.</summary>
    public RequestSettings WithStepConfig(JsonObject? config)
    {
        if (config is null)
        {
            return this;
        }

        int? Int(string name) => config[name] is JsonValue v && v.TryGetValue(out int i) ? i : null;
        return this with
        {
            RequestTimeout = Int("requestTimeout") is > 0 and var t ? TimeSpan.FromMilliseconds(t) : RequestTimeout,
            MaxAttempts = Int("maxAttempts") is { } a ? Math.Clamp(a, 1, 5) : MaxAttempts,
            RetryDelay = Int("retryDelay") is { } d ? TimeSpan.FromMilliseconds(Math.Clamp(d, 0, 5000)) : RetryDelay,
            Backoff = config["backoff"]?.GetValue<string>() ?? Backoff,
        };
    }

    private static JsonObject? ParseObject(string? json, int keep)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is not JsonObject parsed)
            {
                return null;
            }

            // The gateway keeps the first entries and ignores the rest.
            var kept = new JsonObject();
            foreach (var (key, value) in parsed.Take(keep))
            {
                kept[key] = value?.DeepClone();
            }

            return kept;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One provider request to run: a route step with its headers, body and settings.</summary>
internal sealed record StepRequest(string Slug, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, RequestSettings Settings, bool Keyless);

/// <summary>What one step produced: a whole body, or SSE events to stream.</summary>
internal sealed record StepOutcome
{
    public required int Status { get; init; }

    public string ContentType { get; init; } = "application/json";

    public string? Body { get; init; }

    public IEnumerable<string>? Events { get; init; }

    public EmulatorFault? StreamFault { get; init; }

    public ProviderWire? Wire { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public bool Cached { get; init; }

    /// <summary>Gets the policy budgets the request counts against once served.</summary>
    public IReadOnlyList<PolicyCharge> Charges { get; init; } = [];

    public bool TimedOut { get; init; }

    /// <summary>Gets Auto Router's decision, when it chose the model (then the gateway reports it).</summary>
    public RoutingDecision? Routing { get; init; }

    /// <summary>Gets a value indicating whether a dynamic route chose the provider (then the gateway reports it).</summary>
    public bool ViaDynamicRoute { get; init; }

    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required string Path { get; init; }

    public int TokensIn { get; init; }

    public int TokensOut { get; init; }

    public bool Success => Status < 400 && !TimedOut;

    /// <summary>Gets a value indicating whether the gateway's policies or budgets refused the request before any provider saw it.</summary>
    public bool RefusedByPolicy { get; init; }

    /// <summary>Failures the gateway retries (and the universal endpoint falls back on); never a policy's or budget's refusal, which a retry cannot change.</summary>
    public bool Retryable => !RefusedByPolicy && (TimedOut || Status >= 500 || Status == 429);
}
