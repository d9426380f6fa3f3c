using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Extensions.AI;

/// <summary>Writes the loosely typed values users hand us (metadata, extra body fields) as JSON without reflection.</summary>
internal static class JsonValueWriter
{
    /// <summary>Writes a string, boolean or number.</summary>
    public static void WritePrimitive(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case short sh: writer.WriteNumberValue(sh); break;
            case byte by: writer.WriteNumberValue(by); break;
            case sbyte sb: writer.WriteNumberValue(sb); break;
            case uint ui: writer.WriteNumberValue(ui); break;
            case ulong ul: writer.WriteNumberValue(ul); break;
            case ushort us: writer.WriteNumberValue(us); break;
            case float f: writer.WriteNumberValue(f); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            default: throw new ArgumentException($"A value of type {value.GetType().Name} cannot be written as a JSON primitive.");
        }
    }

    /// <summary>
    /// Converts a value to raw UTF-8 JSON: primitives, <see cref="JsonElement"/>, <see cref="JsonNode"/> and
    /// <see cref="BinaryData"/> holding JSON are accepted.
    /// </summary>
    public static byte[] ToRawJson(object? value, string name)
    {
        switch (value)
        {
            case JsonElement element:
                return JsonSerializer.SerializeToUtf8Bytes(element, JsonValueContext.Default.JsonElement);
            case JsonNode node:
                return JsonSerializer.SerializeToUtf8Bytes(node, JsonValueContext.Default.JsonNode);
            case BinaryData data:
                return ValidateRaw(data.ToArray(), name);
            default:
                try
                {
                    using var json = PooledJsonWriter.Rent();
                    WritePrimitive(json.Writer, value);
                    return json.ToArray();
                }
                catch (ArgumentException)
                {
                    throw new ArgumentException(
                        $"Extra body field '{name}' has a value of type {value!.GetType().Name}; use a string, number, boolean, JsonElement, JsonNode or BinaryData holding JSON.");
                }
        }
    }

    /// <summary>Interprets a configuration string: valid JSON is sent as that JSON, anything else as a JSON string.</summary>
    public static byte[] FromConfigurationString(string value)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(value);
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (reader.Read() && reader.TrySkip() && !reader.Read())
            {
                return utf8;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through and send it as a string.
        }

        return JsonSerializer.SerializeToUtf8Bytes(value, JsonValueContext.Default.String);
    }

    private static byte[] ValidateRaw(byte[] utf8, string name)
    {
        try
        {
            using var _ = JsonDocument.Parse(utf8);
            return utf8;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Extra body field '{name}' holds BinaryData that is not valid JSON.", e);
        }
    }
}
