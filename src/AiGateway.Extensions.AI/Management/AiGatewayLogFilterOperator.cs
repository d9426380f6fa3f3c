namespace AiGateway.Extensions.AI.Management;

/// <summary>How an <see cref="AiGatewayLogFilter"/> compares a log's field.</summary>
public enum AiGatewayLogFilterOperator
{
    /// <summary><c>eq</c>: equals one of the values.</summary>
    Equal,

    /// <summary><c>neq</c>: equals none of the values.</summary>
    NotEqual,

    /// <summary><c>contains</c>: contains the value.</summary>
    Contains,

    /// <summary><c>lt</c>: less than the value.</summary>
    LessThan,

    /// <summary><c>gt</c>: greater than the value.</summary>
    GreaterThan,
}
