namespace AiGateway.Extensions.AI;

/// <summary>How the gateway's retry delay grows.</summary>
public enum AiGatewayBackoff
{
    /// <summary>The same delay each time.</summary>
    Constant,

    /// <summary>The delay grows linearly.</summary>
    Linear,

    /// <summary>The delay doubles each time.</summary>
    Exponential,
}
