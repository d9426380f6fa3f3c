using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Gateway settings as the JSON the API takes: only the fields a caller set, and a read gateway without its read-only fields.</summary>
internal static class GatewaySettingsJson
{
    private static readonly string[] s_readOnly = ["id", "created_at", "modified_at", "is_default", "account_id", "account_tag", "internal_id", "store_id"];

    /// <summary>The settings that were set (nulls mean "leave alone"); <see cref="AiGatewaySettings.RateLimitingOff"/> becomes explicit nulls.</summary>
    public static JsonObject Settable(AiGatewaySettings settings)
    {
        var json = JsonSerializer.SerializeToNode(settings with { Id = null, CreatedAt = null, ModifiedAt = null, IsDefault = null, StoreId = null },
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
        foreach (string field in s_readOnly)
        {
            copy.Remove(field);
        }

        return copy;
    }
}
