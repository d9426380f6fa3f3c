using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>Filters and ordering for listing or deleting logs (all optional).</summary>
public sealed record AiGatewayLogQuery
{
    /// <summary>Gets the page size used while paging (at most 50).</summary>
    public int PerPage { get; set; } = 50;

    /// <summary>Gets the earliest creation time.</summary>
    public DateTimeOffset? StartDate { get; set; }

    /// <summary>Gets the latest creation time.</summary>
    public DateTimeOffset? EndDate { get; set; }

    /// <summary>Gets whether to keep only cached (or uncached) answers.</summary>
    public bool? Cached { get; set; }

    /// <summary>Gets whether to keep only successes (or failures).</summary>
    public bool? Success { get; set; }

    /// <summary>Gets the feedback to match (-1 or 1).</summary>
    public int? Feedback { get; set; }

    /// <summary>Gets the model to match.</summary>
    public string? Model { get; set; }

    /// <summary>Gets the provider to match.</summary>
    public string? Provider { get; set; }

    /// <summary>Gets the field to order by, for example <c>created_at</c>, <c>duration</c>, <c>cost</c>.</summary>
    public string? OrderBy { get; set; }

    /// <summary>Gets <c>asc</c> or <c>desc</c>.</summary>
    public string? Direction { get; set; }
}
