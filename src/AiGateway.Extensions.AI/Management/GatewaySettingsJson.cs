using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Gateway settings as the JSON the API takes: only the fields a caller set, and a read gateway without its read-only fields.</summary>
internal static class GatewaySettingsJson
{
    /// <summary>
    /// The fields Cloudflare's client answers but never takes: those of <c>AIGatewayGetResponse</c> that
    /// <c>AIGatewayUpdateParams</c> lacks (cloudflare-typescript <c>src/resources/ai-gateway/ai-gateway.ts</c>).
    /// Everything else a read gateway holds, <c>store_id</c> and <c>stripe</c> included, is an update body
    /// parameter and goes back in the PUT; so do fields neither type names yet (the API may know them before its client does).
    /// </summary>
    internal static readonly string[] ReadOnly = ["id", "created_at", "modified_at", "is_default"];

    /// <summary>The settings that were set (nulls mean "leave alone"); <see cref="AiGatewaySettings.RateLimitingOff"/> becomes explicit nulls.</summary>
    public static JsonObject Settable(AiGatewaySettings settings)
    {
        var json = JsonSerializer.SerializeToNode(settings with { Id = null, CreatedAt = null, ModifiedAt = null, IsDefault = null },
            AdminJsonContext.Default.AiGatewaySettings)!.AsObject();
        if (settings.RateLimitingOff is true)
        {
            json["rate_limiting_interval"] = null;
            json["rate_limiting_limit"] = null;
        }

        return json;
    }

    public static JsonObject WithoutReadOnly(JsonObject gateway)
    {
        var copy = gateway.DeepClone().AsObject();
        foreach (string field in ReadOnly)
        {
            copy.Remove(field);
        }

        return copy;
    }
}
