using System.ClientModel.Primitives;
using OpenAI;

namespace AiGateway.Extensions.AI;

/// <summary>Reads OpenAI SDK models from JSON through the SDK's source-generated context (no reflection).</summary>
internal static class OpenAIModels
{
    /// <summary>
    /// An instance whose <see cref="IJsonModel{T}.Create"/> reads stream chunks straight from the SSE buffer, without
    /// copying each event. Fields the SDK does not model are not kept on this path (see <see cref="Read{T}"/>).
    /// </summary>
    private static readonly IJsonModel<OpenAI.Chat.StreamingChatCompletionUpdate> s_chunkModel =
        Read<OpenAI.Chat.StreamingChatCompletionUpdate>(BinaryData.FromString("{}"));

    public static OpenAI.Chat.StreamingChatCompletionUpdate ReadChunk(ReadOnlySpan<byte> json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        return s_chunkModel.Create(ref reader, ModelReaderWriterOptions.Json)
            ?? throw new InvalidDataException("A stream event was empty.");
    }

    public static T Read<T>(BinaryData json)
        where T : class
    {
#pragma warning disable OPENAI001 // OpenAIContext is the SDK's AOT-safe ModelReaderWriterContext.
        return ModelReaderWriter.Read<T>(json, ModelReaderWriterOptions.Json, OpenAIContext.Default)
            ?? throw new InvalidDataException("The response body was empty.");
#pragma warning restore OPENAI001
    }

    public static BinaryData Write<T>(T model)
        where T : class
    {
#pragma warning disable OPENAI001 // OpenAIContext is the SDK's AOT-safe ModelReaderWriterContext.
        return ModelReaderWriter.Write(model, ModelReaderWriterOptions.Json, OpenAIContext.Default);
#pragma warning restore OPENAI001
    }

    /// <summary>
    /// Writes an SDK model into a request body, compact: models that carry a JSON schema keep the schema's own
    /// formatting (Microsoft's conversion indents it), which would put padding into every request.
    /// </summary>
    public static void WriteCompact<T>(System.Text.Json.Utf8JsonWriter writer, T model)
        where T : class
    {
        using var document = System.Text.Json.JsonDocument.Parse(Write(model));
        document.RootElement.WriteTo(writer);
    }
}
