using System.ClientModel.Primitives;
using OpenAI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK pipeline every OpenAI-format exchange sends through: the route's exact URL, its credential (or
/// none), no SDK retries (the gateway retries, the fallback moves between routes), the configured network timeout,
/// and the current <see cref="GatewayCall"/>'s headers.
/// </summary>
internal static class OpenAIRoutePipeline
{
    private static readonly string s_userAgent = "AiGateway.Extensions.AI/" +
        (typeof(OpenAIRoutePipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public static OpenAIClientOptions CreateOptions(Uri url, AiGatewayOptions options, HttpClient httpClient)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = url,
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            UserAgentApplicationId = s_userAgent,
        };
        clientOptions.AddPolicy(new ExactUriPolicy(url), PipelinePosition.PerCall);
        clientOptions.AddPolicy(GatewayCallPolicy.Instance, PipelinePosition.PerCall);
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
