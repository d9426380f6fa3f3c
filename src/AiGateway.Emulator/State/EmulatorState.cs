using System.Collections.Concurrent;

namespace AiGateway.Emulator;

/// <summary>The emulator's in-memory state: gateways, logs and cached answers. Thread-safe.</summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmulatorGateway> _gateways = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<EmulatorLogEntry>> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedAnswer> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, System.Text.Json.Nodes.JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    internal EmulatorState(TimeProvider time, IEnumerable<EmulatorGateway> gateways, bool defaultGatewayAuthentication = false)
    {
        _time = time;
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

        var updated = gateway with { CreatedAt = existing.CreatedAt, ModifiedAt = _time.GetUtcNow(), IsDefault = existing.IsDefault };
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

        _logs.TryRemove(id, out _);
        ClearCache(id);
        return removed;
    }

    /// <summary>Gets a gateway's logs, oldest first.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <returns>A snapshot of the logs.</returns>
    public IReadOnlyList<EmulatorLogEntry> GetLogs(string gatewayId)
    {
        if (!_logs.TryGetValue(gatewayId, out var logs))
        {
            return [];
        }

        lock (logs)
        {
            return [.. logs];
        }
    }

    /// <summary>Finds a log entry.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <returns>The entry, or null.</returns>
    public EmulatorLogEntry? GetLog(string gatewayId, string logId) =>
        GetLogs(gatewayId).FirstOrDefault(l => string.Equals(l.Id, logId, StringComparison.Ordinal));

    /// <summary>Deletes the logs that match.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="match">Which logs to delete.</param>
    /// <returns>How many were deleted.</returns>
    public int DeleteLogs(string gatewayId, Func<EmulatorLogEntry, bool> match)
    {
        if (!_logs.TryGetValue(gatewayId, out var logs))
        {
            return 0;
        }

        lock (logs)
        {
            return logs.RemoveAll(l => match(l));
        }
    }

    internal void AddLog(EmulatorGateway gateway, EmulatorLogEntry entry)
    {
        var logs = _logs.GetOrAdd(gateway.Id, _ => []);
        lock (logs)
        {
            if (gateway.LogManagement is { } limit && logs.Count >= limit)
            {
                if (string.Equals(gateway.LogManagementStrategy, "DELETE_OLDEST", StringComparison.OrdinalIgnoreCase))
                {
                    logs.RemoveRange(0, logs.Count - limit + 1);
                }
                else
                {
                    return;
                }
            }

            logs.Add(entry);
        }
    }

    /// <summary>Gets a gateway's named collection (<c>datasets</c>, <c>evaluations</c>): items by id, in Cloudflare's JSON.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="collection">The collection name.</param>
    /// <returns>The items.</returns>
    public ConcurrentDictionary<string, System.Text.Json.Nodes.JsonObject> Collection(string gatewayId, string collection) =>
        _collections.GetOrAdd(gatewayId + "/" + collection, _ => new(StringComparer.Ordinal));

    internal CachedAnswer? GetCached(string key)
    {
        if (_cache.TryGetValue(key, out var answer))
        {
            if (answer.ExpiresAt > _time.GetUtcNow())
            {
                return answer;
            }

            _cache.TryRemove(key, out _);
        }

        return null;
    }

    internal void SetCached(string key, CachedAnswer answer) => _cache[key] = answer;

    private void ClearCache(string gatewayId)
    {
        foreach (var key in _cache.Keys.Where(k => k.StartsWith(gatewayId + "|", StringComparison.Ordinal)))
        {
            _cache.TryRemove(key, out _);
        }
    }
}

/// <summary>A cached non-streaming answer.</summary>
internal sealed record CachedAnswer(int Status, string ContentType, byte[] Body, int TokensIn, int TokensOut, DateTimeOffset ExpiresAt);
