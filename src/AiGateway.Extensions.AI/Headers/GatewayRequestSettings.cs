using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The <c>cf-aig-*</c> settings of one request: a route's defaults, with a request's <see cref="ChatOptions"/>
/// values laid over them. Immutable once built; a request that overrides anything gets its own copy.
/// </summary>
internal sealed record GatewayRequestSettings
{
    public string? Token { get; init; }
    public string? GatewayIdHeader { get; init; }
    public TimeSpan? CacheTtl { get; init; }
    public bool SkipCache { get; init; }
    public string? CacheKey { get; init; }
    public IReadOnlyList<KeyValuePair<string, object?>> Metadata { get; init; } = [];
    public bool? CollectLog { get; init; }
    public bool? CollectLogPayload { get; init; }
    public string? EventId { get; init; }
    public TimeSpan? RequestTimeout { get; init; }
    public int? MaxAttempts { get; init; }
    public TimeSpan? RetryDelay { get; init; }
    public AiGatewayBackoff? Backoff { get; init; }
    public string? ByokAlias { get; init; }
    public bool? Zdr { get; init; }
    public AiGatewayCustomCost? CustomCost { get; init; }
    public bool NoWholesale { get; init; }

    /// <summary>The Auto Router headers, on a <c>cloudflare/auto</c> route only.</summary>
    public AutoRouterSettings? AutoRouter { get; init; }

    /// <summary>
    /// The settings and headers of one request: the route's own (built once), or, when the
    /// request's options carry <c>cf-aig-*</c> values, those laid over them.
    /// </summary>
    /// <exception cref="ArgumentException">A request value has the wrong type or breaks a gateway limit.</exception>
    public static (GatewayRequestSettings Settings, KeyValuePair<string, string>[] Headers) For(
        GatewayRequestSettings routeSettings, KeyValuePair<string, string>[] routeHeaders, AdditionalPropertiesDictionary? requestProperties, string? conversationId = null)
    {
        bool conversationSession = routeSettings.AutoRouter is not null && conversationId is not null;
        bool overrides = HasOverrides(requestProperties);
        if (!overrides && !conversationSession)
        {
            return (routeSettings, routeHeaders);
        }

        var settings = overrides ? routeSettings.WithOverrides(requestProperties!) : routeSettings;
        if (conversationSession)
        {
            settings = settings with { AutoRouter = settings.AutoRouter!.WithConversation(conversationId!) };
        }

        return (settings, settings.ToHeaders());
    }

    /// <summary>Returns whether any <c>cf-aig-*</c> key is present, so requests without overrides skip all per-request work.</summary>
    public static bool HasOverrides(AdditionalPropertiesDictionary? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return false;
        }

        foreach (var key in properties.Keys)
        {
            if (key.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lays a request's <c>cf-aig-*</c> values over these settings.</summary>
    /// <exception cref="ArgumentException">A value has the wrong type or breaks a gateway limit.</exception>
    public GatewayRequestSettings WithOverrides(AdditionalPropertiesDictionary properties)
    {
        var metadata = Metadata;
        if (properties.TryGetValue(AiGatewayHeaderNames.Metadata, out object? rawMetadata) && rawMetadata is not null)
        {
            metadata = MergeMetadata(Metadata, Require<IEnumerable<KeyValuePair<string, object?>>>(rawMetadata, AiGatewayHeaderNames.Metadata));
        }

        return this with
        {
            CacheTtl = GetValue(properties, AiGatewayHeaderNames.CacheTtl, CacheTtl, GatewayValueRules.CheckCacheTtl),
            SkipCache = GetValue<bool>(properties, AiGatewayHeaderNames.SkipCache, SkipCache, null) ?? false,
            CacheKey = GetString(properties, AiGatewayHeaderNames.CacheKey, CacheKey),
            Metadata = metadata,
            CollectLog = GetValue(properties, AiGatewayHeaderNames.CollectLog, CollectLog, null),
            CollectLogPayload = GetValue(properties, AiGatewayHeaderNames.CollectLogPayload, CollectLogPayload, null),
            EventId = GetString(properties, AiGatewayHeaderNames.EventId, EventId),
            RequestTimeout = GetValue(properties, AiGatewayHeaderNames.RequestTimeout, RequestTimeout, GatewayValueRules.CheckPositive),
            MaxAttempts = GetValue(properties, AiGatewayHeaderNames.MaxAttempts, MaxAttempts, GatewayValueRules.CheckMaxAttempts),
            RetryDelay = GetValue(properties, AiGatewayHeaderNames.RetryDelay, RetryDelay, GatewayValueRules.CheckRetryDelay),
            Backoff = GetValue(properties, AiGatewayHeaderNames.Backoff, Backoff, null),
            ByokAlias = GetString(properties, AiGatewayHeaderNames.ByokAlias, ByokAlias),
            Zdr = GetValue(properties, AiGatewayHeaderNames.Zdr, Zdr, null),
            CustomCost = GetObject(properties, AiGatewayHeaderNames.CustomCost, CustomCost, GatewayValueRules.CheckCustomCost),
            NoWholesale = GetValue<bool>(properties, AiGatewayHeaderNames.NoWholesale, NoWholesale, null) ?? false,
            AutoRouter = AutoRouter is null ? null : AutoRouter with
            {
                SessionId = GetString(properties, AiGatewayHeaderNames.SessionId, AutoRouter.SessionId),
                TurnId = GetString(properties, AiGatewayHeaderNames.TurnId, AutoRouter.TurnId),
                NoSessionAffinity = GetValue<bool>(properties, AiGatewayHeaderNames.NoSessionAffinity, AutoRouter.NoSessionAffinity, null) ?? false,
                AllowedModels = GetString(properties, AiGatewayHeaderNames.AllowedModels, AutoRouter.AllowedModels),
                AllowedProviders = GetString(properties, AiGatewayHeaderNames.AllowedProviders, AutoRouter.AllowedProviders),
            },
        };
    }

    /// <summary>Merges request metadata over configured metadata (same key: the request wins) and checks the merged set.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> MergeMetadata(
        IEnumerable<KeyValuePair<string, object?>> configured, IEnumerable<KeyValuePair<string, object?>> request)
    {
        List<KeyValuePair<string, object?>> merged = [.. configured];
        foreach (var (key, value) in request)
        {
            Check(GatewayValueRules.CheckMetadataValue(value), $"{AiGatewayHeaderNames.Metadata} entry '{key}'");
            int existing = merged.FindIndex(e => string.Equals(e.Key, key, StringComparison.Ordinal));
            if (existing >= 0)
            {
                merged[existing] = new(key, value);
            }
            else
            {
                merged.Add(new(key, value));
            }
        }

        Check(GatewayValueRules.CheckMetadataCount(merged.Count), AiGatewayHeaderNames.Metadata);
        return merged;
    }

    /// <summary>Adds the span's trace context, so the gateway's own OpenTelemetry export joins the caller's trace.</summary>
    public static KeyValuePair<string, string>[] WithTraceContext(KeyValuePair<string, string>[] headers, System.Diagnostics.Activity? span)
    {
        if (span is not { IdFormat: System.Diagnostics.ActivityIdFormat.W3C })
        {
            return headers;
        }

        var withTrace = new KeyValuePair<string, string>[headers.Length + 2];
        headers.CopyTo(withTrace, 0);
        withTrace[^2] = new(AiGatewayHeaderNames.OtelTraceId, span.TraceId.ToHexString());
        withTrace[^1] = new(AiGatewayHeaderNames.OtelParentSpanId, span.SpanId.ToHexString());
        return withTrace;
    }

    /// <summary>Builds the request headers, in a fixed order.</summary>
    public KeyValuePair<string, string>[] ToHeaders()
    {
        var headers = new List<KeyValuePair<string, string>>(8);
        Add(headers, AiGatewayHeaderNames.Authorization, Token is { Length: > 0 } ? "Bearer " + Token : null);
        Add(headers, AiGatewayHeaderNames.GatewayId, GatewayIdHeader);
        Add(headers, AiGatewayHeaderNames.CacheTtl, CacheTtl is { } ttl ? ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null);
        Add(headers, AiGatewayHeaderNames.SkipCache, SkipCache ? "true" : null);
        Add(headers, AiGatewayHeaderNames.CacheKey, CacheKey);
        Add(headers, AiGatewayHeaderNames.Metadata, Metadata.Count > 0 ? WriteJson(Metadata, WriteMetadata) : null);
        Add(headers, AiGatewayHeaderNames.CollectLog, FormatBool(CollectLog));
        Add(headers, AiGatewayHeaderNames.CollectLogPayload, FormatBool(CollectLogPayload));
        Add(headers, AiGatewayHeaderNames.EventId, EventId);
        Add(headers, AiGatewayHeaderNames.RequestTimeout, FormatMilliseconds(RequestTimeout));
        Add(headers, AiGatewayHeaderNames.MaxAttempts, MaxAttempts?.ToString(CultureInfo.InvariantCulture));
        Add(headers, AiGatewayHeaderNames.RetryDelay, FormatMilliseconds(RetryDelay));
        Add(headers, AiGatewayHeaderNames.Backoff, Backoff switch
        {
            AiGatewayBackoff.Constant => "constant",
            AiGatewayBackoff.Linear => "linear",
            AiGatewayBackoff.Exponential => "exponential",
            _ => null,
        });
        Add(headers, AiGatewayHeaderNames.CustomCost, CustomCost is null ? null : WriteJson(CustomCost, WriteCustomCost));
        Add(headers, AiGatewayHeaderNames.ByokAlias, ByokAlias);
        Add(headers, AiGatewayHeaderNames.Zdr, FormatBool(Zdr));
        Add(headers, AiGatewayHeaderNames.NoWholesale, NoWholesale ? "true" : null);
        if (AutoRouter is { } autoRouter)
        {
            Add(headers, AiGatewayHeaderNames.SessionId, autoRouter.SessionId);
            Add(headers, AiGatewayHeaderNames.TurnId, autoRouter.TurnId);
            Add(headers, AiGatewayHeaderNames.NoSessionAffinity, autoRouter.NoSessionAffinity ? "true" : null);
            Add(headers, AiGatewayHeaderNames.AllowedModels, autoRouter.AllowedModels);
            Add(headers, AiGatewayHeaderNames.AllowedProviders, autoRouter.AllowedProviders);
        }

        return [.. headers];
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add(new(name, value));
        }
    }

    private static string? FormatBool(bool? value) => value switch { true => "true", false => "false", null => null };

    private static string? FormatMilliseconds(TimeSpan? value) =>
        value is { } v ? ((long)v.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : null;

    private static string WriteJson<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        using var json = PooledJsonWriter.Rent();
        write(json.Writer, value);
        return System.Text.Encoding.UTF8.GetString(json.WrittenSpan);
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, object?>> metadata)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in metadata)
        {
            writer.WritePropertyName(key);
            JsonValueWriter.WritePrimitive(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteCustomCost(Utf8JsonWriter writer, AiGatewayCustomCost cost)
    {
        writer.WriteStartObject();
        WriteCost(writer, "total_cost", cost.TotalCost);
        WriteCost(writer, "per_token_in", cost.PerTokenIn);
        WriteCost(writer, "per_token_out", cost.PerTokenOut);
        WriteCost(writer, "per_cache_read_token", cost.PerCacheReadToken);
        WriteCost(writer, "per_cache_write_token", cost.PerCacheWriteToken);

        writer.WriteEndObject();
    }

    private static void WriteCost(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } cost)
        {
            writer.WriteNumber(name, cost);
        }
    }

    private static T? GetValue<T>(AdditionalPropertiesDictionary properties, string key, T? fallback, Func<T, string?>? check)
        where T : struct
    {
        if (!properties.TryGetValue(key, out object? raw) || raw is null)
        {
            return fallback;
        }

        T value = Require<T>(raw, key);
        Check(check?.Invoke(value), key);
        return value;
    }

    private static T? GetObject<T>(AdditionalPropertiesDictionary properties, string key, T? fallback, Func<T, string?> check)
        where T : class
    {
        if (!properties.TryGetValue(key, out object? raw) || raw is null)
        {
            return fallback;
        }

        T value = Require<T>(raw, key);
        Check(check(value), key);
        return value;
    }

    private static string? GetString(AdditionalPropertiesDictionary properties, string key, string? fallback)
    {
        string? value = GetObject<string>(properties, key, fallback, GatewayValueRules.CheckHeaderValue);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static T Require<T>(object raw, string key) =>
        raw is T typed
            ? typed
            : throw new ArgumentException(
                $"AdditionalProperties[\"{key}\"] must be a {typeof(T).Name}; it is a {raw.GetType().Name}. Use the WithGateway* extension methods to set it.");

    private static void Check(string? problem, string key)
    {
        if (problem is not null)
        {
            throw new ArgumentException($"AdditionalProperties[\"{key}\"] {problem}");
        }
    }
}
