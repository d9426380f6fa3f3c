using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAIFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AiGateway.Extensions.AI;

/// <summary>Maps OpenAI SDK chat results to Microsoft.Extensions.AI types, as Microsoft's OpenAI adapter does.</summary>
internal static class OpenAIChatResponseMapper
{
    private static readonly ChatRole s_developer = new("developer");

    public static ChatResponse FromCompletion(ChatCompletion completion)
    {
        var createdAt = Timestamp(completion.CreatedAt);
        var message = new ChatMessage
        {
            Role = FromRole(completion.Role),
            MessageId = completion.Id,
            CreatedAt = createdAt,
            RawRepresentation = completion,
        };

        AddContentParts(completion.Content, message.Contents);
        if (TryGetReasoning(completion, out string? reasoning))
        {
            message.Contents.Add(new TextReasoningContent(reasoning));
        }

        foreach (var toolCall in completion.ToolCalls)
        {
            if (!string.IsNullOrWhiteSpace(toolCall.FunctionName))
            {
                var call = ParseCall(toolCall.FunctionArguments?.ToString(), toolCall.Id, toolCall.FunctionName);
                call.RawRepresentation = toolCall;
                message.Contents.Add(call);
            }
        }

        if (completion.Refusal is { } refusal)
        {
            message.Contents.Add(new ErrorContent(refusal) { ErrorCode = "Refusal" });
        }

#pragma warning disable OPENAI001 // Annotations are experimental in the SDK.
        if (completion.Annotations is { Count: > 0 } annotations)
        {
            AddAnnotations(annotations, message);
        }
#pragma warning restore OPENAI001

        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = createdAt,
            FinishReason = FromFinishReason(completion.FinishReason),
            Usage = completion.Usage is { } usage ? FromUsage(usage) : null,
            RawRepresentation = completion,
        };
    }

    public static void AddContentParts(ChatMessageContent parts, IList<AIContent> contents)
    {
        foreach (var part in parts)
        {
            if (ToAIContent(part) is { } content)
            {
                contents.Add(content);
            }
        }
    }

    /// <summary>
    /// Parses a tool call's arguments. Malformed JSON becomes the call's <see cref="FunctionCallContent.Exception"/>,
    /// not a crash; empty arguments (<c>""</c>, which some providers stream for argument-less tools) mean no arguments.
    /// </summary>
    public static FunctionCallContent ParseCall(string? argumentsJson, string callId, string name) =>
        string.IsNullOrWhiteSpace(argumentsJson)
            ? new FunctionCallContent(callId, name)
            : FunctionCallContent.CreateFromParsedArguments(argumentsJson, callId, name, static json =>
                JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<IDictionary<string, object?>>)
                    AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));

    /// <summary>Reads DeepSeek's <c>reasoning_content</c> or Groq's and OpenRouter's <c>reasoning</c> from fields the SDK does not model.</summary>
    public static bool TryGetReasoning(ChatCompletion completion, [NotNullWhen(true)] out string? reasoning)
    {
#pragma warning disable SCME0001 // JsonPatch holds the fields the SDK does not model; it is how the adapter reads reasoning too.
        return (completion.Patch.TryGetValue("$.choices[0].message.reasoning_content"u8, out reasoning) && !string.IsNullOrEmpty(reasoning)) ||
            (completion.Patch.TryGetValue("$.choices[0].message.reasoning"u8, out reasoning) && !string.IsNullOrEmpty(reasoning));
#pragma warning restore SCME0001
    }

    /// <inheritdoc cref="TryGetReasoning(ChatCompletion, out string?)"/>
    public static bool TryGetReasoning(StreamingChatCompletionUpdate update, [NotNullWhen(true)] out string? reasoning)
    {
#pragma warning disable SCME0001
        return (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out reasoning) && !string.IsNullOrEmpty(reasoning)) ||
            (update.Patch.TryGetValue("$.choices[0].delta.reasoning"u8, out reasoning) && !string.IsNullOrEmpty(reasoning));
#pragma warning restore SCME0001
    }

    public static ChatRole FromRole(ChatMessageRole role) => role switch
    {
        ChatMessageRole.System => ChatRole.System,
        ChatMessageRole.User => ChatRole.User,
        ChatMessageRole.Assistant => ChatRole.Assistant,
        ChatMessageRole.Tool => ChatRole.Tool,
#pragma warning disable OPENAI001 // The developer role is experimental in the SDK.
        ChatMessageRole.Developer => s_developer,
#pragma warning restore OPENAI001
        _ => new ChatRole(role.ToString()),
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

    /// <summary>
    /// Usage as the adapter reports it: cached and reasoning tokens as properties, the rest in <c>AdditionalCounts</c>
    /// under the adapter's keys. Unlike the adapter, counts of zero are left out (they say nothing, and most answers
    /// would otherwise carry a dictionary of four zeros).
    /// </summary>
    public static UsageDetails FromUsage(ChatTokenUsage usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokenCount,
            OutputTokenCount = usage.OutputTokenCount,
            TotalTokenCount = usage.TotalTokenCount,
            CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
            ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
        };

        AddCount(details, "InputTokenDetails.AudioTokenCount", usage.InputTokenDetails?.AudioTokenCount);
        AddCount(details, "OutputTokenDetails.AudioTokenCount", usage.OutputTokenDetails?.AudioTokenCount);
#pragma warning disable OPENAI001 // Prediction token counts are experimental in the SDK.
        AddCount(details, "OutputTokenDetails.AcceptedPredictionTokenCount", usage.OutputTokenDetails?.AcceptedPredictionTokenCount);
        AddCount(details, "OutputTokenDetails.RejectedPredictionTokenCount", usage.OutputTokenDetails?.RejectedPredictionTokenCount);
#pragma warning restore OPENAI001
        return details;
    }

    private static void AddCount(UsageDetails details, string key, int? count)
    {
        if (count is > 0)
        {
            (details.AdditionalCounts ??= [])[key] = count.Value;
        }
    }

    /// <summary>Providers that send no time send <c>0</c> (the Unix epoch); both mean "unknown".</summary>
    public static DateTimeOffset? Timestamp(DateTimeOffset value) =>
        value == default || value == DateTimeOffset.UnixEpoch ? null : value;

    public static AIContent? ToAIContent(ChatMessageContentPart part)
    {
        AIContent? content = part.Kind switch
        {
            ChatMessageContentPartKind.Text => new TextContent(part.Text),
            ChatMessageContentPartKind.Image when part.ImageUri is not null => new UriContent(part.ImageUri, "image/*"),
            ChatMessageContentPartKind.Image when part.ImageBytes is not null => new DataContent(part.ImageBytes.ToMemory(), part.ImageBytesMediaType),
#pragma warning disable OPENAI001 // File parts are experimental in the SDK.
            ChatMessageContentPartKind.File when part.FileId is not null => new HostedFileContent(part.FileId) { Name = part.Filename },
            ChatMessageContentPartKind.File when part.FileBytes is not null => new DataContent(part.FileBytes.ToMemory(), part.FileBytesMediaType) { Name = part.Filename },
#pragma warning restore OPENAI001
            _ => null,
        };

        if (content is null)
        {
            return null;
        }

        if (part.Kind == ChatMessageContentPartKind.Image && part.ImageDetailLevel?.ToString() is { } detail)
        {
            (content.AdditionalProperties ??= [])["ImageDetailLevel"] = detail;
        }

        if (part.Refusal is { } refusal)
        {
            (content.AdditionalProperties ??= [])["Refusal"] = refusal;
        }

        content.RawRepresentation = part;
        return content;
    }

#pragma warning disable OPENAI001 // Annotations are experimental in the SDK.
    /// <summary>Message-level annotations go on the first text content (or a dedicated empty one), as the adapter does.</summary>
    private static void AddAnnotations(IReadOnlyList<ChatMessageAnnotation> annotations, ChatMessage message)
    {
        var text = message.Contents.OfType<TextContent>().FirstOrDefault();
        if (text is null)
        {
            text = new TextContent(null);
            message.Contents.Add(text);
        }

        foreach (var annotation in annotations)
        {
            (text.Annotations ??= []).Add(new CitationAnnotation
            {
                RawRepresentation = annotation,
                AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = annotation.StartIndex, EndIndex = annotation.EndIndex }],
                Title = annotation.WebResourceTitle,
                Url = annotation.WebResourceUri,
            });
        }
    }
#pragma warning restore OPENAI001
}
