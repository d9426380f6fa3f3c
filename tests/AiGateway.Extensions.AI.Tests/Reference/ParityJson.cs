using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Reference;

/// <summary>
/// Answers as JSON for parity tests: serialized with Microsoft.Extensions.AI's own options, without the gateway's facts
/// (a deliberate difference of every route) or the SDKs' raw objects.
/// </summary>
internal static class ParityJson
{
    private static readonly JsonSerializerOptions s_json = AIJsonUtilities.DefaultOptions;

    /// <param name="response">The answer; changed in place.</param>
    /// <param name="withoutTimes">Whether to drop creation times (an API whose answers carry none, so each client stamps the time it read them).</param>
    public static string Answer(ChatResponse response, bool withoutTimes = false)
    {
        if (withoutTimes)
        {
            response.CreatedAt = null;
        }

        response.RawRepresentation = null;
        response.AdditionalProperties = WithoutGatewayFacts(response.AdditionalProperties);
        foreach (var message in response.Messages)
        {
            if (withoutTimes)
            {
                message.CreatedAt = null;
            }

            message.RawRepresentation = null;
            message.AdditionalProperties = WithoutGatewayFacts(message.AdditionalProperties);
            foreach (var content in message.Contents)
            {
                content.RawRepresentation = null;
            }
        }

        return JsonSerializer.Serialize(response, s_json);
    }

    /// <summary>Streamed updates, each without the gateway's facts or raw objects; changed in place.</summary>
    public static string Updates(List<ChatResponseUpdate> updates)
    {
        foreach (var update in updates)
        {
            update.RawRepresentation = null;
            update.AdditionalProperties = WithoutGatewayFacts(update.AdditionalProperties);
            foreach (var content in update.Contents)
            {
                content.RawRepresentation = null;
            }
        }

        return JsonSerializer.Serialize(updates, s_json);
    }

    private static AdditionalPropertiesDictionary? WithoutGatewayFacts(AdditionalPropertiesDictionary? properties)
    {
        foreach (string key in properties?.Keys.Where(k => k == AiGatewayResponseInfo.AdditionalPropertiesKey || k.StartsWith("cf-aig-", StringComparison.Ordinal)).ToList() ?? [])
        {
            properties!.Remove(key);
        }

        return properties is { Count: > 0 } ? properties : null;
    }
}
