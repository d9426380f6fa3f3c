using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Writes an OpenAI chat-completions request body from Microsoft.Extensions.AI messages and options.
/// The output is deterministic: the same logical request always produces the same bytes (fixed property order,
/// extra body fields sorted by name, nothing volatile), because the gateway's cache key covers the exact body.
/// </summary>
internal static class OpenAIChatRequestWriter
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = true };

    public static BinaryData Write(AiGatewayRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            var extraBody = MergeExtraBody(route.ExtraBody, options);
            bool Writes(string field) => extraBody is null || !extraBody.ContainsKey(field);

            writer.WriteStartObject();
            if (Writes("model"))
            {
                writer.WriteString("model"u8, options?.ModelId is { Length: > 0 } modelId ? modelId : route.Model);
            }

            writer.WritePropertyName("messages"u8);
            WriteMessages(writer, messages, options?.Instructions);

            if (stream)
            {
                writer.WriteBoolean("stream"u8, true);
                if (Writes("stream_options"))
                {
                    writer.WriteStartObject("stream_options"u8);
                    writer.WriteBoolean("include_usage"u8, true);
                    writer.WriteEndObject();
                }
            }

            if (options is not null)
            {
                WriteOptions(writer, route, options, Writes);
            }

            if (extraBody is not null)
            {
                foreach (var (name, json) in extraBody)
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(json, skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    private static void WriteOptions(Utf8JsonWriter writer, AiGatewayRoute route, ChatOptions options, Func<string, bool> writes)
    {
        if (options.Temperature is { } temperature && writes("temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (options.TopP is { } topP && writes("top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (options.MaxOutputTokens is { } maxTokens && writes(route.Descriptor.MaxTokensField))
        {
            writer.WriteNumber(route.Descriptor.MaxTokensField, maxTokens);
        }

        if (options.StopSequences is { Count: > 0 } stops && writes("stop"))
        {
            writer.WriteStartArray("stop"u8);
            foreach (string stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (options.Seed is { } seed && writes("seed"))
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (options.FrequencyPenalty is { } frequencyPenalty && writes("frequency_penalty"))
        {
            writer.WriteNumber("frequency_penalty"u8, frequencyPenalty);
        }

        if (options.PresencePenalty is { } presencePenalty && writes("presence_penalty"))
        {
            writer.WriteNumber("presence_penalty"u8, presencePenalty);
        }
    }

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, string? instructions)
    {
        writer.WriteStartArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "system"u8);
            writer.WriteString("content"u8, instructions);
            writer.WriteEndObject();
        }

        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, message.Role.Value);
            writer.WritePropertyName("content"u8);
            WriteContent(writer, message.Contents);
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                writer.WriteString("name"u8, message.AuthorName);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>A single text part is sent as a plain string; several parts as an array of text parts.</summary>
    private static void WriteContent(Utf8JsonWriter writer, IList<AIContent> contents)
    {
        TextContent? single = null;
        int textParts = 0;
        foreach (var content in contents)
        {
            if (content is TextContent text)
            {
                single ??= text;
                textParts++;
            }
        }

        if (textParts <= 1)
        {
            writer.WriteStringValue(single?.Text ?? string.Empty);
            return;
        }

        writer.WriteStartArray();
        foreach (var content in contents)
        {
            if (content is TextContent text)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }

    private static SortedDictionary<string, byte[]>? MergeExtraBody(SortedDictionary<string, byte[]>? configured, ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(AiGatewayChatOptionsExtensions.ExtraBodyKey, out object? value) is not true ||
            value is not SortedDictionary<string, byte[]> perRequest)
        {
            return configured;
        }

        if (configured is null)
        {
            return perRequest;
        }

        var merged = new SortedDictionary<string, byte[]>(configured, StringComparer.Ordinal);
        foreach (var (name, json) in perRequest)
        {
            merged[name] = json;
        }

        return merged;
    }
}
