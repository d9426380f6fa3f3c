using Microsoft.Extensions.AI;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What a chat-completions request cannot carry, refused before anything is sent rather than dropped in silence (as
/// Microsoft's adapter drops it): hosted tools other than web search, content the format has no part for, and options
/// that belong to another API. What an answer carries and no request can take back (reasoning, usage, errors, the
/// record of a tool the provider ran) is left out as the adapter leaves it out, so a conversation that holds it goes on.
/// The completeness test over Microsoft.Extensions.AI.Abstractions holds this list to the adapter.
/// </summary>
internal static class ChatCompletionsSupport
{
    /// <exception cref="NotSupportedException">The request holds something chat completions cannot carry; the message names it and the route.</exception>
    public static void ThrowIfUnsupported(AiGatewayRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options is not null)
        {
            CheckOptions(route, options);
        }

        // Indexed: an interface's enumerator is an allocation on every request.
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (int i = 0; i < list.Count; i++)
        {
            CheckMessage(route, list[i]);
        }
    }

    private static void CheckMessage(AiGatewayRoute route, ChatMessage message)
    {
        if (message.RawRepresentation is OpenAI.Chat.ChatMessage)
        {
            return;
        }

        var contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (!IsSendable(contents[i]))
            {
                throw Refuse(route, contents[i].GetType().Name, ContentAdvice(contents[i]));
            }
        }
    }

    private static void CheckOptions(AiGatewayRoute route, ChatOptions options)
    {
        if (options.Tools is { Count: > 0 } tools)
        {
            for (int i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not (AIFunctionDeclaration or HostedWebSearchTool))
                {
                    throw Refuse(route, tools[i].GetType().Name, "chat completions has functions and web search only; hosted tools run on OpenAI's Responses API (route key Api: Responses on provider openai).");
                }
            }
        }

        // On an Auto Router route the conversation is the session (cf-aig-session-id); elsewhere there is no state to name.
        if (!string.IsNullOrEmpty(options.ConversationId) && route.Settings.AutoRouter is null)
        {
            throw Refuse(route, nameof(ChatOptions.ConversationId), "chat completions keeps no conversation state: send the whole history, or use OpenAI's Responses API (route key Api: Responses).");
        }

        if (options.TopK is not null)
        {
            throw Refuse(route, nameof(ChatOptions.TopK), "OpenAI's chat completions has no top_k; where the provider takes one, send it with WithExtraBody(\"top_k\", n) or the route's ExtraBody.");
        }

        if (options.AllowBackgroundResponses is true || options.ContinuationToken is not null)
        {
            throw Refuse(route, options.ContinuationToken is null ? nameof(ChatOptions.AllowBackgroundResponses) : nameof(ChatOptions.ContinuationToken),
                "background responses belong to OpenAI's Responses API (route key Api: Responses).");
        }
    }

    /// <summary>Whether chat completions carries the content, or leaves it out as an answer's artifact no request takes back.</summary>
    private static bool IsSendable(AIContent content) => content switch
    {
        { RawRepresentation: OpenAI.Chat.ChatMessageContentPart } => true,
        TextContent or FunctionCallContent or FunctionResultContent or HostedFileContent => true,
        DataContent data => data.HasTopLevelMediaType("image") || data.MediaType.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase) ||
            data.MediaType.Equals("audio/mpeg", StringComparison.OrdinalIgnoreCase) || data.MediaType.Equals("audio/wav", StringComparison.OrdinalIgnoreCase),
        UriContent uri => uri.HasTopLevelMediaType("image"),

        // An answer's artifacts: reasoning, usage, errors, approval requests, the record of a tool the provider ran.
        TextReasoningContent or UsageContent or ErrorContent or ToolApprovalRequestContent or ToolCallContent or ToolResultContent => true,
        HostedVectorStoreContent or ToolApprovalResponseContent => false,
        _ => content.GetType() == typeof(AIContent),
    };

    private static string ContentAdvice(AIContent content) => content switch
    {
        DataContent data => $"chat completions takes images, PDF, and mp3 or wav audio, not '{data.MediaType}'; send text as TextContent.",
        UriContent uri => $"chat completions takes image URLs only, not '{uri.MediaType}'.",
        HostedVectorStoreContent => "vector stores are searched by the Responses API's file search (route key Api: Responses).",
        ToolApprovalResponseContent => "chat completions has no tool approvals; Microsoft's function invocation answers approvals before a request is sent.",
        _ => "chat completions has no part for it.",
    };

    private static NotSupportedException Refuse(AiGatewayRoute route, string what, string why) =>
        new($"{what} cannot be sent on the chat-completions route {route.Provider.Slug}/{route.Model} ({route.ConfigurationPath}): {why}");
}
