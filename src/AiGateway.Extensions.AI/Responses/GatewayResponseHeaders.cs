using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The gateway's <c>cf-aig-*</c> response headers, read in one pass over the response's
/// headers: each separate lookup would parse the header collection again.
/// </summary>
internal sealed class GatewayResponseHeaders
{
    /// <summary>Gets headers that say nothing (a response that carried none of the gateway's).</summary>
    public static GatewayResponseHeaders Empty { get; } = new();

    public string? CacheStatus { get; private set; }

    public string? LogId { get; private set; }

    public string? RequestId { get; private set; }

    public string? EventId { get; private set; }

    public string? Step { get; private set; }

    public string? Model { get; private set; }

    public string? Provider { get; private set; }

    public string? Dlp { get; private set; }

    public string? RoutedModel { get; private set; }

    public string? RoutingReason { get; private set; }

    public string? RoutingDecisionId { get; private set; }

    /// <summary>Reads an <see cref="HttpResponseMessage"/>'s headers as they came, without parsing or copying the others.</summary>
    public static GatewayResponseHeaders Read(HttpResponseMessage response)
    {
        var read = new GatewayResponseHeaders();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            if (name.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase) && values.ToString() is { Length: > 0 } value)
            {
                read.Set(name, value);
            }
        }

        return read;
    }

    /// <summary>The gateway's facts of an answer on <paramref name="route"/>, from these headers.</summary>
    public AiGatewayResponseInfo ToInfo(AiGatewayRoute route, TimeSpan duration, int status, string? sentEventId) => new()
    {
        GatewayId = route.GatewayId,
        CacheStatus = CacheStatus switch
        {
            { } s when s.Equals("HIT", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Hit,
            { } s when s.Equals("MISS", StringComparison.OrdinalIgnoreCase) => AiGatewayCacheStatus.Miss,
            _ => AiGatewayCacheStatus.Unknown,
        },
        LogId = LogId,
        RequestId = RequestId,
        EventId = EventId ?? sentEventId,
        Step = int.TryParse(Step, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? index : null,
        Provider = Provider ?? route.Provider.Slug,
        Model = Model ?? RoutedModel ?? route.Model,
        RoutingReason = RoutingReason,
        RoutingDecisionId = RoutingDecisionId,
        Dlp = Dlp,
        RouteIndex = route.Index,
        Attempts = [new(route.Index, route.Provider.Slug, route.Model, status, null, duration)],
    };

    /// <summary>Puts each raw value under its header name, beside the typed facts.</summary>
    public void CopyTo(AdditionalPropertiesDictionary properties)
    {
        Copy(properties, AiGatewayHeaderNames.CacheStatus, CacheStatus);
        Copy(properties, AiGatewayHeaderNames.LogId, LogId);
        Copy(properties, AiGatewayHeaderNames.RequestId, RequestId);
        Copy(properties, AiGatewayHeaderNames.EventId, EventId);
        Copy(properties, AiGatewayHeaderNames.Step, Step);
        Copy(properties, AiGatewayHeaderNames.Model, Model);
        Copy(properties, AiGatewayHeaderNames.Provider, Provider);
        Copy(properties, AiGatewayHeaderNames.Dlp, Dlp);
        Copy(properties, AiGatewayHeaderNames.RoutedModel, RoutedModel);
        Copy(properties, AiGatewayHeaderNames.RoutingReason, RoutingReason);
        Copy(properties, AiGatewayHeaderNames.RoutingDecisionId, RoutingDecisionId);
    }

    private static void Copy(AdditionalPropertiesDictionary properties, string name, string? value)
    {
        if (value is not null)
        {
            properties[name] = value;
        }
    }

    private void Set(string name, string value)
    {
        if (name.Equals(AiGatewayHeaderNames.CacheStatus, StringComparison.OrdinalIgnoreCase))
        {
            CacheStatus = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.LogId, StringComparison.OrdinalIgnoreCase))
        {
            LogId = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.RequestId, StringComparison.OrdinalIgnoreCase))
        {
            RequestId = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.EventId, StringComparison.OrdinalIgnoreCase))
        {
            EventId = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.Step, StringComparison.OrdinalIgnoreCase))
        {
            Step = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.Model, StringComparison.OrdinalIgnoreCase))
        {
            Model = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.Provider, StringComparison.OrdinalIgnoreCase))
        {
            Provider = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.Dlp, StringComparison.OrdinalIgnoreCase))
        {
            Dlp = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.RoutedModel, StringComparison.OrdinalIgnoreCase))
        {
            RoutedModel = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.RoutingReason, StringComparison.OrdinalIgnoreCase))
        {
            RoutingReason = value;
        }
        else if (name.Equals(AiGatewayHeaderNames.RoutingDecisionId, StringComparison.OrdinalIgnoreCase))
        {
            RoutingDecisionId = value;
        }
    }
}
