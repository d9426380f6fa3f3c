using System.Globalization;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// A gateway's stored provider keys (BYOK, <c>provider_configs</c>), in Cloudflare's shape
/// (cloudflare-typescript <c>src/resources/ai-gateway/provider-configs.ts</c>). The secret itself is never kept: a
/// key answers for its provider and alias, and the API shows only a secret id and a preview. Thread-safe.
/// </summary>
internal sealed class StoredKeyStore(TimeProvider time, string gatewayId)
{
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _keys = [];

    /// <summary>The stored keys, oldest first, as the API answers them.</summary>
    public IReadOnlyList<JsonObject> List()
    {
        lock (_gate)
        {
            return [.. _keys.Select(k => k.DeepClone().AsObject())];
        }
    }

    /// <summary>Stores a key from a create body; throws <see cref="FormatException"/> for a body the API would refuse.</summary>
    public JsonObject Create(JsonObject body)
    {
        string provider = EmulatorJson.Text(body, "provider_slug") ?? throw new FormatException("provider_slug is required.");
        string alias = EmulatorJson.Text(body, "alias") ?? throw new FormatException("alias is required.");
        if (body["default_config"] is not JsonValue defaultValue || !defaultValue.TryGetValue(out bool isDefault))
        {
            throw new FormatException("default_config (true or false) is required.");
        }

        string? secret = EmulatorJson.Text(body, "secret");
        string? secretId = EmulatorJson.Text(body, "secret_id");
        if ((secret is null) == (secretId is null))
        {
            throw new FormatException("Give exactly one of secret and secret_id.");
        }

        lock (_gate)
        {
            if (_keys.Any(k => Same(k, provider, alias)))
            {
                throw new FormatException($"A stored key for {provider} with alias '{alias}' exists; delete it first.");
            }

            if (isDefault)
            {
                foreach (var other in _keys.Where(k => string.Equals(EmulatorJson.Text(k, "provider_slug"), provider, StringComparison.OrdinalIgnoreCase)))
                {
                    other["default_config"] = false;
                }
            }

            var key = new JsonObject
            {
                ["id"] = Guid.CreateVersion7(time.GetUtcNow()).ToString(),
                ["alias"] = alias,
                ["default_config"] = isDefault,
                ["gateway_id"] = gatewayId,
                ["modified_at"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["provider_slug"] = provider,
                ["secret_id"] = secretId ?? Guid.NewGuid().ToString("N"),
                ["secret_preview"] = Preview(secret),
            };
            foreach (string limit in new[] { "rate_limit", "rate_limit_period" })
            {
                if (body[limit] is JsonValue value && value.TryGetValue(out int n))
                {
                    key[limit] = n;
                }
            }

            _keys.Add(key);
            return key.DeepClone().AsObject();
        }
    }

    /// <summary>Deletes a stored key; the deleted key, or null when none has the id.</summary>
    public JsonObject? Delete(string id)
    {
        lock (_gate)
        {
            var key = _keys.FirstOrDefault(k => EmulatorJson.Text(k, "id") == id);
            if (key is not null)
            {
                _keys.Remove(key);
            }

            return key;
        }
    }

    /// <summary>
    /// Whether a key answers a request to <paramref name="provider"/> that carries none: the key with the request's
    /// alias (<c>cf-aig-byok-alias</c>), or without one the provider's default key (or its key aliased <c>default</c>).
    /// </summary>
    public bool Answers(string provider, string? alias)
    {
        lock (_gate)
        {
            return alias is not null
                ? _keys.Any(k => Same(k, provider, alias))
                : _keys.Any(k => string.Equals(EmulatorJson.Text(k, "provider_slug"), provider, StringComparison.OrdinalIgnoreCase)
                    && (k["default_config"]?.GetValue<bool>() == true || EmulatorJson.Text(k, "alias") == "default"));
        }
    }

    /// <summary>A few characters of the secret, as the API previews it; the whole secret never.</summary>
    private static string Preview(string? secret) =>
        secret is null ? string.Empty : secret.Length < 12 ? "****" : string.Concat(secret.AsSpan(0, 4), "...", secret.AsSpan(secret.Length - 4));

    private static bool Same(JsonObject key, string provider, string alias) =>
        string.Equals(EmulatorJson.Text(key, "provider_slug"), provider, StringComparison.OrdinalIgnoreCase) && EmulatorJson.Text(key, "alias") == alias;
}
