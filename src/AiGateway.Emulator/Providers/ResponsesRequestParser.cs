using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// Reads an OpenAI Responses request (<c>POST /responses</c>): <c>instructions</c>, <c>input</c> as a string or as
/// items (messages, <c>function_call</c>, <c>function_call_output</c>; reasoning items carried back are skipped, as
/// the model reads only their effect), function tools, <c>max_output_tokens</c>, <c>reasoning</c> and
/// <c>include: ["reasoning.encrypted_content"]</c>.
/// </summary>
internal static class ResponsesRequestParser
{
    public static ChatRequest Parse(string provider, string model, JsonObject root, bool stream)
    {
        var turns = new List<ChatTurn>();
        if (root["instructions"] is JsonValue instructions && instructions.TryGetValue(out string? system))
        {
            turns.Add(new ChatTurn("system", system));
        }

        switch (root["input"])
        {
            case JsonValue text when text.TryGetValue(out string? prompt):
                turns.Add(new ChatTurn("user", prompt));
                break;
            case JsonArray items:
                foreach (var item in items.OfType<JsonObject>())
                {
                    if (Turn(item) is { } turn)
                    {
                        turns.Add(turn);
                    }
                }

                break;
            default:
                throw new FormatException("Missing required parameter: 'input'.");
        }

        if (turns.Count == 0)
        {
            throw new FormatException("Invalid 'input': expected at least one item.");
        }

        var tools = root["tools"] is JsonArray offered
            ? offered.OfType<JsonObject>().Where(t => t["type"]?.GetValue<string>() == "function").Select(t => new ToolSpec(
                t["name"]?.GetValue<string>() ?? throw new FormatException("Missing required parameter: 'tools[].name'."),
                t["description"]?.GetValue<string>(),
                t["parameters"] as JsonObject)).ToList()
            : [];
        bool encrypted = root["include"] is JsonArray include && include.Any(i => i?.GetValue<string>() == "reasoning.encrypted_content");
        return new ChatRequest(WireFormat.OpenAIResponses, provider, model, turns, tools, stream, IncludeUsage: true,
            root["max_output_tokens"]?.GetValue<int>(), Thinking: root["reasoning"] is JsonObject, EncryptedReasoning: encrypted);
    }

    private static ChatTurn? Turn(JsonObject item) => item["type"]?.GetValue<string>() switch
    {
        "function_call_output" => new ChatTurn("tool", ChatRequestParser.Text(item["output"]), item["call_id"]?.GetValue<string>()),
        "function_call" => new ChatTurn("assistant", string.Empty),
        "reasoning" => null,
        null or "message" => new ChatTurn(
            item["role"]?.GetValue<string>() ?? throw new FormatException("Missing required parameter: 'input[].role'."),
            ChatRequestParser.Text(item["content"])),
        _ => null,
    };
}
