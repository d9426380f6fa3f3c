using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The conversation an Auto Router request belongs to, for its session id when the request names none: the request's
/// <see cref="ChatOptions.ConversationId"/>, remembered for the rest of its turn. Microsoft's
/// <c>FunctionInvokingChatClient</c> sends each next request of a tool loop with the answer's conversation id, which a
/// chat-completions answer never has, so without this the loop's later requests would lose their session and could
/// land on another model.
/// </summary>
/// <remarks>
/// A turn is keyed by its user message, the same instance in every request of the loop (the history grows after it).
/// The table holds it weakly: nothing is kept once the conversation's messages are gone, and no caller object is changed.
/// </remarks>
internal static class AutoRouterConversations
{
    private static readonly ConditionalWeakTable<ChatMessage, string> s_turns = [];

    /// <summary>The conversation id to use as the session on <paramref name="route"/>, or null (not an Auto Router route, or no conversation known).</summary>
    public static string? For(AiGatewayRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (route.Settings.AutoRouter is null)
        {
            return null;
        }

        var turn = LastUserMessage(messages);
        if (options?.ConversationId is { } conversationId)
        {
            if (turn is not null)
            {
                s_turns.AddOrUpdate(turn, conversationId);
            }

            return conversationId;
        }

        return turn is not null && s_turns.TryGetValue(turn, out string? remembered) ? remembered : null;
    }

    private static ChatMessage? LastUserMessage(IEnumerable<ChatMessage> messages)
    {
        if (messages is IReadOnlyList<ChatMessage> list)
        {
            for (int i = list.Count - 1; i >= 0; i--)
            {
                if (list[i].Role == ChatRole.User)
                {
                    return list[i];
                }
            }

            return null;
        }

        return messages.LastOrDefault(m => m.Role == ChatRole.User);
    }
}
