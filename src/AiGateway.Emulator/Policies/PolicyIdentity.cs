using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// Who a request is, as policies read it: <c>metadata.*</c> from <c>cf-aig-metadata</c>, and <c>cf.*</c> (Cloudflare
/// Access claims, country), which a data-plane request to the emulator never has (it has no Access in front) and a
/// simulation may give.
/// </summary>
internal sealed record PolicyIdentity(JsonObject? Metadata, JsonObject? Cf)
{
    /// <summary>The value at a dotted path (<c>metadata.user_id</c>, <c>cf.user.groups</c>), or null when it is missing.</summary>
    public JsonNode? Find(string path)
    {
        string[] parts = path.Split('.');
        JsonNode? node = parts[0] switch
        {
            "metadata" => Metadata,
            "cf" => Cf,
            _ => null,
        };
        foreach (string part in parts.AsSpan(1))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }
}
