using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The gateway side of one call made through an SDK method this package does not drive itself (Microsoft's embedding
/// generator calls the OpenAI SDK; Anthropic routes call the Anthropic SDK's chat client): the <c>cf-aig-*</c> headers
/// to send, and what the response said, carried on the asynchronous flow to <see cref="GatewayCallPolicy"/> in an
/// OpenAI SDK pipeline or to <see cref="GatewayCallHandler"/> in an HTTP handler chain.
/// </summary>
internal sealed class GatewayCall(KeyValuePair<string, string>[] headers)
{
    private static readonly AsyncLocal<GatewayCall?> s_current = new();

    public static GatewayCall? Current => s_current.Value;

    public KeyValuePair<string, string>[] Headers { get; } = headers;

    /// <summary>Gets the status of the response the pipeline received, or null before one arrived.</summary>
    public int? Status { get; private set; }

    /// <summary>Gets the gateway's response headers, read as the response arrived.</summary>
    public GatewayResponseHeaders? ResponseHeaders { get; private set; }

    /// <summary>
    /// Gets or sets how to derive <c>cf-aig-cache-key</c> from the body the SDK wrote
    /// (<see cref="AiGatewayChatOptionsExtensions.WithGatewayCacheKeyFromRequest"/>), or null.
    /// </summary>
    public Func<BinaryData, string>? CacheKeyFromBody { get; init; }

    /// <summary>Gets the reason phrase of a failed response, when one arrived through <see cref="GatewayCallHandler"/>.</summary>
    public string? ReasonPhrase { get; private set; }

    /// <summary>Gets the body of a failed response (bounded), when one arrived through <see cref="GatewayCallHandler"/>.</summary>
    public BinaryData? ErrorBody { get; private set; }

    /// <summary>Gets every response header by name (case-insensitive), when the response arrived through <see cref="GatewayCallHandler"/>.</summary>
    public Func<string, string?> Header { get; private set; } = static _ => null;

    /// <summary>Makes this the call of the current asynchronous flow until the scope is disposed.</summary>
    public IDisposable Begin()
    {
        var previous = s_current.Value;
        s_current.Value = this;
        return new Scope(previous);
    }

    public void Received(PipelineResponse response)
    {
        Status = response.Status;
        ResponseHeaders = GatewayResponseHeaders.Read(response.Headers);
    }

    public void Received(HttpResponseMessage response, BinaryData? errorBody)
    {
        Status = (int)response.StatusCode;
        ReasonPhrase = response.ReasonPhrase;
        ResponseHeaders = GatewayResponseHeaders.Read(response);
        Header = name =>
            response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values)
                ? values.ToString()
                : null;
        ErrorBody = errorBody;
    }

    private sealed class Scope(GatewayCall? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
