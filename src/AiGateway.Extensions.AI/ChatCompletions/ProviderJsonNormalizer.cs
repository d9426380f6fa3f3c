using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Rewrites provider deviations from the OpenAI format that the SDK's types cannot read, before they reach them.
/// Today: Mistral's reasoning models send <c>content</c> as an array of <c>thinking</c> and <c>text</c> parts (the SDK
/// throws on the unknown part kind); the thinking text moves to <c>reasoning_content</c> (DeepSeek's field, which the
/// mapper reads) and the text parts become the plain <c>content</c> string. Everything else passes untouched.
/// </summary>
internal static class ProviderJsonNormalizer
{
    /// <summary>
    /// Whether answers on a route of <paramref name="provider"/> may need rewriting: all but OpenAI's own API (OpenAI,
    /// Azure OpenAI), whose format this is. Any other provider may serve a model that deviates, directly or through an
    /// aggregator (OpenRouter, compat, a custom provider), so their answers are scanned.
    /// </summary>
    public static bool IsNeededFor(AiGatewayProvider provider) => provider != AiGatewayProvider.OpenAI && provider != AiGatewayProvider.AzureOpenAI;

    /// <summary>Returns the rewritten JSON, or <see langword="null"/> when nothing needs rewriting (the common case, found with one scan).</summary>
    public static byte[]? Normalize(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\"thinking\""u8) < 0 || JsonNode.Parse(json) is not JsonObject root || root["choices"] is not JsonArray choices)
        {
            return null;
        }

        bool changed = false;
        foreach (var choice in choices.OfType<JsonObject>())
        {
            foreach (string holder in (ReadOnlySpan<string>)["delta", "message"])
            {
                if (choice[holder] is JsonObject message && message["content"] is JsonArray parts)
                {
                    var text = new StringBuilder();
                    var thinking = new StringBuilder();
                    foreach (var part in parts.OfType<JsonObject>())
                    {
                        switch (part["type"]?.GetValue<string>())
                        {
                            case "text":
                                text.Append(part["text"]?.GetValue<string>());
                                break;
                            case "thinking":
                                AppendText(thinking, part["thinking"]);
                                break;
                        }
                    }

                    message["content"] = text.ToString();
                    if (thinking.Length > 0)
                    {
                        message["reasoning_content"] = (message["reasoning_content"]?.GetValue<string>() ?? string.Empty) + thinking;
                    }

                    changed = true;
                }
            }
        }

        return changed ? JsonSerializer.SerializeToUtf8Bytes(root, JsonValueContext.Default.JsonNode) : null;
    }

    private static void AppendText(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue(out string? s):
                builder.Append(s);
                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonObject>())
                {
                    builder.Append(item["text"]?.GetValue<string>());
                }

                break;
        }
    }
}
