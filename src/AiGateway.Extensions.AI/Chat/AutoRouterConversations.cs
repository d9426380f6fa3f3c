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
/// A turn is keyed by its user message, the same instance in every request of the loop (the history grows after it),
/// and a remembered id is used only for that shape: the user message followed by assistant and tool messages alone. A
/// user message reused in another conversation (a cached prompt, a shared few-shot example) starts a new request with
/// nothing after it, so it never takes another conversation's session. The table is the client's own, not the process's,
/// and holds messages weakly: nothing is kept once the conversation's messages are gone, and no caller object is changed.
/// </remarks>
internal sealed class AutoRouterConversations
{
    private readonly ConditionalWeakTable<ChatMessage, string> _turns = [];

    /// <summary>The conversation id to use as the session on <paramref name="route"/>, or null (not an Auto Router route, or no conversation known).</summary>
    public string? For(AiGatewayRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (route.Settings.AutoRouter is null)
        {
            return null;
        }

        var (turn, continued) = LastUserMessage(messages);
        if (options?.ConversationId is { } conversationId)
        {
            if (turn is not null)
            {
                _turns.AddOrUpdate(turn, conversationId);
            }

            return conversationId;
        }

        return turn is not null && continued && _turns.TryGetValue(turn, out string? remembered) ? remembered : null;
    }

    /// <summary>The last user message, and whether only the model's answers and tool results follow it (a tool loop going on).</summary>
    private static (ChatMessage? Turn, bool Continued) LastUserMessage(IEnumerable<ChatMessage> messages)
    {
        IReadOnlyList<ChatMessage> list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role == ChatRole.User)
            {
                return (list[i], i < list.Count - 1);
            }

            if (list[i].Role != ChatRole.Assistant && list[i].Role != ChatRole.Tool)
            {
                return (null, false);
            }
        }

        return (null, false);
    }
}
