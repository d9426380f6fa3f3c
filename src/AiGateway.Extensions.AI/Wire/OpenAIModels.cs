using System.ClientModel.Primitives;
using OpenAI;

namespace AiGateway.Extensions.AI;

/// <summary>Reads OpenAI SDK models from JSON through the SDK's source-generated context (no reflection).</summary>
internal static class OpenAIModels
{
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
}
