using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Reads a non-streaming OpenAI-format answer: provider deviations are normalised below the SDK's types, the body is
/// read into the SDK's <see cref="ChatCompletion"/>, and Microsoft.Extensions.AI.OpenAI maps it
/// (<see cref="MicrosoftExtensionsAIChatExtensions.AsChatResponse"/>). <see cref="OpenAIResponseFixups"/> then adds
/// what the adapter does not read.
/// </summary>
internal static class OpenAIChatResponseReader
{
    /// <exception cref="InvalidDataException">The body is not an answer this reader understands (the cause is inner).</exception>
    /// <param name="body">The answer's body.</param>
    /// <param name="normalize">Whether the provider's deviations may need rewriting first (<see cref="ProviderJsonNormalizer.IsNeededFor"/>).</param>
    public static ChatResponse Read(BinaryData body, bool normalize)
    {
        ChatCompletion completion;
        bool mentionsReasoning;
        try
        {
            var json = body.ToMemory().Span;
            mentionsReasoning = json.IndexOf("\"reasoning\""u8) >= 0;
            completion = OpenAIModels.Read<ChatCompletion>(normalize && ProviderJsonNormalizer.Normalize(json) is { } normalized ? BinaryData.FromBytes(normalized) : body);

            // The SDK reads choices[0] lazily and throws out of range on an empty list: fail here, as unreadable.
            _ = completion.Role;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the SDK throws while interpreting the provider's bytes means the answer could not be read.
            throw new InvalidDataException(ProblemWith(e), e);
        }

#pragma warning disable OPENAI001 // Microsoft's mapping is experimental only because the SDK types it reads are.
        var response = completion.AsChatResponse();
#pragma warning restore OPENAI001
        OpenAIResponseFixups.Apply(response, completion, mentionsReasoning);
        return response;
    }

    private static string ProblemWith(Exception e) => e switch
    {
        ArgumentOutOfRangeException => "The answer has no choices.",
        System.Text.Json.JsonException => "The answer is not valid JSON: " + e.Message,
        _ => "The answer does not have the chat-completion shape: " + e.Message,
    };
}
