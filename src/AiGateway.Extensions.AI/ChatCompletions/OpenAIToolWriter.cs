using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Writes tools, tool choice, tool calls and tool results in the OpenAI chat-completions format. Tool definitions go
/// through Microsoft.Extensions.AI.OpenAI's own conversion (<see cref="OpenAI.Chat.MicrosoftExtensionsAIChatExtensions.AsOpenAIChatTool"/>),
/// so schemas, <c>additionalProperties</c> and the strict-mode transform are exactly the adapter's.
/// </summary>
internal static class OpenAIToolWriter
{
    /// <summary>
    /// Microsoft.Extensions.AI's default options (the adapter's), but compact: its indented output would put newlines and
    /// padding into every tool call's arguments and every tool result the model reads.
    /// </summary>
    private static readonly JsonSerializerOptions s_compact = CreateCompactOptions();

    /// <summary>
    /// Writes <c>parallel_tool_calls</c>, <c>tool_choice</c> and <c>tools</c>: the tools a <c>RawRepresentationFactory</c>
    /// supplied first, then <see cref="ChatOptions.Tools"/>' functions, as the adapter does.
    /// </summary>
    public static void WriteTools(Utf8JsonWriter writer, ChatOptions options, JsonElement? rawTools, OpenAIChatRequestWriter.WrittenFields fields)
    {
        bool hasFunctions = options.Tools is { Count: > 0 } tools && tools.Any(t => t is AIFunctionDeclaration);
        if (hasFunctions)
        {
            if (options.AllowMultipleToolCalls is { } parallel && fields.Writes("parallel_tool_calls"))
            {
                writer.WriteBoolean("parallel_tool_calls"u8, parallel);
            }

            if (fields.Writes("tool_choice"))
            {
                writer.WritePropertyName("tool_choice"u8);
                WriteToolChoice(writer, options.ToolMode);
            }
        }

        // As the adapter sends it: web search is an option of the request, not a tool.
        if (options.Tools is { Count: > 0 } && options.Tools.Any(t => t is HostedWebSearchTool) && fields.Writes("web_search_options"))
        {
            writer.WriteStartObject("web_search_options"u8);
            writer.WriteEndObject();
        }

        if (!hasFunctions && rawTools is null)
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        if (rawTools is { ValueKind: JsonValueKind.Array } raw)
        {
            foreach (var tool in raw.EnumerateArray())
            {
                tool.WriteTo(writer);
            }
        }

        bool optionsStrict = GetStrict(options.AdditionalProperties) is true;
        foreach (var tool in options.Tools ?? [])
        {
            if (tool is AIFunctionDeclaration function)
            {
                // The adapter honours ChatOptions' "strict" when the function does not set its own.
                var declaration = optionsStrict && GetStrict(function.AdditionalProperties) is null ? new StrictFunctionDeclaration(function) : function;
                OpenAIModels.WriteCompact(writer, declaration.AsOpenAIChatTool());
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>The adapter's <c>strict</c> convention: <c>AdditionalProperties["strict"]</c> on the function, else on the options.</summary>
    public static bool? GetStrict(IReadOnlyDictionary<string, object?>? properties) =>
        properties?.TryGetValue("strict", out object? value) is true && value is bool strict ? strict : null;

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

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatToolMode? mode)
    {
        switch (mode)
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

    private static JsonSerializerOptions CreateCompactOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>A function declaration seen with <c>strict: true</c>, for ChatOptions-level strictness.</summary>
    private sealed class StrictFunctionDeclaration(AIFunctionDeclaration inner) : AIFunctionDeclaration
    {
        private readonly Dictionary<string, object?> _properties = new(inner.AdditionalProperties) { ["strict"] = true };

        public override string Name => inner.Name;

        public override string Description => inner.Description;

        public override JsonElement JsonSchema => inner.JsonSchema;

        public override JsonElement? ReturnJsonSchema => inner.ReturnJsonSchema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;
    }
}
