using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Feedback on a logged answer.</summary>
public enum AiGatewayFeedback
{
    /// <summary>Thumbs down (-1).</summary>
    Negative = -1,

    /// <summary>No feedback (clears it).</summary>
    None = 0,

    /// <summary>Thumbs up (+1).</summary>
    Positive = 1,
}
