using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK pipeline every OpenAI-format exchange sends through: the route's exact URL, its credential (or
/// none, <see cref="RouteCredentialPolicy"/>), no SDK retries (the gateway retries, the fallback moves between
/// routes), the configured network timeout, and the <see cref="GatewayCall"/>'s headers stamped and its answer noted at
/// the transport (<see cref="GatewayPipelineTransport"/>). The policies and the transport it uses follow it in this file.
/// </summary>
internal static class OpenAIRoutePipeline
{
    private static readonly string s_userAgent = "AiGateway.Extensions.AI/" +
        (typeof(OpenAIRoutePipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <param name="url">The route's URL: with <paramref name="exactUri"/>, every request goes exactly there; otherwise the SDK adds its operation's path to it.</param>
    /// <param name="options">The gateway options (network timeout).</param>
    /// <param name="httpClient">The client to send with.</param>
    /// <param name="exactUri">Whether to send every request to <paramref name="url"/> as it is (one operation per client).</param>
    public static OpenAIClientOptions CreateOptions(Uri url, AiGatewayOptions options, HttpClient httpClient, bool exactUri = true)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = url,
            Transport = new GatewayPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            UserAgentApplicationId = s_userAgent,
        };
        if (exactUri)
        {
            clientOptions.AddPolicy(new ExactUriPolicy(url), PipelinePosition.PerCall);
        }

        clientOptions.AddPolicy(new BoundedResponsePolicy(options.MaxResponseContentLength, options.MaxStreamEventLength, options.NetworkTimeout), PipelinePosition.PerCall);
        return clientOptions;
    }

    /// <summary>Points every request at the route's full URL (provider path, Azure deployment and api-version included).</summary>
    private sealed class ExactUriPolicy(Uri uri) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Uri = uri;
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Uri = uri;
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}

/// <summary>
/// The OpenAI SDK pipeline's side of a <see cref="GatewayCall"/>, at its transport: stamps the call's headers straight
/// onto the <see cref="HttpRequestMessage"/> and reads the gateway's response headers from the
/// <see cref="HttpResponseMessage"/> as they came, without the pipeline's header collections in between. The call is
/// the one the body names (<see cref="GatewayCallContent"/>, an exchange that writes the body itself), else the current
/// flow's (an SDK that writes the body). Requests made outside a call pass untouched.
/// </summary>
internal sealed class GatewayPipelineTransport(HttpClient httpClient) : HttpClientPipelineTransport(httpClient)
{
    protected override void OnSendingRequest(PipelineMessage message, HttpRequestMessage httpRequest) =>
        GatewayCallContent.CallOf(message)?.Stamp(httpRequest.Headers);

    protected override void OnReceivedResponse(PipelineMessage message, HttpResponseMessage httpResponse) =>
        GatewayCallContent.CallOf(message)?.Received(httpResponse, errorBody: null);
}

/// <summary>
/// A request body that names its <see cref="GatewayCall"/>, so the transport finds the call without one on the
/// asynchronous flow (an AsyncLocal there would make every await below it carry a non-default execution context).
/// Writing is the pipeline's own <see cref="BinaryContent"/>'s.
/// </summary>
internal sealed class GatewayCallContent(GatewayCall call, BinaryData body, bool streamed) : BinaryContent
{
    private readonly BinaryContent _body = Create(body);

    public GatewayCall Call { get; } = call;

    /// <summary>Gets whether the request asks for a stream (its answer is read unbuffered either way: by the exchange when it is whole).</summary>
    public bool Streamed { get; } = streamed;

    /// <summary>The call a pipeline message belongs to: the one its body names, else the current flow's (an SDK that writes the body); null outside a call.</summary>
    public static GatewayCall? CallOf(PipelineMessage message) =>
        message.Request.Content is GatewayCallContent content ? content.Call : GatewayCall.Current;

    public override bool TryComputeLength(out long length) => _body.TryComputeLength(out length);

    public override void WriteTo(Stream stream, CancellationToken cancellationToken = default) => _body.WriteTo(stream, cancellationToken);

    public override Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default) => _body.WriteToAsync(stream, cancellationToken);

    public override void Dispose() => _body.Dispose();
}

/// <summary>
/// The OpenAI SDK's authentication step for one route: sends the route's <see cref="RouteCredential"/> (whatever its
/// header) or nothing at all, so no SDK placeholder key ever reaches the wire.
/// </summary>
internal sealed class RouteCredentialPolicy(RouteCredential? credential) : AuthenticationPolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Apply(PipelineMessage message)
    {
        if (credential is not null)
        {
            message.Request.Headers.Set(credential.Header, credential.Value);
        }
    }
}
