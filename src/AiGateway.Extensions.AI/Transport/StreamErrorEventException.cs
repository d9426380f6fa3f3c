namespace AiGateway.Extensions.AI;

/// <summary>
/// A provider reported an error inside a stream that had started: an OpenAI-format <c>{"error": ...}</c> event
/// (OpenRouter sends one when the upstream fails mid-answer) or Anthropic's <c>event: error</c>.
/// </summary>
internal sealed class StreamErrorEventException(byte[] errorEvent) : Exception("The provider reported an error inside the stream.")
{
    /// <summary>Gets the error event's data (JSON).</summary>
    public byte[] ErrorEvent { get; } = errorEvent;
}
