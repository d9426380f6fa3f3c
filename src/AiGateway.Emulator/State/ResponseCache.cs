namespace AiGateway.Emulator;

/// <summary>A cached non-streaming answer.</summary>
internal sealed record CachedAnswer(int Status, string ContentType, byte[] Body, int TokensIn, int TokensOut, DateTimeOffset ExpiresAt);

/// <summary>
/// The gateway's exact-match cache, bounded: at most <see cref="EmulatorLimits.MaxCacheEntries"/> answers and
/// <see cref="EmulatorLimits.MaxCacheBytes"/> bytes, the oldest going first. Expired answers are swept as the
/// emulator's clock passes their expiry (checked on every read and write, no timer), so an answer nobody asks for again
/// does not stay.
/// </summary>
internal sealed class ResponseCache(TimeProvider time, EmulatorLimits limits)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _byAge = new();
    private readonly PriorityQueue<Entry, DateTimeOffset> _byExpiry = new();
    private long _bytes;

    /// <summary>Gets the number of answers kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Gets the bytes of answers kept.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public CachedAnswer? Get(string key)
    {
        lock (_lock)
        {
            Sweep();
            return _entries.TryGetValue(key, out var node) ? node.Value.Answer : null;
        }
    }

    public void Set(string key, CachedAnswer answer)
    {
        lock (_lock)
        {
            Sweep();
            if (_entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            if (answer.Body.Length > limits.MaxCacheBytes || answer.ExpiresAt <= time.GetUtcNow())
            {
                return;
            }

            while ((_entries.Count >= limits.MaxCacheEntries || _bytes + answer.Body.Length > limits.MaxCacheBytes) && _byAge.First is { } oldest)
            {
                Remove(oldest);
            }

            var entry = new Entry(key, answer);
            _entries[key] = _byAge.AddLast(entry);
            _bytes += answer.Body.Length;
            _byExpiry.Enqueue(entry, answer.ExpiresAt);

            // Replaced and evicted entries stay in the expiry queue until their time comes; rebuild it before they outnumber the live ones.
            if (_byExpiry.Count > (2 * _entries.Count) + 64)
            {
                var live = _byAge.Select(e => (e, e.Answer!.ExpiresAt)).ToList();
                _byExpiry.Clear();
                _byExpiry.EnqueueRange(live);
            }
        }
    }

    /// <summary>Removes every answer whose key starts with <paramref name="prefix"/>.</summary>
    public void Clear(string prefix)
    {
        lock (_lock)
        {
            foreach (var node in _entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Value).ToList())
            {
                Remove(node);
            }
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        while (_byExpiry.TryPeek(out var entry, out var expiresAt) && expiresAt <= now)
        {
            _byExpiry.Dequeue();
            if (entry.Answer is not null && _entries.TryGetValue(entry.Key, out var node) && ReferenceEquals(node.Value, entry))
            {
                Remove(node);
            }
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _entries.Remove(node.Value.Key);
        _byAge.Remove(node);
        _bytes -= node.Value.Answer!.Body.Length;
        node.Value.Answer = null; // The expiry queue may still hold the entry: let the body go now.
    }

    private sealed class Entry(string key, CachedAnswer answer)
    {
        public string Key { get; } = key;

        public CachedAnswer? Answer { get; set; } = answer;
    }
}
