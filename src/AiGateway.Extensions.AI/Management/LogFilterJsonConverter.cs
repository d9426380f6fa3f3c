using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Reads and writes <see cref="AiGatewayLogFilter"/> in the API's shape: <c>{"key","operator":"eq","value":[...]}</c>.</summary>
internal sealed class LogFilterJsonConverter : JsonConverter<AiGatewayLogFilter>
{
    public override AiGatewayLogFilter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string key = root.TryGetProperty("key", out var k) ? k.GetString() ?? string.Empty : string.Empty;
        var op = (root.TryGetProperty("operator", out var o) ? o.GetString() : null) switch
        {
            "neq" => AiGatewayLogFilterOperator.NotEqual,
            "contains" => AiGatewayLogFilterOperator.Contains,
            "lt" => AiGatewayLogFilterOperator.LessThan,
            "gt" => AiGatewayLogFilterOperator.GreaterThan,
            _ => AiGatewayLogFilterOperator.Equal,
        };
        List<object?> values = [];
        if (root.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                values.Add(item.ValueKind switch
                {
                    JsonValueKind.String => item.GetString(),
                    JsonValueKind.Number => item.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                });
            }
        }

        return new AiGatewayLogFilter(key, op, values);
    }

    public override void Write(Utf8JsonWriter writer, AiGatewayLogFilter value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteString("operator", value.Operator switch
        {
            AiGatewayLogFilterOperator.NotEqual => "neq",
            AiGatewayLogFilterOperator.Contains => "contains",
            AiGatewayLogFilterOperator.LessThan => "lt",
            AiGatewayLogFilterOperator.GreaterThan => "gt",
            _ => "eq",
        });
        writer.WriteStartArray("value");
        foreach (object? item in value.Values)
        {
            JsonValueWriter.WritePrimitive(writer, item);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
