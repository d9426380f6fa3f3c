using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI.Chat;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Reads an OpenAI-format chat stream (server-sent events) into the SDK's chunks, for Microsoft.Extensions.AI.OpenAI
/// to map. Stops at <c>[DONE]</c>; SSE comments (OpenRouter's <c>: OPENROUTER PROCESSING</c>) never reach here.
/// </summary>
/// <remarks>
/// Failures are raw, for the client to classify: <see cref="StreamErrorEventException"/> for an error event inside
/// the stream, <see cref="InvalidDataException"/> for an event that cannot be read or is larger than the limit,
/// <see cref="IOException"/> for a stream that ends before the answer does. Network failures pass through as the transport raised them.
/// </remarks>
internal static class OpenAIStreamReader
{
    private static readonly SseItemParser<(StreamingChatCompletionUpdate?, bool)> s_parseNormalized = static (type, data) => Parse(type, data, normalize: true);
    private static readonly SseItemParser<(StreamingChatCompletionUpdate?, bool)> s_parseAsSent = static (type, data) => Parse(type, data, normalize: false);

    /// <param name="stream">The answer's event stream.</param>
    /// <param name="maxEventLength">The largest event read.</param>
    /// <param name="fixups">The stream's fix-ups.</param>
    /// <param name="normalize">Whether the provider's deviations may need rewriting first (<see cref="ProviderJsonNormalizer.IsNeededFor"/>).</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async IAsyncEnumerable<StreamingChatCompletionUpdate> ReadAsync(
        Stream stream, long maxEventLength, OpenAIResponseFixups fixups, bool normalize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool finished = false;
        // The route pipeline guards an event stream it recognises by its Content-Type; one without it is guarded here.
        await foreach (var item in SseParser.Create(stream as EventStreamGuard ?? new EventStreamGuard(stream, maxEventLength), normalize ? s_parseNormalized : s_parseAsSent).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var (chunk, mentionsReasoning) = item.Data;
            if (chunk is null)
            {
                yield break;
            }

            if (mentionsReasoning)
            {
                fixups.MentionsReasoning(chunk);
            }

            finished |= chunk.FinishReason is not null;
            yield return chunk;
        }

        // A stream that ends without [DONE] or a finish reason was cut off, even if the connection closed cleanly.
        if (!finished)
        {
            throw new IOException("The stream ended before the answer was complete.");
        }
    }

    /// <summary>Parses one event: a chunk (and whether it mentions reasoning), or null for the <c>[DONE]</c> sentinel.</summary>
    private static (StreamingChatCompletionUpdate? Chunk, bool MentionsReasoning) Parse(string eventType, ReadOnlySpan<byte> data, bool normalize)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return (null, false);
        }

        if (eventType == "error" || (data.IndexOf("\"error\""u8) >= 0 && HasTopLevelError(data)))
        {
            throw new StreamErrorEventException(data.ToArray());
        }

        try
        {
            ReadOnlySpan<byte> json = normalize && ProviderJsonNormalizer.Normalize(data) is { } normalized ? normalized : data;

            // Reasoning lives in fields the SDK does not model, which only the BinaryData path keeps (in JsonPatch);
            // every other chunk is read straight from the SSE buffer.
            return json.IndexOf("\"reasoning"u8) >= 0
                ? (OpenAIModels.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(json.ToArray())), true)
                : (OpenAIModels.ReadChunk(json), false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the SDK throws while interpreting the provider's bytes means the event could not be read.
            throw new InvalidDataException("A stream event is not a chat-completion chunk: " + e.Message, e);
        }
    }

    private static bool HasTopLevelError(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        try
        {
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
        }
        catch (JsonException)
        {
            // Not JSON: the chunk parser reports it.
        }

        return false;
    }
}
