namespace AiGateway.Samples.WebApi;

/// <summary>The chat endpoint's settings (<c>Chat</c> section).</summary>
public sealed class ChatApiOptions
{
    /// <summary>Gets or sets the system prompt sent with every message.</summary>
    public string SystemPrompt { get; set; } = "You are a helpful assistant.";

    /// <summary>Gets or sets the largest request body accepted, in bytes.</summary>
    public int MaxRequestBytes { get; set; } = 32 * 1024;

    internal IEnumerable<string> Problems(string section)
    {
        if (string.IsNullOrWhiteSpace(SystemPrompt))
        {
            yield return $"{section}:SystemPrompt must not be empty.";
        }

        if (MaxRequestBytes < 1)
        {
            yield return $"{section}:MaxRequestBytes must be at least 1.";
        }
    }
}
