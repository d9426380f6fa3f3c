using System.Text;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Where the gateway exports OpenTelemetry traces. <see cref="Authorization"/> is a secret and never printed.</summary>
public sealed record AiGatewayOtelExport
{
    /// <summary>Gets the collector URL.</summary>
    public string? Url { get; set; }

    /// <summary>Gets the <c>Authorization</c> value sent to the collector.</summary>
    public string? Authorization { get; set; }

    /// <summary>Gets further headers sent to the collector.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    /// <summary>Gets <c>json</c> or <c>protobuf</c>.</summary>
    public string? ContentType { get; set; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(Url).Append(", Authorization = ").Append(Authorization is null ? "null" : "[REDACTED]")
            .Append(", Headers = ").Append(Headers is null ? "null" : $"[{Headers.Count}]").Append(", ContentType = ").Append(ContentType);
        return true;
    }
}
