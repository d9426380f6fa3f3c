using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>Reads a provider request body in OpenAI (chat completions or Responses), Anthropic or Workers AI native format.</summary>
internal static class ChatRequestParser
{
    /// <summary>Parses the body; throws <see cref="FormatException"/> with a provider-style message when it is not a chat request.</summary>
    public static ChatRequest Parse(WireFormat format, string provider, string? modelFromPath, ReadOnlySpan<byte> body)
    {
        var (root, model) = EmulatorJson.ParseRequest(modelFromPath, body);
        bool stream = root["stream"]?.GetValue<bool>() ?? false;
        return format switch
        {
            WireFormat.Anthropic => new ChatRequest(format, provider, model, AnthropicTurns(root), AnthropicTools(root), stream, true, root["max_tokens"]?.GetValue<int>(),
                Thinking: root["thinking"]?["type"]?.GetValue<string>() is "enabled" or "adaptive"),
            WireFormat.OpenAIResponses => ResponsesRequestParser.Parse(provider, model, root, stream),
            WireFormat.WorkersAiNative => new ChatRequest(format, provider, model, WorkersTurns(root), OpenAITools(root), stream, true, root["max_tokens"]?.GetValue<int>()),
            _ => new ChatRequest(format, provider, model, OpenAITurns(root), OpenAITools(root), stream,
                root["stream_options"]?["include_usage"]?.GetValue<bool>() ?? false,
                (root["max_completion_tokens"] ?? root["max_tokens"])?.GetValue<int>()),
        };
    }

    private static List<ChatTurn> OpenAITurns(JsonObject root)
    {
        if (root["messages"] is not JsonArray messages || messages.Count == 0)
        {
            throw new FormatException("'messages' must be a non-empty array.");
        }

        return [.. messages.OfType<JsonObject>().Select(m => new ChatTurn(
            m["role"]?.GetValue<string>() ?? throw new FormatException("Each message needs a 'role'."),
            Text(m["content"]),
            m["tool_call_id"]?.GetValue<string>()))];
    }

    private static List<ChatTurn> WorkersTurns(JsonObject root) =>
        root["prompt"] is JsonValue prompt ? [new ChatTurn("user", prompt.GetValue<string>())] : OpenAITurns(root);

    private static List<ChatTurn> AnthropicTurns(JsonObject root)
    {
        var turns = new List<ChatTurn>();
        if (root["system"] is { } system)
        {
            turns.Add(new ChatTurn("system", Text(system)));
        }

        if (root["messages"] is not JsonArray messages || messages.Count == 0)
        {
            throw new FormatException("messages: at least one message is required");
        }

        foreach (var message in messages.OfType<JsonObject>())
        {
            string role = message["role"]?.GetValue<string>() ?? throw new FormatException("messages: role is required");
            if (message["content"] is JsonArray blocks && blocks.OfType<JsonObject>().FirstOrDefault(b => b["type"]?.GetValue<string>() == "tool_result") is { } result)
            {
                turns.Add(new ChatTurn("tool", Text(result["content"]), result["tool_use_id"]?.GetValue<string>()));
                continue;
            }

            turns.Add(new ChatTurn(role, Text(message["content"])));
        }

        return turns;
    }

    private static List<ToolSpec> OpenAITools(JsonObject root) =>
        root["tools"] is JsonArray tools
            ? [.. tools.OfType<JsonObject>().Select(t => t["function"] as JsonObject ?? t).Select(f => new ToolSpec(
                f["name"]?.GetValue<string>() ?? throw new FormatException("Each tool needs a function name."),
                f["description"]?.GetValue<string>(),
                f["parameters"] as JsonObject))]
            : [];

    private static List<ToolSpec> AnthropicTools(JsonObject root) =>
        root["tools"] is JsonArray tools
            ? [.. tools.OfType<JsonObject>().Select(t => new ToolSpec(
                t["name"]?.GetValue<string>() ?? throw new FormatException("tools: name is required"),
                t["description"]?.GetValue<string>(),
                t["input_schema"] as JsonObject))]
            : [];

    /// <summary>The text of a content value: a string, or the text parts of an array.</summary>
    internal static string Text(JsonNode? content) => content switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue(out string? s) => s,
        JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>() ?? Text(p["content"]))),
        _ => content.ToJsonString(EmulatorJson.Options),
    };
}
