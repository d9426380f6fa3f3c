using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Reads and writes a policy resource as the API has it: <c>"*"</c>, or <c>{"model", "provider"}</c> with a string or an array each.</summary>
internal sealed class PolicyResourceJsonConverter : JsonConverter<AiGatewayPolicyResource>
{
    public override AiGatewayPolicyResource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        return root.ValueKind != JsonValueKind.Object
            ? AiGatewayPolicyResource.All
            : new AiGatewayPolicyResource { Models = Names(root, "model"), Providers = Names(root, "provider") };
    }

    public override void Write(Utf8JsonWriter writer, AiGatewayPolicyResource value, JsonSerializerOptions options)
    {
        if (value.IsAll)
        {
            writer.WriteStringValue("*");
            return;
        }

        writer.WriteStartObject();
        WriteNames(writer, "model", value.Models);
        WriteNames(writer, "provider", value.Providers);
        writer.WriteEndObject();
    }

    private static List<string>? Names(JsonElement resource, string name) =>
        !resource.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? [value.GetString()!]
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
        : null;

    /// <summary>One name as a string, several as an array (both are the API's forms).</summary>
    private static void WriteNames(Utf8JsonWriter writer, string name, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return;
        }

        if (names.Count == 1)
        {
            writer.WriteString(name, names[0]);
            return;
        }

        writer.WriteStartArray(name);
        foreach (string item in names)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
