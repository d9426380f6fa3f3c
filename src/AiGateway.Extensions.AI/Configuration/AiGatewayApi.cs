namespace AiGateway.Extensions.AI;

/// <summary>The OpenAI-format API a chat route speaks (route key <c>Api</c>).</summary>
public enum AiGatewayApi
{
    /// <summary>
    /// The provider's chat API: chat completions (<c>{gateway}/{provider}/.../chat/completions</c>, or the REST form's
    /// <c>/ai/v1/chat/completions</c>), and Anthropic's Messages API on <c>anthropic</c>. Every provider has it.
    /// </summary>
    ChatCompletions = 0,

    /// <summary>
    /// OpenAI's Responses API (<c>{gateway}/openai/responses</c>, or the REST form's <c>/ai/v1/responses</c> with model
    /// <c>openai/...</c>): reasoning items, hosted tools, conversation state and background responses, through
    /// Microsoft.Extensions.AI.OpenAI's Responses client. Only the <c>openai</c> provider has it.
    /// </summary>
    Responses = 1,
}
