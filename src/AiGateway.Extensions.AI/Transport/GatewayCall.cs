using System.ClientModel.Primitives;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The gateway side of one call made through an SDK method this package does not drive itself (Microsoft's embedding
/// generator calls the SDK): the <c>cf-aig-*</c> headers to send, and what the response said, carried on the
/// asynchronous flow to <see cref="GatewayCallPolicy"/> in the route's pipeline.
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

    private sealed class Scope(GatewayCall? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
