using System.Net.ServerSentEvents;
using System.Text.Json;
using OpenAI.Chat;

namespace AiGateway.Extensions.AI;

/// <summary>One server-sent event of an OpenAI-format chat stream, classified as it is parsed.</summary>
internal readonly struct OpenAIStreamEvent
{
    private OpenAIStreamEvent(StreamingChatCompletionUpdate? update, byte[]? error, bool done, bool mayHaveReasoning)
    {
        Update = update;
        Error = error;
        IsDone = done;
        MayHaveReasoning = mayHaveReasoning;
    }

    public StreamingChatCompletionUpdate? Update { get; }

    /// <summary>Gets the raw error event, when the provider reported an error inside the stream.</summary>
    public byte[]? Error { get; }

    /// <summary>Gets a value indicating whether this is the <c>[DONE]</c> sentinel.</summary>
    public bool IsDone { get; }

    /// <summary>Gets a value indicating whether the event mentions a reasoning field, so only those are searched for one.</summary>
    public bool MayHaveReasoning { get; }

    /// <summary>Parses one event; SSE comments (OpenRouter's <c>: OPENROUTER PROCESSING</c>) never reach here.</summary>
    public static OpenAIStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return new(null, null, done: true, false);
        }

        if (eventType == "error" || (data.IndexOf("\"error\""u8) >= 0 && HasTopLevelError(data)))
        {
            return new(null, data.ToArray(), done: false, false);
        }

        ReadOnlySpan<byte> json = ProviderJsonNormalizer.Normalize(data) is { } normalized ? normalized : data;
        bool mayHaveReasoning = json.IndexOf("\"reasoning"u8) >= 0;

        // Reasoning lives in fields the SDK does not model, which only the BinaryData path keeps (in JsonPatch);
        // every other chunk is read straight from the SSE buffer.
        var update = mayHaveReasoning
            ? OpenAIModels.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(json.ToArray()))
            : OpenAIModels.ReadChunk(json);
        return new(update, null, done: false, mayHaveReasoning);
    }

    public static SseParser<OpenAIStreamEvent> CreateParser(Stream stream) => SseParser.Create(stream, Parse);

    private static bool HasTopLevelError(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                return reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}
