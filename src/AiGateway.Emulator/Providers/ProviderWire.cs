using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>Writes answers and errors in one provider wire format.</summary>
internal abstract class ProviderWire
{
    public static ProviderWire For(WireFormat format) => format switch
    {
        WireFormat.Anthropic => AnthropicWire.Instance,
        WireFormat.WorkersAiNative => WorkersAiWire.Instance,
        WireFormat.OpenAIResponses => ResponsesWire.Instance,
        _ => OpenAIWire.Instance,
    };

    /// <summary>The whole answer as a JSON body.</summary>
    public abstract string Json(ModelAnswer answer);

    /// <summary>The answer as complete SSE events, in order (including any closing sentinel).</summary>
    public abstract IEnumerable<string> Stream(ModelAnswer answer, bool includeUsage);

    /// <summary>An error body in this provider's shape.</summary>
    public abstract string Error(int status, string message);

    /// <summary>An error event inside a 200 stream.</summary>
    public virtual string StreamError(string message) =>
        "data: " + new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["code"] = 502 } }.ToJsonString(EmulatorJson.Options) + "\n\n";

    /// <summary>The message a provider gives when no key was sent.</summary>
    public virtual string MissingKeyMessage => "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

    protected static string Data(JsonNode node) => "data: " + node.ToJsonString(EmulatorJson.Options) + "\n\n";
}

/// <summary>OpenAI chat completions: <c>chat.completion</c> JSON and <c>chat.completion.chunk</c> SSE ending with <c>[DONE]</c>.</summary>
internal sealed class OpenAIWire : ProviderWire
{
    public static OpenAIWire Instance { get; } = new();

    public override string Json(ModelAnswer answer)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text, ["refusal"] = null };
        if (answer.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select((c, i) => (JsonNode)ToolCall(c, index: null))]);
        }

        return new JsonObject
        {
            ["id"] = answer.Id,
            ["object"] = "chat.completion",
            ["created"] = answer.Created,
            ["model"] = answer.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = answer.FinishReason,
            }),
            ["usage"] = Usage(answer),
            ["system_fingerprint"] = "fp_emulator",
        }.ToJsonString(EmulatorJson.Options);
    }

    public override IEnumerable<string> Stream(ModelAnswer answer, bool includeUsage)
    {
        yield return Data(Chunk(answer, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (string piece in SimulatedModel.Chunks(answer.Text ?? string.Empty))
        {
            yield return Data(Chunk(answer, new JsonObject { ["content"] = piece }, null));
        }

        for (int i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            var start = ToolCall(call with { ArgumentsJson = "" }, i);
            yield return Data(Chunk(answer, new JsonObject { ["tool_calls"] = new JsonArray(start) }, null));
            foreach (string fragment in Fragments(call.ArgumentsJson))
            {
                var delta = new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = fragment } };
                yield return Data(Chunk(answer, new JsonObject { ["tool_calls"] = new JsonArray(delta) }, null));
            }
        }

        yield return Data(Chunk(answer, new JsonObject(), answer.FinishReason));
        if (includeUsage)
        {
            yield return Data(new JsonObject
            {
                ["id"] = answer.Id, ["object"] = "chat.completion.chunk", ["created"] = answer.Created, ["model"] = answer.Model,
                ["system_fingerprint"] = "fp_emulator", ["choices"] = new JsonArray(), ["usage"] = Usage(answer),
            });
        }

        yield return "data: [DONE]\n\n";
    }

    public override string Error(int status, string message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = status switch { 401 => "invalid_request_error", 429 => "requests", >= 500 => "server_error", _ => "invalid_request_error" },
            ["param"] = null,
            ["code"] = status switch { 401 => "invalid_api_key", 429 => "rate_limit_exceeded", 404 => "model_not_found", _ => null },
        },
    }.ToJsonString(EmulatorJson.Options);

    private static JsonObject Chunk(ModelAnswer answer, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = answer.Id,
        ["object"] = "chat.completion.chunk",
        ["created"] = answer.Created,
        ["model"] = answer.Model,
        ["system_fingerprint"] = "fp_emulator",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason }),
    };

    private static JsonObject ToolCall(ToolCall call, int? index)
    {
        var node = new JsonObject();
        if (index is { } i)
        {
            node["index"] = i;
        }

        node["id"] = call.Id;
        node["type"] = "function";
        node["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson };
        return node;
    }

    private static IEnumerable<string> Fragments(string json)
    {
        for (int i = 0; i < json.Length; i += 8)
        {
            yield return json.Substring(i, Math.Min(8, json.Length - i));
        }
    }

    private static JsonObject Usage(ModelAnswer answer) => new()
    {
        ["prompt_tokens"] = answer.PromptTokens,
        ["completion_tokens"] = answer.CompletionTokens,
        ["total_tokens"] = answer.PromptTokens + answer.CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0, ["audio_tokens"] = 0 },
    };
}

/// <summary>Anthropic Messages: <c>message</c> JSON and the <c>message_start</c> ... <c>message_stop</c> event sequence.</summary>
internal sealed class AnthropicWire : ProviderWire
{
    public static AnthropicWire Instance { get; } = new();

    public override string MissingKeyMessage => "x-api-key header is required";

    public override string Json(ModelAnswer answer) => Message(answer, answer.CompletionTokens, Content(answer), StopReason(answer)).ToJsonString(EmulatorJson.Options);

    public override IEnumerable<string> Stream(ModelAnswer answer, bool includeUsage)
    {
        yield return Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = Message(answer, 1, [], null) });
        int index = 0;
        if (answer.Reasoning is { } reasoning)
        {
            yield return Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" } });
            foreach (string piece in SimulatedModel.Chunks(reasoning))
            {
                yield return Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "thinking_delta", ["thinking"] = piece } });
            }

            yield return Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = Signature(reasoning) } });
            yield return Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        if (answer.Text is { } text)
        {
            yield return Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            yield return Event("ping", new JsonObject { ["type"] = "ping" });
            foreach (string piece in SimulatedModel.Chunks(text))
            {
                yield return Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } });
            }

            yield return Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        foreach (var call in answer.ToolCalls)
        {
            yield return Event("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = new JsonObject() },
            });
            yield return Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = call.ArgumentsJson } });
            yield return Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        yield return Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(answer), ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = answer.CompletionTokens },
        });
        yield return Event("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    public override string Error(int status, string message) => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = status switch { 401 => "authentication_error", 403 => "permission_error", 404 => "not_found_error", 429 => "rate_limit_error", 529 => "overloaded_error", >= 500 => "api_error", _ => "invalid_request_error" },
            ["message"] = message,
        },
        ["request_id"] = "req_emu" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{status}\n{message}")))[..20],
    }.ToJsonString(EmulatorJson.Options);

    public override string StreamError(string message) => Event("error", JsonNode.Parse(Error(529, message))!);

    private static string Event(string name, JsonNode data) => $"event: {name}\ndata: {data.ToJsonString(EmulatorJson.Options)}\n\n";

    private static string StopReason(ModelAnswer answer) => answer.FinishReason switch { "tool_calls" => "tool_use", "length" => "max_tokens", _ => "end_turn" };

    /// <summary>A stand-in for Anthropic's opaque signature: the same reasoning always gets the same one.</summary>
    private static string Signature(string reasoning) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("emulator-signature\n" + reasoning)));

    private static JsonArray Content(ModelAnswer answer)
    {
        var content = new JsonArray();
        if (answer.Reasoning is { } reasoning)
        {
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = reasoning, ["signature"] = Signature(reasoning) });
        }

        if (answer.Text is { } text)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }

        foreach (var call in answer.ToolCalls)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = JsonNode.Parse(call.ArgumentsJson) });
        }

        return content;
    }

    private static JsonObject Message(ModelAnswer answer, int outputTokens, JsonArray content, string? stopReason) => new()
    {
        ["id"] = "msg_" + answer.Id[^20..],
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = answer.Model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = answer.PromptTokens,
            ["cache_creation_input_tokens"] = 0,
            ["cache_read_input_tokens"] = 0,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = 0, ["ephemeral_1h_input_tokens"] = 0 },
            ["output_tokens"] = outputTokens,
            ["service_tier"] = "standard",
        },
    };
}

/// <summary>Workers AI native: the Cloudflare API envelope around <c>{response, usage}</c>, and <c>data: {"response": ...}</c> streams.</summary>
internal sealed class WorkersAiWire : ProviderWire
{
    public static WorkersAiWire Instance { get; } = new();

    public override string MissingKeyMessage => "Authentication error";

    public override string Json(ModelAnswer answer)
    {
        var result = new JsonObject { ["response"] = answer.Text };
        if (answer.ToolCalls.Count > 0)
        {
            result["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["arguments"] = JsonNode.Parse(c.ArgumentsJson) })]);
        }

        result["usage"] = Usage(answer);
        return new JsonObject { ["result"] = result, ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray() }.ToJsonString(EmulatorJson.Options);
    }

    public override IEnumerable<string> Stream(ModelAnswer answer, bool includeUsage)
    {
        foreach (string piece in SimulatedModel.Chunks(answer.Text ?? string.Empty))
        {
            yield return Data(new JsonObject { ["response"] = piece, ["p"] = "abc" });
        }

        yield return Data(new JsonObject { ["response"] = "", ["usage"] = Usage(answer) });
        yield return "data: [DONE]\n\n";
    }

    public override string Error(int status, string message) => new JsonObject
    {
        ["result"] = null,
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["code"] = status == 401 ? 10000 : 5006, ["message"] = message }),
        ["messages"] = new JsonArray(),
    }.ToJsonString(EmulatorJson.Options);

    private static JsonObject Usage(ModelAnswer answer) => new()
    {
        ["prompt_tokens"] = answer.PromptTokens,
        ["completion_tokens"] = answer.CompletionTokens,
        ["total_tokens"] = answer.PromptTokens + answer.CompletionTokens,
    };
}
