using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAIFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AiGateway.Extensions.AI;

/// <summary>Maps OpenAI SDK chat results to Microsoft.Extensions.AI types, as Microsoft's OpenAI adapter does.</summary>
internal static class OpenAIChatResponseMapper
{
    public static ChatResponse FromCompletion(ChatCompletion completion)
    {
        var message = new ChatMessage
        {
            Role = FromRole(completion.Role),
            MessageId = completion.Id,
            RawRepresentation = completion,
        };

        foreach (var part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text)
            {
                message.Contents.Add(new TextContent(part.Text) { RawRepresentation = part });
            }
        }

        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt == default ? null : completion.CreatedAt,
            FinishReason = FromFinishReason(completion.FinishReason),
            Usage = completion.Usage is { } usage ? FromUsage(usage) : null,
            RawRepresentation = completion,
        };
    }

    public static ChatRole FromRole(ChatMessageRole role) => role switch
    {
        ChatMessageRole.System => ChatRole.System,
        ChatMessageRole.User => ChatRole.User,
        ChatMessageRole.Tool => ChatRole.Tool,
#pragma warning disable OPENAI001 // The developer role is experimental in the SDK.
        ChatMessageRole.Developer => new ChatRole("developer"),
#pragma warning restore OPENAI001
        _ => ChatRole.Assistant,
    };

    public static ChatFinishReason? FromFinishReason(OpenAIFinishReason? reason) => reason switch
    {
        null => null,
        OpenAIFinishReason.Stop => ChatFinishReason.Stop,
        OpenAIFinishReason.Length => ChatFinishReason.Length,
        OpenAIFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        OpenAIFinishReason.ToolCalls or OpenAIFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason.ToString()!),
    };

#pragma warning disable MEAI001 // Audio token counts are experimental in Microsoft.Extensions.AI.
    public static UsageDetails FromUsage(ChatTokenUsage usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokenCount,
            OutputTokenCount = usage.OutputTokenCount,
            TotalTokenCount = usage.TotalTokenCount,
        };

        if (usage.InputTokenDetails is { } input)
        {
            details.CachedInputTokenCount = input.CachedTokenCount;
            if (input.AudioTokenCount > 0)
            {
                details.InputAudioTokenCount = input.AudioTokenCount;
            }
        }

        if (usage.OutputTokenDetails is { } output)
        {
            details.ReasoningTokenCount = output.ReasoningTokenCount;
            if (output.AudioTokenCount > 0)
            {
                details.OutputAudioTokenCount = output.AudioTokenCount;
            }
        }

        return details;
    }
#pragma warning restore MEAI001
}
