namespace AiGateway.Extensions.AI;

/// <summary>One resolved route: where a request goes, how it authenticates, and its default gateway settings.</summary>
internal sealed class AiGatewayRoute
{
    public required int Index { get; init; }

    /// <summary>The configuration path of the route (<c>AiGateway</c> or <c>AiGateway:Fallbacks:0</c>), for messages.</summary>
    public required string ConfigurationPath { get; init; }

    /// <summary>The configuration path of the gateway's settings (<c>AiGateway</c>), for messages about gateway-wide keys.</summary>
    public required string GatewayConfigurationPath { get; init; }

    /// <summary>The client's own wait for a non-streaming answer and, on a stream, for each next piece.</summary>
    public required TimeSpan NetworkTimeout { get; init; }

    /// <summary>The client's own wait for a stream to start; <see cref="Timeout.InfiniteTimeSpan"/> when only <see cref="NetworkTimeout"/> bounds it.</summary>
    public required TimeSpan StreamStartTimeout { get; init; }

    public required string GatewayId { get; init; }

    public required string AccountId { get; init; }

    public required AiGatewayProvider Provider { get; init; }

    public required ProviderDescriptor Descriptor { get; init; }

    public required string Model { get; init; }

    /// <summary>The credential every request on this route carries, or null for none (see <see cref="RouteCredential"/>).</summary>
    public required RouteCredential? Credential { get; init; }

    /// <summary>The URL of the operation this route serves (chat completions, or embeddings), exactly as requests use it.</summary>
    public required Uri Url { get; init; }

    /// <summary>The format the route's chat requests are written in.</summary>
    public ChatWireFormat Format { get; init; }

    /// <summary>The <c>max_tokens</c> sent when a request does not set one, or null to send none.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>The path after <c>{gateway}/{slug}/</c> (with any query), as a universal-endpoint step names it.</summary>
    public required string ProviderPath { get; init; }

    public required GatewayRequestSettings Settings { get; init; }

    /// <summary>The route's default headers, built once from <see cref="Settings"/>.</summary>
    public required KeyValuePair<string, string>[] Headers { get; init; }

    /// <summary>Configured extra body fields as raw JSON, ordered by name so bodies are byte-for-byte stable.</summary>
    public required SortedDictionary<string, byte[]>? ExtraBody { get; init; }

    public required string OpenTelemetryProviderName { get; init; }

    /// <summary>Every configured secret (all routes' keys and the token, longest first), redacted from any text that leaves the library.</summary>
    public required IReadOnlyList<string> Secrets { get; init; }

    /// <summary>Identifies the route across option snapshots (for route health): index, provider, model and URL.</summary>
    public string Key => field ??= $"{Index}|{Provider.Slug}|{Model}|{Url}";

    public override string ToString() => $"{Provider}/{Model}";
}
