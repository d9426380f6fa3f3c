namespace AiGateway.Extensions.AI;

/// <summary>The diagnostic ids of this package's experimental APIs.</summary>
internal static class AiGatewayDiagnosticIds
{
    /// <summary>Routes as clients (<see cref="AiGatewayRouteSet"/>, <see cref="AiGatewayRouteInfo"/>): built on Microsoft.Extensions.AI's experimental routing (MEAI001).</summary>
    public const string Routing = "AIGATEWAY001";
}
