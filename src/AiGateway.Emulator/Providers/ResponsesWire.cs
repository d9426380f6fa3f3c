using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// OpenAI's Responses API: the <c>response</c> object, and its server-sent events (<c>response.created</c>,
/// <c>response.in_progress</c>, <c>response.output_item.added</c>, <c>response.output_text.delta</c>, ...,
/// <c>response.completed</c> with usage), each with its <c>event:</c> name and a <c>sequence_number</c>, no
/// <c>[DONE]</c>; shapes as in the recordings under the tests' <c>Fixtures/openai-responses/</c>. Errors are
/// OpenAI's error body; an error inside a stream is an <c>error</c> event followed by <c>response.failed</c>.
/// </summary>
internal sealed class ResponsesWire : ProviderWire
{
    public static ResponsesWire Instance { get; } = new();

    public override string Json(ModelAnswer answer) => Response(answer, "completed", Output(answer, done: true), usage: true).ToJsonString(EmulatorJson.Options);

    public override IEnumerable<string> Stream(ModelAnswer answer, bool includeUsage)
    {
        int sequence = 0;
        string Next(string type, JsonObject data)
        {
            var body = new JsonObject { ["type"] = type, ["sequence_number"] = sequence++ };
            foreach (var (name, value) in data)
            {
                body[name] = value?.DeepClone();
            }

            return $"event: {type}\ndata: {body.ToJsonString(EmulatorJson.Options)}\n\n";
        }

        yield return Next("response.created", new() { ["response"] = Response(answer, "in_progress", [], usage: false) });
        yield return Next("response.in_progress", new() { ["response"] = Response(answer, "in_progress", [], usage: false) });
        int index = 0;
        if (answer.Reasoning is { } reasoning)
        {
            string id = ItemId("rs", answer);
            yield return Next("response.output_item.added", new() { ["output_index"] = index, ["item"] = ReasoningItem(answer, reasoning, []) });
            var part = new JsonObject { ["type"] = "summary_text", ["text"] = "" };
            yield return Next("response.reasoning_summary_part.added", new() { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["part"] = part });
            foreach (string piece in SimulatedModel.Chunks(reasoning))
            {
                yield return Next("response.reasoning_summary_text.delta", new() { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["delta"] = piece });
            }

            yield return Next("response.reasoning_summary_text.done", new() { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["text"] = reasoning });
            yield return Next("response.reasoning_summary_part.done", new() { ["item_id"] = id, ["output_index"] = index, ["summary_index"] = 0, ["part"] = SummaryText(reasoning) });
            yield return Next("response.output_item.done", new() { ["output_index"] = index++, ["item"] = ReasoningItem(answer, reasoning, [SummaryText(reasoning)]) });
        }

        if (answer.Text is { } text)
        {
            string id = ItemId("msg", answer);
            yield return Next("response.output_item.added", new() { ["output_index"] = index, ["item"] = MessageItem(answer, "in_progress", []) });
            yield return Next("response.content_part.added", new() { ["item_id"] = id, ["output_index"] = index, ["content_index"] = 0, ["part"] = OutputText(string.Empty) });
            foreach (string piece in SimulatedModel.Chunks(text))
            {
                yield return Next("response.output_text.delta", new() { ["item_id"] = id, ["output_index"] = index, ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray() });
            }

            yield return Next("response.output_text.done", new() { ["item_id"] = id, ["output_index"] = index, ["content_index"] = 0, ["text"] = text, ["logprobs"] = new JsonArray() });
            yield return Next("response.content_part.done", new() { ["item_id"] = id, ["output_index"] = index, ["content_index"] = 0, ["part"] = OutputText(text) });
            yield return Next("response.output_item.done", new() { ["output_index"] = index++, ["item"] = MessageItem(answer, MessageStatus(answer), [OutputText(text)]) });
        }

        foreach (var call in answer.ToolCalls)
        {
            string id = "fc_" + call.Id["call_".Length..];
            yield return Next("response.output_item.added", new() { ["output_index"] = index, ["item"] = FunctionCall(call, "in_progress", string.Empty) });
            for (int i = 0; i < call.ArgumentsJson.Length; i += 8)
            {
                yield return Next("response.function_call_arguments.delta", new() { ["item_id"] = id, ["output_index"] = index, ["delta"] = call.ArgumentsJson.Substring(i, Math.Min(8, call.ArgumentsJson.Length - i)) });
            }

            yield return Next("response.function_call_arguments.done", new() { ["item_id"] = id, ["output_index"] = index, ["arguments"] = call.ArgumentsJson });
            yield return Next("response.output_item.done", new() { ["output_index"] = index++, ["item"] = FunctionCall(call, "completed", call.ArgumentsJson) });
        }

        bool incomplete = answer.FinishReason == "length";
        yield return Next(incomplete ? "response.incomplete" : "response.completed", new() { ["response"] = Json(answer) is var json ? JsonNode.Parse(json) : null });
    }

    public override string Error(int status, string message) => OpenAIWire.Instance.Error(status, message);

    public override string StreamError(string message) =>
        "event: error\ndata: " + new JsonObject
        {
            ["type"] = "error",
            ["code"] = "server_error",
            ["message"] = message,
            ["param"] = null,
        }.ToJsonString(EmulatorJson.Options) + "\n\n" +
        "event: response.failed\ndata: " + new JsonObject
        {
            ["type"] = "response.failed",
            ["response"] = new JsonObject { ["object"] = "response", ["status"] = "failed", ["error"] = new JsonObject { ["code"] = "server_error", ["message"] = message }, ["output"] = new JsonArray() },
        }.ToJsonString(EmulatorJson.Options) + "\n\n";

    private static JsonObject Response(ModelAnswer answer, string status, JsonArray output, bool usage)
    {
        bool incomplete = status == "completed" && answer.FinishReason == "length";
        return new JsonObject
        {
            ["id"] = ItemId("resp", answer),
            ["object"] = "response",
            ["created_at"] = answer.Created,
            ["status"] = incomplete ? "incomplete" : status,
            ["background"] = false,
            ["error"] = null,
            ["incomplete_details"] = incomplete ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = null,
            ["model"] = answer.Model,
            ["output"] = output,
            ["parallel_tool_calls"] = true,
            ["previous_response_id"] = null,
            ["store"] = true,
            ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = "auto",
            ["tools"] = new JsonArray(),
            ["usage"] = usage ? Usage(answer) : null,
            ["metadata"] = new JsonObject(),
        };
    }

    private static JsonArray Output(ModelAnswer answer, bool done)
    {
        var output = new JsonArray();
        if (answer.Reasoning is { } reasoning)
        {
            output.Add(ReasoningItem(answer, reasoning, [SummaryText(reasoning)]));
        }

        if (answer.Text is { } text)
        {
            output.Add(MessageItem(answer, MessageStatus(answer), [OutputText(text)]));
        }

        foreach (var call in answer.ToolCalls)
        {
            output.Add(FunctionCall(call, done ? "completed" : "in_progress", call.ArgumentsJson));
        }

        return output;
    }

    private static string MessageStatus(ModelAnswer answer) => answer.FinishReason == "length" ? "incomplete" : "completed";

    private static JsonObject MessageItem(ModelAnswer answer, string status, JsonArray content) => new()
    {
        ["id"] = ItemId("msg", answer),
        ["type"] = "message",
        ["status"] = status,
        ["content"] = content,
        ["role"] = "assistant",
    };

    /// <summary>A reasoning item; its encrypted content is a stand-in (the reasoning itself, base64), present as the API sends it.</summary>
    private static JsonObject ReasoningItem(ModelAnswer answer, string reasoning, JsonArray summary) => new()
    {
        ["id"] = ItemId("rs", answer),
        ["type"] = "reasoning",
        ["encrypted_content"] = "emu_" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(reasoning)),
        ["summary"] = summary,
    };

    private static JsonObject SummaryText(string text) => new() { ["type"] = "summary_text", ["text"] = text };

    private static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = text };

    private static JsonObject FunctionCall(ToolCall call, string status, string arguments) => new()
    {
        ["id"] = "fc_" + call.Id["call_".Length..],
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = call.Id,
        ["name"] = call.Name,
    };

    private static JsonObject Usage(ModelAnswer answer) => new()
    {
        ["input_tokens"] = answer.PromptTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
        ["output_tokens"] = answer.CompletionTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = answer.Reasoning is null ? 0 : SimulatedModel.CountTokens(answer.Reasoning) },
        ["total_tokens"] = answer.PromptTokens + answer.CompletionTokens,
    };

    /// <summary>Ids in the API's style (<c>resp_</c>, <c>msg_</c>, <c>rs_</c>), derived from the answer so equal requests get equal ids.</summary>
    private static string ItemId(string prefix, ModelAnswer answer) => $"{prefix}_emu{answer.Id[^20..]}";
}
