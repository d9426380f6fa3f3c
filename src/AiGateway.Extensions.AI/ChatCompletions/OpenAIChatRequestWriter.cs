using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Writes an OpenAI chat-completions request body from Microsoft.Extensions.AI messages and options, mapping each
/// type as Microsoft's OpenAI adapter does. The output is deterministic: the same logical request always produces the
/// same bytes (fixed property order, extra body fields sorted by name, nothing volatile), because the gateway's cache
/// key covers the exact body.
/// </summary>
/// <remarks>
/// Precedence for a top-level field: <c>ExtraBody</c> (request over route) beats the <see cref="ChatCompletionOptions"/>
/// returned by <see cref="ChatOptions.RawRepresentationFactory"/>, which beats the mapped <see cref="ChatOptions"/>.
/// </remarks>
internal static partial class OpenAIChatRequestWriter
{
    /// <summary>Read-only stand-in when a request has no options but the route still sets one (its <c>MaxOutputTokens</c>).</summary>
    private static readonly ChatOptions s_noOptions = new();

    public static BinaryData Write(AiGatewayRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, IChatClient client)
    {
        var extraBody = MergeExtraBody(route.ExtraBody, options);
        var rawOptions = RawOptionFields(options, client);
        JsonElement? rawTools = rawOptions is not null && rawOptions.Remove("tools", out var tools) ? tools : null;

        var fields = new WrittenFields(extraBody, rawOptions);
        using var json = PooledJsonWriter.Rent();
        var writer = json.Writer;
        writer.WriteStartObject();
        if (fields.Writes("model"))
        {
            writer.WriteString("model"u8, options?.ModelId is { Length: > 0 } modelId ? modelId : route.Model);
        }

        writer.WritePropertyName("messages"u8);
        WriteMessages(writer, messages, options?.Instructions);

        if (stream)
        {
            writer.WriteBoolean("stream"u8, true);
            if (fields.Writes("stream_options"))
            {
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }
        }

        if (options is not null || route.MaxOutputTokens is not null)
        {
            WriteOptions(writer, route, options ?? s_noOptions, rawTools, fields);
        }

        WriteFields(writer, rawOptions, extraBody);
        WriteFields(writer, extraBody, null);
        writer.WriteEndObject();
        return new BinaryData(json.ToArray());
    }

    /// <summary>
    /// The fields this writer writes from <see cref="ChatOptions"/>: those neither the caller's raw options nor an extra
    /// body field set (theirs are written as they are, after).
    /// </summary>
    internal readonly struct WrittenFields(SortedDictionary<string, byte[]>? extraBody, Dictionary<string, JsonElement>? rawOptions)
    {
        public bool Writes(string field) => (extraBody is null || !extraBody.ContainsKey(field)) && (rawOptions is null || !rawOptions.ContainsKey(field));
    }

    private static void WriteOptions(Utf8JsonWriter writer, AiGatewayRoute route, ChatOptions options, JsonElement? rawTools, WrittenFields fields)
    {
        if (options.FrequencyPenalty is { } frequencyPenalty && fields.Writes("frequency_penalty"))
        {
            writer.WriteNumber("frequency_penalty"u8, frequencyPenalty);
        }

        if ((options.MaxOutputTokens ?? route.MaxOutputTokens) is { } maxTokens && fields.Writes(route.Descriptor.MaxTokensField))
        {
            writer.WriteNumber(route.Descriptor.MaxTokensField, maxTokens);
        }

        if (options.PresencePenalty is { } presencePenalty && fields.Writes("presence_penalty"))
        {
            writer.WriteNumber("presence_penalty"u8, presencePenalty);
        }

        if (options.Reasoning?.Effort is { } effort && ReasoningEffortValue(effort) is { } effortValue && fields.Writes("reasoning_effort"))
        {
            writer.WriteString("reasoning_effort"u8, effortValue);
        }

        if (options.ResponseFormat is not null && fields.Writes("response_format") && ResponseFormat(options) is { } format)
        {
            writer.WritePropertyName("response_format"u8);
            OpenAIModels.WriteCompact(writer, format);
        }

        if (options.Seed is { } seed && fields.Writes("seed"))
        {
            writer.WriteNumber("seed"u8, seed);
        }

        if (options.StopSequences is { Count: > 0 } stops && fields.Writes("stop"))
        {
            writer.WriteStartArray("stop"u8);
            foreach (string stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (options.Temperature is { } temperature && fields.Writes("temperature"))
        {
            writer.WriteNumber("temperature"u8, temperature);
        }

        if (options.TopP is { } topP && fields.Writes("top_p"))
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (fields.Writes("tools"))
        {
            OpenAIToolWriter.WriteTools(writer, options, rawTools, fields);
        }
    }

    private static string? ReasoningEffortValue(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => null,
    };

    /// <summary>The response format exactly as Microsoft's adapter converts it (strict schema transform included).</summary>
    private static OpenAI.Chat.ChatResponseFormat? ResponseFormat(ChatOptions options) =>
#pragma warning disable OPENAI001 // The conversion is experimental only because the SDK type it returns is.
        options.ResponseFormat.AsOpenAIChatResponseFormat(options);
#pragma warning restore OPENAI001

    private static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, string? instructions)
    {
        writer.WriteStartArray();
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "system"u8);
            writer.WriteString("content"u8, instructions);
            writer.WriteEndObject();
        }

        // Indexed (and below over each message's contents): an interface's enumerator is an allocation on every request.
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        for (int i = 0; i < list.Count; i++)
        {
            WriteMessage(writer, list[i]);
        }

        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatMessage message)
    {
        if (message.RawRepresentation is OpenAI.Chat.ChatMessage raw)
        {
            WriteModel(writer, raw);
            return;
        }

        string role = message.Role.Value;
        if (message.Role == ChatRole.Tool)
        {
            WriteToolResults(writer, message);
        }
        else if (message.Role == ChatRole.Assistant)
        {
            WriteAssistant(writer, message);
        }
        else if (message.Role == ChatRole.System || message.Role == ChatRole.User || role == "developer")
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, role);
            writer.WritePropertyName("content"u8);
            WriteContent(writer, message.Contents, emptyAsText: true);
            WriteName(writer, message.AuthorName);
            writer.WriteEndObject();
        }

        // Like Microsoft's adapter, messages in other roles are not sent.
    }

    private static void WriteAssistant(Utf8JsonWriter writer, ChatMessage message)
    {
        string? refusal = null;
        bool hasParts = false;
        bool hasCalls = false;
        var contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            var content = contents[i];
            switch (content)
            {
                case ErrorContent { ErrorCode: "Refusal" } error:
                    refusal = error.Message;
                    break;
                case FunctionCallContent:
                    hasCalls = true;
                    break;
                default:
                    hasParts |= IsPart(content);
                    break;
            }
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        if (hasParts || !hasCalls)
        {
            writer.WritePropertyName("content"u8);
            WriteContent(writer, message.Contents, emptyAsText: true);
        }

        if (refusal is not null)
        {
            writer.WriteString("refusal"u8, refusal);
        }

        WriteName(writer, message.AuthorName);
        if (hasCalls)
        {
            writer.WriteStartArray("tool_calls"u8);
            for (int i = 0; i < contents.Count; i++)
            {
                if (contents[i] is FunctionCallContent call)
                {
                    OpenAIToolWriter.WriteToolCall(writer, call);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteToolResults(Utf8JsonWriter writer, ChatMessage message)
    {
        var contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionResultContent result)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, "tool"u8);
                writer.WriteString("tool_call_id"u8, result.CallId);
                writer.WriteString("content"u8, OpenAIToolWriter.ResultText(result));
                writer.WriteEndObject();
            }
        }
    }

    /// <summary>A single text part is sent as a plain string (as the SDK does); anything else as an array of parts.</summary>
    private static void WriteContent(Utf8JsonWriter writer, IList<AIContent> contents, bool emptyAsText)
    {
        int parts = 0;
        AIContent? only = null;
        for (int i = 0; i < contents.Count; i++)
        {
            if (IsPart(contents[i]))
            {
                parts++;
                only = contents[i];
            }
        }

        if (parts == 0 && emptyAsText)
        {
            writer.WriteStringValue(string.Empty);
            return;
        }

        if (parts == 1 && only is TextContent { RawRepresentation: not ChatMessageContentPart } single)
        {
            writer.WriteStringValue(single.Text);
            return;
        }

        writer.WriteStartArray();
        for (int i = 0; i < contents.Count; i++)
        {
            WritePart(writer, contents[i]);
        }

        writer.WriteEndArray();
    }

    private static bool IsPart(AIContent content) => content switch
    {
        { RawRepresentation: ChatMessageContentPart } => true,
        TextContent => true,
        UriContent uri => uri.HasTopLevelMediaType("image"),
        DataContent data => data.HasTopLevelMediaType("image") || IsSupportedAudio(data) || IsPdf(data),
        HostedFileContent => true,
        _ => false,
    };

    private static void WritePart(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case { RawRepresentation: ChatMessageContentPart raw }:
                WriteModel(writer, raw);
                break;
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
                break;
            case UriContent uri when uri.HasTopLevelMediaType("image"):
                WriteImage(writer, uri.Uri.ToString(), content);
                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                WriteImage(writer, data.Uri, content);
                break;
            case DataContent data when IsSupportedAudio(data):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "input_audio"u8);
                writer.WriteStartObject("input_audio"u8);
                writer.WriteBase64String("data"u8, data.Data.Span);
                writer.WriteString("format"u8, data.MediaType.Equals("audio/mpeg", StringComparison.OrdinalIgnoreCase) ? "mp3"u8 : "wav"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case DataContent data when IsPdf(data):
                writer.WriteStartObject();
                writer.WriteString("type"u8, "file"u8);
                writer.WriteStartObject("file"u8);
                writer.WriteString("file_data"u8, data.Uri);
                // Deterministic: the gateway's cache key covers the body, so no random file name.
                writer.WriteString("filename"u8, data.Name ?? "document.pdf");
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case HostedFileContent file:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "file"u8);
                writer.WriteStartObject("file"u8);
                writer.WriteString("file_id"u8, file.FileId);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteImage(Utf8JsonWriter writer, string url, AIContent content)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url"u8);
        writer.WriteStartObject("image_url"u8);
        writer.WriteString("url"u8, url);
        if (content.AdditionalProperties?.TryGetValue("detail", out object? detail) is true && detail?.ToString() is { Length: > 0 } level)
        {
            writer.WriteString("detail"u8, level);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static bool IsSupportedAudio(DataContent data) =>
        data.MediaType.Equals("audio/mpeg", StringComparison.OrdinalIgnoreCase) || data.MediaType.Equals("audio/wav", StringComparison.OrdinalIgnoreCase);

    private static bool IsPdf(DataContent data) => data.MediaType.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase);

    /// <summary>OpenAI accepts names of letters, digits and underscores, at most 64 characters.</summary>
    private static void WriteName(Utf8JsonWriter writer, string? authorName)
    {
        if (authorName is null)
        {
            return;
        }

        string name = InvalidNameCharacters().Replace(authorName, string.Empty);
        if (name.Length > 0)
        {
            writer.WriteString("name"u8, name.Length > 64 ? name[..64] : name);
        }
    }

    private static void WriteModel<T>(Utf8JsonWriter writer, T model)
        where T : class => writer.WriteRawValue(OpenAIModels.Write(model), skipInputValidation: true);

    /// <summary>The fields set on the <see cref="ChatCompletionOptions"/> a caller's <c>RawRepresentationFactory</c> returned.</summary>
    private static Dictionary<string, JsonElement>? RawOptionFields(ChatOptions? options, IChatClient client)
    {
        if (options?.RawRepresentationFactory?.Invoke(client) is not ChatCompletionOptions raw)
        {
            return null;
        }

        using var document = JsonDocument.Parse(OpenAIModels.Write(raw));
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name is not ("messages" or "stream"))
            {
                fields[property.Name] = property.Value.Clone();
            }
        }

        return fields.Count > 0 ? fields : null;
    }

    private static void WriteFields<TValue>(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, TValue>>? fields, SortedDictionary<string, byte[]>? overriddenBy)
    {
        if (fields is null)
        {
            return;
        }

        foreach (var (name, value) in fields)
        {
            if (overriddenBy?.ContainsKey(name) is true)
            {
                continue;
            }

            writer.WritePropertyName(name);
            switch (value)
            {
                case byte[] raw:
                    writer.WriteRawValue(raw, skipInputValidation: true);
                    break;
                case JsonElement element:
                    element.WriteTo(writer);
                    break;
            }
        }
    }

    /// <summary>The route's configured extra body fields with the request's own (<c>WithExtraBody</c>) laid over them.</summary>
    internal static SortedDictionary<string, byte[]>? MergeExtraBody(SortedDictionary<string, byte[]>? configured, ChatOptions? options)
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

    [GeneratedRegex("[^a-zA-Z0-9_]+")]
    private static partial Regex InvalidNameCharacters();
}
