using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Reads the gateway's <c>cf-aig-*</c> response headers.</summary>
internal static class GatewayResponseReader
{
    public static string? GetHeader(PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    public static AiGatewayResponseInfo ReadInfo(AiGatewayRoute route, PipelineResponseHeaders headers, TimeSpan duration, int status, string? sentEventId)
    {
        string? step = GetHeader(headers, AiGatewayHeaderNames.Step);
        return new AiGatewayResponseInfo
        {
            GatewayId = route.GatewayId,
            CacheStatus = GetHeader(headers, AiGatewayHeaderNames.CacheStatus) switch
            {
                { } s when s.Equals("HIT", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Hit,
                { } s when s.Equals("MISS", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Miss,
                _ => AiGatewayCacheStatus.Unknown,
            },
            LogId = GetHeader(headers, AiGatewayHeaderNames.LogId),
            RequestId = GetHeader(headers, AiGatewayHeaderNames.RequestId),
            EventId = GetHeader(headers, AiGatewayHeaderNames.EventId) ?? sentEventId,
            Step = int.TryParse(step, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? index : null,
            Provider = GetHeader(headers, AiGatewayHeaderNames.Provider) ?? route.Provider.Slug,
            Model = GetHeader(headers, AiGatewayHeaderNames.Model) ?? route.Model,
            Dlp = GetHeader(headers, AiGatewayHeaderNames.Dlp),
            RouteIndex = route.Index,
            Attempts = [new(route.Index, route.Provider.Slug, route.Model, status, null, duration)],
        };
    }

    /// <summary>Builds the properties that carry the gateway's facts: the typed info, and each raw header under its name.</summary>
    public static AdditionalPropertiesDictionary ToAdditionalProperties(AiGatewayResponseInfo info, PipelineResponseHeaders headers)
    {
        var properties = new AdditionalPropertiesDictionary { [AiGatewayResponseInfo.AdditionalPropertiesKey] = info };
        foreach (string name in AiGatewayHeaderNames.ResponseHeaders)
        {
            if (GetHeader(headers, name) is { } value)
            {
                properties[name] = value;
            }
        }

        return properties;
    }
}
