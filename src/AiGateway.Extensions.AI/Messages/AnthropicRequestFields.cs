using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What the Anthropic SDK's chat client does not write itself: <c>temperature</c>, <c>top_p</c> and <c>top_k</c>
/// (its <c>MessageCreateParams</c> for API version 2026-10-21 no longer has them), request-level prompt caching
/// (<see cref="AiGatewayAnthropicChatOptionsExtensions.WithAnthropicPromptCaching"/>) and the route's and the request's
/// extra body fields. They travel as raw body fields of the <c>MessageCreateParams</c> the options'
/// <see cref="ChatOptions.RawRepresentationFactory"/> returns; a caller's own factory keeps what it sets.
/// </summary>
internal static class AnthropicRequestFields
{
    /// <summary>The options to hand the SDK: unchanged when there is nothing to add, otherwise a copy whose factory adds it.</summary>
    public static ChatOptions? Apply(AiGatewayRoute route, ChatOptions? options)
    {
        // Most requests have nothing to add: they cost no allocation here.
        if (route.ExtraBody is null &&
            (options is null || (options.Temperature is null && options.TopP is null && options.TopK is null && options.AdditionalProperties is not { Count: > 0 })))
        {
            return options;
        }

        options ??= new ChatOptions();
        var fields = Collect(route, options);
        if (fields.Count == 0)
        {
            return options;
        }

        var shaped = options.Clone();
        var inner = options.RawRepresentationFactory;

        // A Messages route always has a max_tokens of its own (RouteTable gives Anthropic's default when none is configured).
        long maxTokens = options.MaxOutputTokens ?? route.MaxOutputTokens!.Value;
        string model = options.ModelId ?? route.Model;
        shaped.RawRepresentationFactory = client =>
        {
            var theirs = inner?.Invoke(client) as MessageCreateParams;
            var body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (theirs is null)
            {
                body["max_tokens"] = Element(writer => writer.WriteNumberValue(maxTokens));
                body["model"] = Element(writer => writer.WriteStringValue(model));
                body["messages"] = Element(writer => writer.WriteRawValue("[]"u8));
            }
            else
            {
                foreach (var (name, value) in theirs.RawBodyData)
                {
                    body[name] = value;
                }
            }

            foreach (var (name, value) in fields)
            {
                body.TryAdd(name, value);
            }

            return MessageCreateParams.FromRawUnchecked(
                theirs?.RawHeaderData ?? new Dictionary<string, JsonElement>(), theirs?.RawQueryData ?? new Dictionary<string, JsonElement>(), body);
        };
        return shaped;
    }

    /// <summary>The fields in name order, so identical requests stay identical bytes.</summary>
    private static SortedDictionary<string, JsonElement> Collect(AiGatewayRoute route, ChatOptions options)
    {
        var fields = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (options.Temperature is { } temperature)
        {
            fields["temperature"] = Element(writer => writer.WriteNumberValue(temperature));
        }

        if (options.TopP is { } topP)
        {
            fields["top_p"] = Element(writer => writer.WriteNumberValue(topP));
        }

        if (options.TopK is { } topK)
        {
            fields["top_k"] = Element(writer => writer.WriteNumberValue(topK));
        }

        if (options.AdditionalProperties?.TryGetValue(AiGatewayAnthropicChatOptionsExtensions.PromptCachingKey, out object? cacheControl) is true && cacheControl is string cacheControlJson)
        {
            fields["cache_control"] = JsonElement.Parse(cacheControlJson);
        }

        foreach (var (name, json) in OpenAIChatRequestWriter.MergeExtraBody(route.ExtraBody, options) ?? [])
        {
            fields[name] = JsonElement.Parse(json);
        }

        return fields;
    }

    private static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }
}
