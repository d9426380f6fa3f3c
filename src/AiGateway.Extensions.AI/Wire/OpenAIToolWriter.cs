using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Writes tools, tool choice, tool calls and tool results in the OpenAI chat-completions format.</summary>
internal static class OpenAIToolWriter
{
    /// <summary>
    /// Microsoft.Extensions.AI's default options (the adapter's), but compact: its indented output would put newlines and
    /// padding into every tool call's arguments and every tool result the model reads.
    /// </summary>
    private static readonly JsonSerializerOptions s_compact = CreateCompactOptions();

    private static readonly AIJsonSchemaTransformOptions s_strictTransform = new()
    {
        DisallowAdditionalProperties = true,
        RequireAllProperties = true,
        MoveDefaultKeywordToDescription = true,
    };

    /// <summary>The adapter's <c>strict</c> convention: <c>AdditionalProperties["strict"]</c> on the function, else on the options.</summary>
    public static bool? GetStrict(IReadOnlyDictionary<string, object?>? properties) =>
        properties?.TryGetValue("strict", out object? value) is true && value is bool strict ? strict : null;

    /// <summary>OpenAI's strict mode needs every property required and no additional properties.</summary>
    public static JsonElement ToStrictSchema(JsonElement schema) => AIJsonUtilities.TransformSchema(schema, s_strictTransform);

    public static void WriteTools(Utf8JsonWriter writer, ChatOptions options, Func<string, bool> writes)
    {
        if (options.Tools is not { Count: > 0 } tools || !tools.Any(t => t is AIFunctionDeclaration))
        {
            return;
        }

        if (options.AllowMultipleToolCalls is { } parallel && writes("parallel_tool_calls"))
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel);
        }

        if (writes("tool_choice"))
        {
            writer.WritePropertyName("tool_choice"u8);
            switch (options.ToolMode)
            {
                case NoneChatToolMode:
                    writer.WriteStringValue("none"u8);
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "function"u8);
                    writer.WriteStartObject("function"u8);
                    writer.WriteString("name"u8, name);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case RequiredChatToolMode:
                    writer.WriteStringValue("required"u8);
                    break;
                default:
                    writer.WriteStringValue("auto"u8);
                    break;
            }
        }

        if (!writes("tools"))
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        foreach (var function in tools.OfType<AIFunctionDeclaration>())
        {
            bool? strict = GetStrict(function.AdditionalProperties) ?? GetStrict(options.AdditionalProperties);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            if (!string.IsNullOrEmpty(function.Description))
            {
                writer.WriteString("description"u8, function.Description);
            }

            writer.WriteString("name"u8, function.Name);
            writer.WritePropertyName("parameters"u8);
            WriteParameters(writer, strict is true ? ToStrictSchema(function.JsonSchema) : function.JsonSchema);
            if (strict is { } s)
            {
                writer.WriteBoolean("strict"u8, s);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The parameters object OpenAI expects: the schema's type, properties and required list (plus
    /// additionalProperties and $defs when present), without keywords such as <c>$schema</c> or <c>title</c>.</summary>
    private static void WriteParameters(Utf8JsonWriter writer, JsonElement schema)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : "object");
        writer.WritePropertyName("required"u8);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            required.WriteTo(writer);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }

        writer.WritePropertyName("properties"u8);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            properties.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        foreach (string keyword in (ReadOnlySpan<string>)["additionalProperties", "$defs"])
        {
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var value))
            {
                writer.WritePropertyName(keyword);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    public static void WriteToolCall(Utf8JsonWriter writer, FunctionCallContent call)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, call.CallId);
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, call.Name);
        writer.WriteString("arguments"u8, call.Arguments is null
            ? "{}"
            : JsonSerializer.Serialize(call.Arguments, s_compact.GetTypeInfo(typeof(IDictionary<string, object?>))));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// A tool result's text: a string as it is, anything else as JSON. Unlike Microsoft's adapter (which sends ""),
    /// a result that is only an exception is sent as its message, so the model learns the call failed.
    /// </summary>
    public static string ResultText(FunctionResultContent result)
    {
        switch (result.Result)
        {
            case string text:
                return text;
            case null:
                return result.Exception is { } exception ? "Error: " + exception.Message : string.Empty;
            default:
                try
                {
                    return JsonSerializer.Serialize(result.Result, s_compact.GetTypeInfo(typeof(object)));
                }
                catch (NotSupportedException)
                {
                    return string.Empty;
                }
        }
    }

    private static JsonSerializerOptions CreateCompactOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }
}
