namespace AiGateway.Extensions.AI;

/// <summary>The request format a chat route speaks.</summary>
internal enum ChatWireFormat
{
    /// <summary>OpenAI chat completions, written by this package and read by Microsoft.Extensions.AI.OpenAI.</summary>
    OpenAIChatCompletions,

    /// <summary>Anthropic Messages (<c>v1/messages</c>), written and read by the Anthropic SDK's <c>IChatClient</c>.</summary>
    AnthropicMessages,

    /// <summary>OpenAI's Responses API (<c>responses</c>), written and read by Microsoft.Extensions.AI.OpenAI's Responses client.</summary>
    OpenAIResponses,
}
