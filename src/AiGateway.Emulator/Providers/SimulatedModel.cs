using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// A deterministic stand-in for a language model: the same request always gets the same answer, with usage counted
/// from the text. It knows a few facts, echoes anything else, calls a tool when tools are offered and the prompt asks
/// for one (names it, uses a word of its name such as "time" for get_current_time, or says "use the tool"), and answers from the tool's result once it is sent back.
/// </summary>
internal static class SimulatedModel
{
    private static readonly (string Question, string Answer)[] s_facts =
    [
        ("capital of france", "The capital of France is Paris."),
        ("capital of spain", "The capital of Spain is Madrid."),
        ("capital of japan", "The capital of Japan is Tokyo."),
        ("haiku", "Quiet gateway hums,\nrequests drift like autumn leaves,\ncached answers return."),
        ("2+2", "2 + 2 = 4."),
    ];

    public static ModelAnswer Answer(ChatRequest request, DateTimeOffset now)
    {
        var answer = Think(request, now);
        return request.Thinking
            ? answer with { Reasoning = $"The question is answered from what I know; {answer.ToolCalls.Count} tool call(s) needed." }
            : answer;
    }

    private static ModelAnswer Think(ChatRequest request, DateTimeOffset now)
    {
        // The same conversation gets the same id whether it is streamed or not.
        string fingerprint = string.Join('\u0001', request.Turns.Select(t => $"{t.Role}\u0002{t.Text}\u0002{t.ToolCallId}")) +
            "\u0003" + request.Provider + "\u0003" + request.Model + "\u0003" + string.Join(',', request.Tools.Select(t => t.Name));
        string id = "chatcmpl-emu" + Hash(fingerprint)[..20];
        long created = now.ToUnixTimeSeconds();
        int promptTokens = request.Turns.Sum(t => CountTokens(t.Text) + 4) + request.Tools.Sum(t => CountTokens(t.Name + t.Description) + 8);

        var last = request.Turns.Count > 0 ? request.Turns[^1] : null;
        if (last is { Role: "tool" })
        {
            string text = $"The tool answered: {last.Text}";
            return Finish(id, request, created, text, [], promptTokens);
        }

        string prompt = request.Turns.LastOrDefault(t => t.Role == "user")?.Text ?? string.Empty;
        if (request.Tools.Count > 0 && WantsTool(prompt, request.Tools) is { } tool)
        {
            var call = new ToolCall("call_" + Hash(id + tool.Name)[..24], tool.Name, BuildArguments(tool, prompt));
            return new ModelAnswer(id, request.Model, created, null, [call], "tool_calls", promptTokens, CountTokens(call.ArgumentsJson) + 8);
        }

        string answer = s_facts.FirstOrDefault(f => prompt.Contains(f.Question, StringComparison.OrdinalIgnoreCase)).Answer
            ?? $"You said: \"{prompt}\". This answer comes from the AI Gateway emulator's {request.Provider} model {request.Model}.";
        return Finish(id, request, created, answer, [], promptTokens);
    }

    /// <summary>Splits an answer into stream chunks of one word each (spaces kept), as providers stream tokens.</summary>
    public static IEnumerable<string> Chunks(string text)
    {
        int start = 0;
        for (int i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ' ' && text[i - 1] != ' '))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    public static int CountTokens(string? text) => string.IsNullOrEmpty(text) ? 0 : Math.Max(1, (text.Length + 3) / 4);

    private static ModelAnswer Finish(string id, ChatRequest request, long created, string text, IReadOnlyList<ToolCall> calls, int promptTokens)
    {
        string finish = "stop";
        if (request.MaxTokens is { } max && CountTokens(text) > max)
        {
            text = text[..Math.Min(text.Length, Math.Max(1, max * 4))];
            finish = "length";
        }

        return new ModelAnswer(id, request.Model, created, text, calls, finish, promptTokens, CountTokens(text));
    }

    private static ToolSpec? WantsTool(string prompt, IReadOnlyList<ToolSpec> tools)
    {
        var named = tools.FirstOrDefault(t => prompt.Contains(t.Name, StringComparison.OrdinalIgnoreCase))
            ?? tools.FirstOrDefault(t => NameWords(t.Name).Any(w => PromptWords(prompt).Contains(w, StringComparer.OrdinalIgnoreCase)));
        if (named is not null)
        {
            return named;
        }

        string[] cues = ["use the tool", "use a tool", "call the", "weather", "look up", "lookup"];
        return cues.Any(c => prompt.Contains(c, StringComparison.OrdinalIgnoreCase)) ? tools[0] : null;
    }

    /// <summary>The words of a tool name worth matching (<c>get_current_time</c>: current, time).</summary>
    private static IEnumerable<string> NameWords(string name) =>
        name.Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4);

    private static string[] PromptWords(string prompt) =>
        prompt.Split([' ', '?', '!', '.', ',', ';', ':', '"', '\''], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Fills each schema property: strings with the prompt's last capitalised word, numbers with 1, booleans with true.</summary>
    private static string BuildArguments(ToolSpec tool, string prompt)
    {
        string word = prompt.Split([' ', '?', '!', '.', ','], StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).LastOrDefault(w => char.IsUpper(w[0])) ?? "Paris";
        var arguments = new JsonObject();
        if (tool.Parameters?["properties"] is JsonObject properties)
        {
            foreach (var (name, schema) in properties)
            {
                arguments[name] = (schema?["type"]?.GetValue<string>()) switch
                {
                    "number" or "integer" => 1,
                    "boolean" => true,
                    _ => word,
                };
            }
        }

        return arguments.ToJsonString(EmulatorJson.Options);
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
