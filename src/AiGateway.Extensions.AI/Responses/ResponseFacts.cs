using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Where the gateway's facts go on what a caller receives, the same for every wire format: the answer, the first
/// streamed update (with the raw <c>cf-aig-*</c> header values) and the updates that close the answer (finish reason, usage).
/// </summary>
internal static class ResponseFacts
{
    public static void Attach(ChatResponse response, AiGatewayResponseInfo info, GatewayResponseHeaders headers) =>
        Attach(response.AdditionalProperties ??= [], info, headers);

    public static void AttachFirst(ChatResponseUpdate update, AiGatewayResponseInfo info, GatewayResponseHeaders headers) =>
        Attach(update.AdditionalProperties ??= [], info, headers);

    /// <summary>Attaches the facts to an update that closes the answer; others pass untouched.</summary>
    public static void AttachIfClosing(ChatResponseUpdate update, AiGatewayResponseInfo info)
    {
        if (IsClosing(update))
        {
            (update.AdditionalProperties ??= [])[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
        }
    }

    private static void Attach(AdditionalPropertiesDictionary properties, AiGatewayResponseInfo info, GatewayResponseHeaders headers)
    {
        properties[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
        headers.CopyTo(properties);
    }

    private static bool IsClosing(ChatResponseUpdate update)
    {
        if (update.FinishReason is not null)
        {
            return true;
        }

        // Indexed: a foreach over the IList would box its enumerator on every update of every stream.
        var contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent)
            {
                return true;
            }
        }

        return false;
    }
}
