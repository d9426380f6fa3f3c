using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Writes a universal-endpoint request: one step per route, in order, each with that route's endpoint, credential,
/// <c>cf-aig-*</c> headers (a step's headers beat the outer request's), provider body and retry/timeout settings. The gateway runs the next step when one errors or times out.
/// </summary>
internal static class UniversalRequestWriter
{
    public static BinaryData Write(IReadOnlyList<AiGatewayRoute> routes, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, IChatClient client)
    {
        var messageList = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        using var json = PooledJsonWriter.Rent();
        var writer = json.Writer;
        writer.WriteStartArray();
        foreach (var route in routes)
        {
            var (settings, stepHeaders) = GatewayRequestSettings.For(route.Settings, route.Headers, options?.AdditionalProperties);
            writer.WriteStartObject();
            writer.WriteString("provider"u8, route.Provider.Slug);
            writer.WriteString("endpoint"u8, route.ProviderPath);
            writer.WriteStartObject("headers"u8);
            writer.WriteString("Content-Type"u8, "application/json"u8);
            if (route.Credential is { } credential)
            {
                writer.WriteString(credential.Header, credential.Value);
            }

            // Step headers beat the outer request's: each step carries its own route's cache, metadata and other settings.
            foreach (var (name, value) in stepHeaders)
            {
                if (name is not (AiGatewayHeaderNames.Authorization or AiGatewayHeaderNames.GatewayId))
                {
                    writer.WriteString(name, value);
                }
            }

            writer.WriteEndObject();
            writer.WritePropertyName("query"u8);
            writer.WriteRawValue(OpenAIChatRequestWriter.Write(route, messageList, options, stream, client).ToMemory().Span, skipInputValidation: true);
            WriteConfig(writer, settings);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        return new BinaryData(json.ToArray());
    }

    private static void WriteConfig(Utf8JsonWriter writer, GatewayRequestSettings settings)
    {
        if (settings.RequestTimeout is null && settings.MaxAttempts is null && settings.RetryDelay is null && settings.Backoff is null)
        {
            return;
        }

        writer.WriteStartObject("config"u8);
        if (settings.RequestTimeout is { } timeout)
        {
            writer.WriteNumber("requestTimeout"u8, (long)timeout.TotalMilliseconds);
        }

        if (settings.MaxAttempts is { } attempts)
        {
            writer.WriteNumber("maxAttempts"u8, attempts);
        }

        if (settings.RetryDelay is { } delay)
        {
            writer.WriteNumber("retryDelay"u8, (long)delay.TotalMilliseconds);
        }

        if (settings.Backoff is { } backoff)
        {
            writer.WriteString("backoff"u8, backoff.ToString().ToLowerInvariant());
        }

        writer.WriteEndObject();
    }
}
