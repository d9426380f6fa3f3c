using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Reads the gateway's facts from chat answers.</summary>
public static class AiGatewayResponseExtensions
{
    /// <summary>Gets what the gateway said about this answer.</summary>
    /// <param name="response">An answer from an <see cref="AiGatewayChatClient"/> (directly or through delegating clients).</param>
    /// <returns>
    /// The gateway info, or <see langword="null"/> when the answer did not come through the gateway client. An answer
    /// that a cache in the application stored and served again (<c>UseDistributedCache()</c>) keeps its original facts,
    /// with <see cref="AiGatewayResponseInfo.FromLocalCache"/> set.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public static AiGatewayResponseInfo? GetGatewayInfo(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Find(response.AdditionalProperties) is { } info)
        {
            return info;
        }

        // A response coalesced from updates (ToChatResponse) keeps update properties on the message they belong to.
        for (int i = response.Messages.Count - 1; i >= 0; i--)
        {
            if (Find(response.Messages[i].AdditionalProperties) is { } fromMessage)
            {
                return fromMessage;
            }
        }

        return null;
    }

    /// <summary>Gets what the gateway said about the stream this update belongs to.</summary>
    /// <param name="update">A streaming update. The first update of a stream and the final ones (finish reason, usage, tool calls) carry it.</param>
    /// <returns>The gateway info, or <see langword="null"/> when this update does not carry it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static AiGatewayResponseInfo? GetGatewayInfo(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Find(update.AdditionalProperties);
    }

    internal static AiGatewayResponseInfo? Find(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(AiGatewayResponseInfo.AdditionalPropertiesKey, out object? value) is true
            ? value switch
            {
                AiGatewayResponseInfo info => info,

                // Only a serializer makes JSON of it: the answer went through a cache in the application and came back.
                JsonElement { ValueKind: JsonValueKind.Object } json => FromCachedJson(json),
                _ => null,
            }
            : null;

    private static AiGatewayResponseInfo? FromCachedJson(JsonElement json)
    {
        try
        {
            return json.Deserialize(ResponseInfoJsonContext.Default.AiGatewayResponseInfo) is { } info
                ? info with { FromLocalCache = true }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
