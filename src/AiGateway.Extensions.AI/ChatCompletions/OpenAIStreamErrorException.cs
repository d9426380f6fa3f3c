namespace AiGateway.Extensions.AI;

/// <summary>A provider reported an error inside a stream that had started (OpenRouter does when the upstream fails mid-answer).</summary>
internal sealed class OpenAIStreamErrorException(byte[] errorEvent) : Exception("The provider reported an error inside the stream.")
{
    /// <summary>Gets the error event's data.</summary>
    public byte[] ErrorEvent { get; } = errorEvent;
}
