namespace AiGateway.Extensions.AI;

/// <summary>Where fallback between the configured routes happens.</summary>
public enum AiGatewayFallbackMode
{
    /// <summary>This client tries each route in turn (see the fallback client).</summary>
    Client,

    /// <summary>One request to the gateway's universal endpoint carries every route as a step.</summary>
    Gateway,
}
