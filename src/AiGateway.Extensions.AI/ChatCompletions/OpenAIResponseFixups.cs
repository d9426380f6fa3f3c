using System.Text;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What this package adds to Microsoft.Extensions.AI.OpenAI's mapping, each a measured gap in the adapter (10.11):
/// <list type="bullet">
/// <item>reasoning in the <c>reasoning</c> field (Groq, OpenRouter); the adapter reads only <c>reasoning_content</c>;</item>
/// <item>a tool call with <c>""</c> arguments is a call without arguments, not a parse failure;</item>
/// <item>a streamed refusal is kept when no tool was called (the adapter keeps it only beside tool calls).</item>
/// </list>
/// One instance per stream; the static overload fixes a whole answer.
/// </summary>
internal sealed class OpenAIResponseFixups
{
    private Dictionary<int, ToolCallArguments>? _toolCalls;
    private StringBuilder? _refusal;
    private HashSet<StreamingChatCompletionUpdate>? _mentionReasoning;

    /// <summary>Completes a non-streaming answer mapped by the adapter.</summary>
    /// <param name="response">The adapter's answer.</param>
    /// <param name="completion">The SDK's completion it was mapped from.</param>
    /// <param name="mentionsReasoning">Whether the body mentions a <c>reasoning</c> field, so only those are searched for one.</param>
    public static void Apply(ChatResponse response, ChatCompletion completion, bool mentionsReasoning)
    {
        if (response.Messages is not [var message, ..])
        {
            return;
        }

        if (mentionsReasoning && !HasReasoning(message.Contents) && TryGetReasoning(completion, out string? reasoning))
        {
            message.Contents.Add(new TextReasoningContent(reasoning));
        }

        var contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent { Exception: not null, RawRepresentation: ChatToolCall call } parsed &&
                IsEmpty(call.FunctionArguments?.ToString()))
            {
                parsed.Exception = null;
            }
        }
    }

    /// <summary>Notes a chunk whose event mentions a <c>reasoning</c> field (the reader sees the bytes), so only those are searched for one.</summary>
    public void MentionsReasoning(StreamingChatCompletionUpdate chunk) => (_mentionReasoning ??= new(ReferenceEqualityComparer.Instance)).Add(chunk);

    /// <summary>Completes one streamed update mapped by the adapter, remembering what the stream's end needs.</summary>
    public void Apply(ChatResponseUpdate update)
    {
        if (update.RawRepresentation is not StreamingChatCompletionUpdate chunk)
        {
            // The adapter's closing update holds the reassembled tool calls.
            FixEmptyArguments(update.Contents);
            return;
        }

        if (_mentionReasoning?.Remove(chunk) is true && !HasReasoning(update.Contents) && TryGetReasoning(chunk, out string? reasoning))
        {
            update.Contents.Add(new TextReasoningContent(reasoning));
        }

        if (chunk.RefusalUpdate is { Length: > 0 } refusal)
        {
            (_refusal ??= new()).Append(refusal);
        }

        var toolCalls = chunk.ToolCallUpdates;
        for (int i = 0; i < toolCalls.Count; i++)
        {
            var toolCall = toolCalls[i];
            _toolCalls ??= [];
            if (!_toolCalls.TryGetValue(toolCall.Index, out var arguments))
            {
                _toolCalls[toolCall.Index] = arguments = new();
            }

            arguments.CallId ??= string.IsNullOrEmpty(toolCall.ToolCallId) ? null : toolCall.ToolCallId;
            arguments.Any |= toolCall.FunctionArgumentsUpdate is { } fragment && !IsEmpty(fragment.ToString());
        }
    }

    /// <summary>A closing update with the refusal, when the stream refused without calling a tool; otherwise null.</summary>
    public ChatResponseUpdate? Complete(ChatResponseUpdate? last)
    {
        if (_refusal is null || _toolCalls is not null)
        {
            return null;
        }

        return new ChatResponseUpdate(last?.Role ?? ChatRole.Assistant, [new ErrorContent(_refusal.ToString()) { ErrorCode = "Refusal" }])
        {
            ResponseId = last?.ResponseId,
            MessageId = last?.MessageId,
            ModelId = last?.ModelId,
            CreatedAt = last?.CreatedAt,
            FinishReason = last?.FinishReason,
        };
    }

    private void FixEmptyArguments(IList<AIContent> contents)
    {
        if (_toolCalls is null)
        {
            return;
        }

        foreach (var content in contents)
        {
            if (content is FunctionCallContent { Exception: not null } call &&
                _toolCalls.Values.Any(a => !a.Any && string.Equals(a.CallId, call.CallId, StringComparison.Ordinal)))
            {
                call.Exception = null;
            }
        }
    }

    private static bool HasReasoning(IList<AIContent> contents)
    {
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextReasoningContent)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEmpty(string? arguments) => string.IsNullOrWhiteSpace(arguments);

#pragma warning disable SCME0001 // JsonPatch keeps the fields the SDK does not model; the adapter reads reasoning_content from it too.
    private static bool TryGetReasoning(ChatCompletion completion, out string reasoning) =>
        completion.Patch.TryGetValue("$.choices[0].message.reasoning"u8, out reasoning!) && !string.IsNullOrEmpty(reasoning);

    private static bool TryGetReasoning(StreamingChatCompletionUpdate chunk, out string reasoning) =>
        chunk.Patch.TryGetValue("$.choices[0].delta.reasoning"u8, out reasoning!) && !string.IsNullOrEmpty(reasoning);
#pragma warning restore SCME0001

    private sealed class ToolCallArguments
    {
        public string? CallId { get; set; }

        public bool Any { get; set; }
    }
}
