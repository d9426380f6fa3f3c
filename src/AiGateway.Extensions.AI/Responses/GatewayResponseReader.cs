using System.ClientModel.Primitives;
using System.Globalization;

namespace AiGateway.Extensions.AI;

/// <summary>Reads the gateway's facts from its response headers.</summary>
internal static class GatewayResponseReader
{
    public static string? GetHeader(PipelineResponseHeaders headers, string name) =>
        headers.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

    public static AiGatewayResponseInfo ReadInfo(AiGatewayRoute route, GatewayResponseHeaders headers, TimeSpan duration, int status, string? sentEventId) => new()
    {
        GatewayId = route.GatewayId,
        CacheStatus = headers.CacheStatus switch
        {
            { } s when s.Equals("HIT", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Hit,
            { } s when s.Equals("MISS", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Miss,
            _ => AiGatewayCacheStatus.Unknown,
        },
        LogId = headers.LogId,
        RequestId = headers.RequestId,
        EventId = headers.EventId ?? sentEventId,
        Step = int.TryParse(headers.Step, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? index : null,
        Provider = headers.Provider ?? route.Provider.Slug,
        Model = headers.Model ?? route.Model,
        Dlp = headers.Dlp,
        RouteIndex = route.Index,
        Attempts = [new(route.Index, route.Provider.Slug, route.Model, status, null, duration)],
    };
}
