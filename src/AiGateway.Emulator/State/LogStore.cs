namespace AiGateway.Emulator;

/// <summary>
/// Every gateway's logs, bounded: at most <see cref="EmulatorLimits.MaxLogsPerGateway"/> per gateway (a gateway's own
/// <c>log_management</c> first) and <see cref="EmulatorLimits.MaxLogPayloadBytes"/> of bodies in all; past either the
/// oldest logs go first. One lock; every operation is O(1) but the snapshots and scans.
/// </summary>
internal sealed class LogStore(EmulatorLimits limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedList<EmulatorLogEntry>> _byGateway = new(StringComparer.Ordinal);
    private readonly LinkedList<EmulatorLogEntry> _byAge = new();
    private long _payloadBytes;

    /// <summary>Gets the bytes of bodies kept, all gateways together.</summary>
    public long PayloadBytes
    {
        get
        {
            lock (_lock)
            {
                return _payloadBytes;
            }
        }
    }

    public void Add(EmulatorGateway gateway, EmulatorLogEntry entry)
    {
        lock (_lock)
        {
            if (!_byGateway.TryGetValue(gateway.Id, out var logs))
            {
                _byGateway[gateway.Id] = logs = new();
            }

            if (gateway.LogManagement is { } limit && logs.Count >= limit)
            {
                if (!string.Equals(gateway.LogManagementStrategy, "DELETE_OLDEST", StringComparison.OrdinalIgnoreCase))
                {
                    return; // STOP_INSERTING, Cloudflare's default strategy.
                }

                while (logs.Count >= limit && logs.First is { } oldest)
                {
                    Remove(oldest.Value);
                }
            }

            while (logs.Count >= limits.MaxLogsPerGateway && logs.First is { } oldest)
            {
                Remove(oldest.Value);
            }

            if (entry.PayloadBytes > limits.MaxLogPayloadBytes)
            {
                entry.DropPayload();
            }

            while (_payloadBytes + entry.PayloadBytes > limits.MaxLogPayloadBytes && _byAge.First is { } oldest)
            {
                Remove(oldest.Value);
            }

            entry.GatewayNode = logs.AddLast(entry);
            entry.AgeNode = _byAge.AddLast(entry);
            _payloadBytes += entry.PayloadBytes;
        }
    }

    /// <summary>A gateway's logs, oldest first.</summary>
    public IReadOnlyList<EmulatorLogEntry> Get(string gatewayId)
    {
        lock (_lock)
        {
            return _byGateway.TryGetValue(gatewayId, out var logs) ? [.. logs] : [];
        }
    }

    public EmulatorLogEntry? Find(string gatewayId, string logId)
    {
        lock (_lock)
        {
            return _byGateway.TryGetValue(gatewayId, out var logs)
                ? logs.FirstOrDefault(l => string.Equals(l.Id, logId, StringComparison.Ordinal))
                : null;
        }
    }

    public int Delete(string gatewayId, Func<EmulatorLogEntry, bool> match)
    {
        lock (_lock)
        {
            if (!_byGateway.TryGetValue(gatewayId, out var logs))
            {
                return 0;
            }

            var doomed = logs.Where(match).ToList();
            doomed.ForEach(Remove);
            return doomed.Count;
        }
    }

    public void DeleteGateway(string gatewayId)
    {
        lock (_lock)
        {
            if (_byGateway.Remove(gatewayId, out var logs))
            {
                foreach (var entry in logs.ToList())
                {
                    Remove(entry);
                }
            }
        }
    }

    private void Remove(EmulatorLogEntry entry)
    {
        entry.GatewayNode?.List?.Remove(entry.GatewayNode);
        if (entry.AgeNode is { List: not null } age)
        {
            _byAge.Remove(age);
            _payloadBytes -= entry.PayloadBytes;
        }

        (entry.GatewayNode, entry.AgeNode) = (null, null);
    }
}
