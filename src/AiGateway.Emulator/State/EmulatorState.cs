using System.Collections.Concurrent;

namespace AiGateway.Emulator;

/// <summary>
/// The emulator's in-memory state: gateways, logs and cached answers, within <see cref="EmulatorLimits"/>. Thread-safe.
/// </summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmulatorGateway> _gateways = new(StringComparer.Ordinal);
    private readonly LogStore _logs;
    private readonly ResponseCache _cache;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, System.Text.Json.Nodes.JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PolicySet> _policies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredKeyStore> _storedKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DynamicRouteStore> _routes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    internal EmulatorState(TimeProvider time, IEnumerable<EmulatorGateway> gateways, bool defaultGatewayAuthentication = false, EmulatorLimits? limits = null)
    {
        _time = time;
        limits ??= new EmulatorLimits();
        _logs = new LogStore(limits);
        _cache = new ResponseCache(time, limits);
        var now = time.GetUtcNow();
        _gateways["default"] = new EmulatorGateway
        {
            Id = "default", CollectLogs = true, IsDefault = true, Authentication = defaultGatewayAuthentication, CreatedAt = now, ModifiedAt = now,
        };
        foreach (var gateway in gateways)
        {
            if (EmulatorGateway.CheckId(gateway.Id) is { } problem)
            {
                throw new ArgumentException("AiGatewayEmulatorOptions.Gateways: " + problem, nameof(gateways));
            }

            _gateways[gateway.Id] = gateway with { CreatedAt = gateway.CreatedAt == default ? now : gateway.CreatedAt, ModifiedAt = now };
        }
    }

    /// <summary>Gets the gateways.</summary>
    public IReadOnlyCollection<EmulatorGateway> Gateways => [.. _gateways.Values.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id, StringComparer.Ordinal)];

    /// <summary>Finds a gateway.</summary>
    /// <param name="id">The gateway id.</param>
    /// <returns>The gateway, or null.</returns>
    public EmulatorGateway? GetGateway(string id) => _gateways.TryGetValue(id, out var gateway) ? gateway : null;

    /// <summary>Creates a gateway; false when the id is taken.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <returns>Whether it was created.</returns>
    /// <exception cref="ArgumentException">The id is not a valid gateway id (<see cref="EmulatorGateway.CheckId"/>).</exception>
    public bool TryCreateGateway(EmulatorGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        if (EmulatorGateway.CheckId(gateway.Id) is { } problem)
        {
            throw new ArgumentException(problem, nameof(gateway));
        }

        var now = _time.GetUtcNow();
        return _gateways.TryAdd(gateway.Id, gateway with { CreatedAt = now, ModifiedAt = now });
    }

    /// <summary>Replaces a gateway's settings.</summary>
    /// <param name="gateway">The new settings.</param>
    /// <returns>The stored gateway, or null when it does not exist.</returns>
    public EmulatorGateway? UpdateGateway(EmulatorGateway gateway)
    {
        if (!_gateways.TryGetValue(gateway.Id, out var existing))
        {
            return null;
        }

        // What the settings API does not own stays: when and how the gateway was made, its stored keys and configured routes.
        var updated = gateway with
        {
            CreatedAt = existing.CreatedAt, ModifiedAt = _time.GetUtcNow(), IsDefault = existing.IsDefault,
            StoredKeys = existing.StoredKeys, DynamicRoutes = existing.DynamicRoutes,
        };
        _gateways[gateway.Id] = updated;
        if (updated.CacheInvalidateOnUpdate)
        {
            ClearCache(gateway.Id);
        }

        return updated;
    }

    /// <summary>Deletes a gateway, its logs and its cache.</summary>
    /// <param name="id">The gateway id.</param>
    /// <returns>The deleted gateway, or null.</returns>
    public EmulatorGateway? DeleteGateway(string id)
    {
        if (!_gateways.TryRemove(id, out var removed))
        {
            return null;
        }

        _logs.DeleteGateway(id);
        _policies.TryRemove(id, out _);
        _storedKeys.TryRemove(id, out _);
        _routes.TryRemove(id, out _);
        ClearCache(id);
        return removed;
    }

    /// <summary>Gets a gateway's logs, oldest first.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <returns>A snapshot of the logs.</returns>
    public IReadOnlyList<EmulatorLogEntry> GetLogs(string gatewayId) => _logs.Get(gatewayId);

    /// <summary>Finds a log entry.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <returns>The entry, or null.</returns>
    public EmulatorLogEntry? GetLog(string gatewayId, string logId) => _logs.Find(gatewayId, logId);

    /// <summary>Deletes the logs that match.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="match">Which logs to delete.</param>
    /// <returns>How many were deleted.</returns>
    public int DeleteLogs(string gatewayId, Func<EmulatorLogEntry, bool> match) => _logs.Delete(gatewayId, match);

    /// <summary>Gets the bytes of request and response bodies the logs keep, all gateways together.</summary>
    public long LogPayloadBytes => _logs.PayloadBytes;

    /// <summary>Gets the number of cached answers, all gateways together (expired ones are swept as the clock passes them).</summary>
    public int CachedAnswers => _cache.Count;

    /// <summary>Gets the bytes of cached answers, all gateways together.</summary>
    public long CachedBytes => _cache.Bytes;

    /// <summary>Gets a gateway's named collection (<c>datasets</c>, <c>evaluations</c>): items by id, in Cloudflare's JSON.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="collection">The collection name.</param>
    /// <returns>The items.</returns>
    public ConcurrentDictionary<string, System.Text.Json.Nodes.JsonObject> Collection(string gatewayId, string collection) =>
        _collections.GetOrAdd(gatewayId + "/" + collection, _ => new(StringComparer.Ordinal));

    /// <summary>A gateway's policies and the spend of their budgets.</summary>
    internal PolicySet Policies(string gatewayId) => _policies.GetOrAdd(gatewayId, _ => new PolicySet(_time));

    /// <summary>A gateway's stored provider keys (<c>provider_configs</c>).</summary>
    internal StoredKeyStore StoredKeys(string gatewayId) => _storedKeys.GetOrAdd(gatewayId, id => new StoredKeyStore(_time, id));

    /// <summary>A gateway's dynamic routes with their versions and deployments.</summary>
    internal DynamicRouteStore Routes(string gatewayId) => _routes.GetOrAdd(gatewayId, id => new DynamicRouteStore(_time, id));

    internal void AddLog(EmulatorGateway gateway, EmulatorLogEntry entry) => _logs.Add(gateway, entry);

    internal CachedAnswer? GetCached(string key) => _cache.Get(key);

    internal void SetCached(string key, CachedAnswer answer) => _cache.Set(key, answer);

    private void ClearCache(string gatewayId) => _cache.Clear(gatewayId + "|");
}
