using System.ClientModel.Primitives;
using OpenAI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK pipeline every OpenAI-format exchange sends through: the route's exact URL, its credential (or
/// none, <see cref="RouteCredentialPolicy"/>), no SDK retries (the gateway retries, the fallback moves between
/// routes), the configured network timeout, and the current <see cref="GatewayCall"/>'s headers
/// (<see cref="GatewayCallPolicy"/>). The policies it uses follow it in this file.
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
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            UserAgentApplicationId = s_userAgent,
        };
        if (exactUri)
        {
            clientOptions.AddPolicy(new ExactUriPolicy(url), PipelinePosition.PerCall);
        }

        clientOptions.AddPolicy(GatewayCallPolicy.Instance, PipelinePosition.PerCall);
        clientOptions.AddPolicy(new BoundedResponsePolicy(options.MaxResponseContentLength, options.MaxStreamEventLength), PipelinePosition.PerCall);
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
/// The OpenAI SDK pipeline's side of a <see cref="GatewayCall"/>: stamps the current call's headers on the request and
/// notes the response. Requests made outside a call pass untouched.
/// </summary>
internal sealed class GatewayCallPolicy : PipelinePolicy
{
    public static GatewayCallPolicy Instance { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var call = Prepare(message);
        ProcessNext(message, pipeline, currentIndex);
        Complete(call, message);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        var call = Prepare(message);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        Complete(call, message);
    }

    private static GatewayCall? Prepare(PipelineMessage message)
    {
        var call = GatewayCall.Current;
        call?.Stamp(message.Request.Headers, static (headers, name, value) => headers.Set(name, value));
        return call;
    }

    private static void Complete(GatewayCall? call, PipelineMessage message)
    {
        if (call is not null && message.Response is { } response)
        {
            call.Received(response);
        }
    }
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
