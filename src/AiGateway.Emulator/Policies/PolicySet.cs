using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>A limit a request counts against once it is served: its budget bucket and the policy whose window it uses.</summary>
internal sealed record PolicyCharge(string Bucket, GatewayPolicy Policy);

/// <summary>
/// What the policies say about one request: allowed (with the budgets it counts against), blocked (a block matched, or no
/// policy allowed it: 403), or over a budget (429 with the bucket, the amount spent and the limit).
/// </summary>
internal sealed record PolicyVerdict(bool Allowed, bool Blocked, string? Bucket, double Spent, double Limit, string? PolicyName, IReadOnlyList<PolicyCharge> Charges, int Evaluated)
{
    public static PolicyVerdict Allow(IReadOnlyList<PolicyCharge> charges, int evaluated) => new(true, false, null, 0, 0, null, charges, evaluated);
}

/// <summary>
/// One gateway's policies, committed and staged (written without <c>commit=true</c>, not enforced until committed), and
/// the spend of each budget bucket per UTC window on the emulator's clock. Evaluated as features/policies.mdx says:
/// block wins, then each bucket's limits (the highest amount per window), then deny by default. Thread-safe.
/// </summary>
internal sealed class PolicySet(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<(string Bucket, string Period, DateTimeOffset Window), double> _spent = [];

    public GatewayPolicy Create(JsonObject body, bool commit)
    {
        body["id"] = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        body["created_at"] = now;
        body["updated_at"] = now;
        var policy = GatewayPolicy.Parse(body);
        lock (_lock)
        {
            _entries.Add(commit ? new Entry(policy, null) : new Entry(null, policy));
        }

        return policy;
    }

    /// <summary>Changes the fields a patch names; throws <see cref="FormatException"/> when the result is not a policy, <see cref="InvalidOperationException"/> when it was never committed.</summary>
    public GatewayPolicy? Update(string id, JsonObject patch, bool commit)
    {
        lock (_lock)
        {
            if (Find(id) is not { } entry)
            {
                return null;
            }

            var current = entry.Committed ?? throw new InvalidOperationException("Only a committed policy can be updated: commit it first.");
            var merged = (JsonObject)(entry.Staged ?? current).Json.DeepClone();
            foreach (var (name, value) in patch.Where(p => p.Key is not ("id" or "created_at" or "updated_at")))
            {
                merged[name] = value?.DeepClone();
            }

            merged["updated_at"] = time.GetUtcNow().ToUnixTimeSeconds();
            var policy = GatewayPolicy.Parse(merged);
            _entries[_entries.IndexOf(entry)] = commit ? new Entry(policy, null) : entry with { Staged = policy };
            return policy;
        }
    }

    public bool Delete(string id)
    {
        lock (_lock)
        {
            return Find(id) is { } entry && _entries.Remove(entry);
        }
    }

    /// <summary>The committed policy, or with <paramref name="includeStaging"/> its draft when it has one.</summary>
    public JsonObject? Get(string id, bool includeStaging)
    {
        lock (_lock)
        {
            return Find(id) is { } entry ? View(entry, includeStaging) : null;
        }
    }

    public List<JsonObject> List(bool includeStaging)
    {
        lock (_lock)
        {
            return [.. _entries.Select(e => View(e, includeStaging)).OfType<JsonObject>()];
        }
    }

    /// <summary>Commits every draft; returns how many.</summary>
    public int CommitAll()
    {
        lock (_lock)
        {
            int committed = 0;
            for (int i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Staged is { } draft)
                {
                    _entries[i] = new Entry(draft, null);
                    committed++;
                }
            }

            return committed;
        }
    }

    /// <summary>Evaluates the committed policies for a request; <paramref name="spentOverride"/> replaces recorded spend (a simulation's).</summary>
    public PolicyVerdict Evaluate(string provider, string model, PolicyIdentity identity, Func<GatewayPolicy, double?>? spentOverride = null)
    {
        lock (_lock)
        {
            var policies = _entries.Select(e => e.Committed).OfType<GatewayPolicy>().ToList();
            if (policies.Count == 0)
            {
                return PolicyVerdict.Allow([], 0);
            }

            var allowing = new List<(GatewayPolicy Policy, string Bucket)>();
            foreach (var policy in policies)
            {
                bool covers = policy.Covers(provider, model);
                if (policy.Except ? covers : !covers)
                {
                    continue;
                }

                bool? condition = policy.Condition.Evaluate(identity);
                string? actor = policy.ResolveActor(identity);
                if (policy.Type == "block")
                {
                    // A block whose condition or actor reads a field the request lacks still blocks.
                    if (condition != false)
                    {
                        return new(false, true, null, 0, 0, policy.Name, [], policies.Count);
                    }

                    continue;
                }

                if (condition == true && actor is not null)
                {
                    allowing.Add((policy, policy.Bucket(actor)));
                }
            }

            if (allowing.Count == 0)
            {
                return new(false, true, null, 0, 0, null, [], policies.Count);
            }

            var now = time.GetUtcNow();
            var charges = new List<PolicyCharge>();
            foreach (var bucket in allowing.GroupBy(a => a.Bucket).Where(b => b.All(a => a.Policy.Type == "limit")))
            {
                foreach (var limit in bucket.GroupBy(a => a.Policy.Period).Select(w => w.MaxBy(a => a.Policy.Amount).Policy))
                {
                    double spent = spentOverride?.Invoke(limit) ?? _spent.GetValueOrDefault((bucket.Key, limit.Period!, limit.WindowStart(now)));
                    if (spent >= limit.Amount)
                    {
                        return new(false, false, bucket.Key, spent, limit.Amount, limit.Name, [], policies.Count);
                    }

                    charges.Add(new PolicyCharge(bucket.Key, limit));
                }
            }

            return PolicyVerdict.Allow(charges, policies.Count);
        }
    }

    /// <summary>Records a served request's cost against the budgets it counted against, in the current window of each.</summary>
    public void Charge(IReadOnlyList<PolicyCharge> charges, double cost)
    {
        if (charges.Count == 0 || cost <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var charge in charges)
            {
                var key = (charge.Bucket, charge.Policy.Period!, charge.Policy.WindowStart(now));
                _spent[key] = _spent.GetValueOrDefault(key) + cost;
            }

            // Past windows are spent for good: keep only the current window of each bucket.
            foreach (var stale in _spent.Keys.Where(k => k.Window < GatewayPolicy.WindowStart(k.Period, now)).ToList())
            {
                _spent.Remove(stale);
            }
        }
    }

    private Entry? Find(string id) => _entries.FirstOrDefault(e => (e.Committed ?? e.Staged)!.Id == id);

    private static JsonObject? View(Entry entry, bool includeStaging)
    {
        if (includeStaging && entry.Staged is { } draft)
        {
            var view = (JsonObject)draft.Json.DeepClone();
            view[entry.Committed is null ? "staging" : "uncommitted"] = true;
            return view;
        }

        return (JsonObject?)entry.Committed?.Json.DeepClone();
    }

    private sealed record Entry(GatewayPolicy? Committed, GatewayPolicy? Staged);
}
