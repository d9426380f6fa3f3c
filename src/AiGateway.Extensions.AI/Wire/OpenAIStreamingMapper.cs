using System.Text;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Maps the chunks of one OpenAI chat stream to <see cref="ChatResponseUpdate"/>s. One instance per stream: it keeps
/// the values that arrive once (role, finish reason, id, model, created time), reassembles tool-call fragments, and
/// collects refusal text, all emitted in one closing update by <see cref="Complete"/>.
/// </summary>
internal sealed class OpenAIStreamingMapper
{
    private ChatRole? _role;
    private ChatFinishReason? _finishReason;
    private string? _responseId;
    private string? _modelId;
    private DateTimeOffset? _createdAt;
    private SortedDictionary<int, ToolCallFragments>? _toolCalls;
    private StringBuilder? _refusal;

    /// <summary>Gets a value indicating whether a finish reason has arrived.</summary>
    public bool Finished => _finishReason is not null;

    public ChatResponseUpdate Map(in OpenAIStreamEvent item)
    {
        var chunk = item.Update!;

        // A leading chunk with no choices (Azure's content-filter results) has empty id, model and time: keep the first real ones.
        _role ??= chunk.Role is { } role ? OpenAIChatResponseMapper.FromRole(role) : null;
        _finishReason ??= OpenAIChatResponseMapper.FromFinishReason(chunk.FinishReason);
        _responseId ??= NullIfEmpty(chunk.CompletionId);
        _modelId ??= NullIfEmpty(chunk.Model);
        _createdAt ??= OpenAIChatResponseMapper.Timestamp(chunk.CreatedAt);

        var update = NewUpdate();
        update.RawRepresentation = chunk;
        var parts = chunk.ContentUpdate;
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            // Empty text deltas carry nothing; skipping them saves an allocation per chunk and coalesces the same.
            if ((part.Kind != ChatMessageContentPartKind.Text || !string.IsNullOrEmpty(part.Text)) &&
                OpenAIChatResponseMapper.ToAIContent(part) is { } content)
            {
                update.Contents.Add(content);
            }
        }

        if (item.MayHaveReasoning && OpenAIChatResponseMapper.TryGetReasoning(chunk, out string? reasoning))
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
            var fragments = (_toolCalls ??= []).TryGetValue(toolCall.Index, out var existing) ? existing : _toolCalls[toolCall.Index] = new();
            fragments.CallId ??= NullIfEmpty(toolCall.ToolCallId);
            fragments.Name ??= NullIfEmpty(toolCall.FunctionName);
            if (toolCall.FunctionArgumentsUpdate is { } arguments && !arguments.ToMemory().IsEmpty)
            {
                (fragments.Arguments ??= new()).Append(arguments.ToString());
            }
        }

        if (chunk.Usage is { } usage)
        {
            update.Contents.Add(new UsageContent(OpenAIChatResponseMapper.FromUsage(usage)) { RawRepresentation = usage });
        }

        return update;
    }

    /// <summary>
    /// The closing update with the reassembled tool calls and any refusal, or <see langword="null"/> when there are
    /// none. Unlike Microsoft's adapter, a streamed refusal is kept even when no tool was called.
    /// </summary>
    public ChatResponseUpdate? Complete()
    {
        if (_toolCalls is null && _refusal is null)
        {
            return null;
        }

        var update = NewUpdate();
        foreach (var fragments in _toolCalls?.Values ?? Enumerable.Empty<ToolCallFragments>())
        {
            if (!string.IsNullOrWhiteSpace(fragments.Name))
            {
                update.Contents.Add(OpenAIChatResponseMapper.ParseCall(fragments.Arguments?.ToString(), fragments.CallId ?? string.Empty, fragments.Name));
            }
        }

        if (_refusal is not null)
        {
            update.Contents.Add(new ErrorContent(_refusal.ToString()) { ErrorCode = "Refusal" });
        }

        return update;
    }

    private ChatResponseUpdate NewUpdate() => new()
    {
        ResponseId = _responseId,
        MessageId = _responseId,
        CreatedAt = _createdAt,
        ModelId = _modelId,
        Role = _role ?? ChatRole.Assistant,
        FinishReason = _finishReason,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class ToolCallFragments
    {
        public string? CallId { get; set; }

        public string? Name { get; set; }

        public StringBuilder? Arguments { get; set; }
    }
}
