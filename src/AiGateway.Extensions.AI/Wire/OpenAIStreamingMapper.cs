using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Maps the chunks of one OpenAI chat stream to <see cref="ChatResponseUpdate"/>s. One instance per stream: it keeps
/// the values that arrive once (role, finish reason, id, model, created time) and repeats them on later updates.
/// </summary>
internal sealed class OpenAIStreamingMapper
{
    private ChatRole? _role;
    private ChatFinishReason? _finishReason;
    private string? _responseId;
    private string? _modelId;
    private DateTimeOffset? _createdAt;

    /// <summary>Gets a value indicating whether a finish reason has arrived.</summary>
    public bool Finished => _finishReason is not null;

    public ChatResponseUpdate Map(StreamingChatCompletionUpdate chunk)
    {
        // A leading chunk with no choices (Azure's content-filter results) has empty id, model and time: keep the first real ones.
        _role ??= chunk.Role is { } role ? OpenAIChatResponseMapper.FromRole(role) : null;
        _finishReason ??= OpenAIChatResponseMapper.FromFinishReason(chunk.FinishReason);
        _responseId ??= NullIfEmpty(chunk.CompletionId);
        _modelId ??= NullIfEmpty(chunk.Model);
        _createdAt ??= chunk.CreatedAt == default ? null : chunk.CreatedAt;

        var update = new ChatResponseUpdate
        {
            ResponseId = _responseId,
            MessageId = _responseId,
            CreatedAt = _createdAt,
            ModelId = _modelId,
            Role = _role ?? ChatRole.Assistant,
            FinishReason = _finishReason,
            RawRepresentation = chunk,
        };

        foreach (var part in chunk.ContentUpdate)
        {
            if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                update.Contents.Add(new TextContent(part.Text) { RawRepresentation = part });
            }
        }

        if (chunk.Usage is { } usage)
        {
            update.Contents.Add(new UsageContent(OpenAIChatResponseMapper.FromUsage(usage)));
        }

        return update;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
