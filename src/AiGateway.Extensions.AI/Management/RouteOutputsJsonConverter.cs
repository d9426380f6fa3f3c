using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Reads and writes outputs as the API has them: <c>{"next": {"elementId": "..."}}</c>.</summary>
internal sealed class RouteOutputsJsonConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var output in document.RootElement.EnumerateObject())
            {
                if (output.Value.ValueKind == JsonValueKind.Object && output.Value.TryGetProperty("elementId", out var target) && target.ValueKind == JsonValueKind.String && target.GetString() is { } id)
                {
                    outputs[output.Name] = id;
                }
            }
        }

        return outputs;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, target) in value)
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            writer.WriteString("elementId", target);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
