using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What the Anthropic SDK's chat client does not write itself: request-level prompt caching
/// (<see cref="AiGatewayAnthropicChatOptionsExtensions.WithAnthropicPromptCaching"/>) and the route's and the request's
/// extra body fields. <see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopP"/> and
/// <see cref="ChatOptions.TopK"/> are left out, as the SDK's own client leaves them: the API version it sends
/// (2026-10-21) has no sampling fields and refuses them with 400; a caller who needs one for an older model sends it
/// deliberately with <c>WithExtraBody("temperature", ...)</c>. They travel as raw body fields of the <c>MessageCreateParams</c> the options'
/// <see cref="ChatOptions.RawRepresentationFactory"/> returns; a caller's own factory keeps what it sets.
/// </summary>
internal static class AnthropicRequestFields
{
    /// <summary>The options to hand the SDK: unchanged when there is nothing to add, otherwise a copy whose factory adds it.</summary>
    public static ChatOptions? Apply(AiGatewayRoute route, ChatOptions? options)
    {
        // Most requests have nothing to add: they cost no allocation here.
        if (route.ExtraBody is null &&
            (options is null || options.AdditionalProperties is not { Count: > 0 }))
        {
            return options;
        }

        options ??= new ChatOptions();
        var fields = Collect(route, options);
        if (fields.Count == 0)
        {
            return options;
        }

        // A Messages route always has a max_tokens of its own (RouteTable gives Anthropic's default when none is configured).
        return WithFields(options, fields, options.MaxOutputTokens ?? route.MaxOutputTokens!.Value, options.ModelId ?? route.Model);
    }

    /// <summary>A copy of <paramref name="options"/> whose factory adds <paramref name="fields"/>.</summary>
    /// <remarks>
    /// Its own method: the lambda's captures would otherwise be allocated on entry to <see cref="Apply"/>, for every
    /// request, including the many that have nothing to add.
    /// </remarks>
    private static ChatOptions WithFields(ChatOptions options, SortedDictionary<string, JsonElement> fields, long maxTokens, string model)
    {
        var shaped = options.Clone();
        var inner = options.RawRepresentationFactory;
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
        using var json = PooledJsonWriter.Rent();
        write(json.Writer);
        return JsonElement.Parse(json.WrittenSpan);
    }
}
