using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>The wire formats the built-in providers answer in.</summary>
internal enum WireFormat
{
    OpenAI,
    OpenAIEmbeddings,
    Anthropic,
    WorkersAiNative,
    OpenAIResponses,
}

/// <summary>One turn of a conversation, reduced to what the simulated model reads.</summary>
internal sealed record ChatTurn(string Role, string Text, string? ToolCallId = null);

/// <summary>A tool the caller offered.</summary>
internal sealed record ToolSpec(string Name, string? Description, JsonObject? Parameters);

/// <summary>A provider request, parsed from whichever format it arrived in.</summary>
internal sealed record ChatRequest(
    WireFormat Format,
    string Provider,
    string Model,
    IReadOnlyList<ChatTurn> Turns,
    IReadOnlyList<ToolSpec> Tools,
    bool Stream,
    bool IncludeUsage,
    int? MaxTokens,
    bool Thinking = false,
    bool EncryptedReasoning = false);

/// <summary>A tool call the simulated model makes.</summary>
internal sealed record ToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>The simulated model's answer, before it is written in a wire format.</summary>
internal sealed record ModelAnswer(string Id, string Model, long Created, string? Text, IReadOnlyList<ToolCall> ToolCalls, string FinishReason, int PromptTokens, int CompletionTokens)
{
    /// <summary>Gets the model's visible reasoning, when the request asked it to think (Anthropic's <c>thinking</c>).</summary>
    public string? Reasoning { get; init; }
}
