using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The OpenAI SDK pipeline for one route: the route's exact URL, its credential (or none), no SDK retries, the
/// configured network timeout, and the gateway's per-call headers. Chat requests go through the SDK's protocol method
/// so each call carries the body this package wrote; embeddings go through Microsoft.Extensions.AI.OpenAI's generator
/// over the SDK's <see cref="EmbeddingClient"/>, with the gateway's headers and facts carried by <see cref="GatewayCall"/>.
/// </summary>
internal sealed class RouteTransport
{
    private static readonly string s_userAgent = "AiGateway.Extensions.AI/" +
        (typeof(RouteTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public RouteTransport(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient)
        : this(route, route.Url, CreateAuthentication(route, options), options, httpClient)
    {
    }

    private RouteTransport(AiGatewayRoute route, Uri url, AuthenticationPolicy authentication, AiGatewayOptions options, HttpClient httpClient)
    {
        Route = route;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = url,
            Transport = new HttpClientPipelineTransport(httpClient),
            // One retry loop: the gateway retries (cf-aig-max-attempts) and the fallback client moves between routes.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.NetworkTimeout,
            UserAgentApplicationId = s_userAgent,
        };
        clientOptions.AddPolicy(new ExactUriPolicy(url), PipelinePosition.PerCall);
        clientOptions.AddPolicy(GatewayCallPolicy.Instance, PipelinePosition.PerCall);
#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is how a route sends no credential, or Azure's api-key.
        // Each made on first use: an embeddings route never makes a chat client, a chat route never an embeddings one.
        _sdk = new(() => new ChatClient(route.Model, authentication, clientOptions));
        _embeddings = new(() => new EmbeddingClient(route.Model, authentication, clientOptions).AsIEmbeddingGenerator());
#pragma warning restore OPENAI001
        _messages = route.Format == ChatWireFormat.AnthropicMessages ? new(() => AnthropicMessagesTransport.Create(route, options, httpClient)) : null;
    }

    private readonly Lazy<IChatClient>? _messages;

    /// <summary>Gets the Anthropic SDK's chat client for an Anthropic Messages route, or null for an OpenAI-format route.</summary>
    public IChatClient? Messages => _messages?.Value;

    private readonly Lazy<ChatClient> _sdk;
    private readonly Lazy<IEmbeddingGenerator<string, Embedding<float>>> _embeddings;

    /// <summary>
    /// Creates the transport of the gateway's universal endpoint (<c>POST {gateway}</c> with an array of steps): each
    /// step carries its own provider credential, so the request itself has none.
    /// </summary>
    public static RouteTransport ForUniversalEndpoint(AiGatewayRoute primary, AiGatewayOptions options, HttpClient httpClient) =>
        new(primary, AiGatewayEndpoints.GetUniversalUrl(options), NoAuthenticationPolicy.Instance, options, httpClient);

    public AiGatewayRoute Route { get; }

    /// <summary>Gets the SDK's chat client, whose protocol method sends the bodies this package writes.</summary>
    public ChatClient Sdk => _sdk.Value;

    /// <summary>Gets Microsoft's embedding generator over the SDK's embedding client for this route.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embeddings => _embeddings.Value;

    /// <summary>Sends the body; the response is never buffered by the SDK (the caller reads it, with a size limit or as a stream).</summary>
    public async Task<PipelineResponse> SendAsync(BinaryData body, KeyValuePair<string, string>[] headers, CancellationToken cancellationToken)
    {
        var requestOptions = new RequestOptions
        {
            CancellationToken = cancellationToken,
            ErrorOptions = ClientErrorBehaviors.NoThrow,
            BufferResponse = false,
        };
        foreach (var (name, value) in headers)
        {
            requestOptions.SetHeader(name, value);
        }

        using var content = BinaryContent.Create(body);
        ClientResult result = await Sdk.CompleteChatAsync(content, requestOptions).ConfigureAwait(false);
        return result.GetRawResponse();
    }

    private static AuthenticationPolicy CreateAuthentication(AiGatewayRoute route, AiGatewayOptions options)
    {
        if (options.EndpointKind == AiGatewayEndpointKind.CloudflareApi)
        {
            return ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(options.Token!));
        }

        if (route.ApiKey is null)
        {
            // Keys stored in the gateway (BYOK) or Unified Billing: no provider credential, and no placeholder, on the wire.
            return NoAuthenticationPolicy.Instance;
        }

        var credential = new ApiKeyCredential(route.ApiKey);
        return route.Descriptor.Auth == ProviderAuthScheme.AzureApiKey
            ? ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(credential, "api-key")
            : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(credential);
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

    private sealed class NoAuthenticationPolicy : AuthenticationPolicy
    {
        public static NoAuthenticationPolicy Instance { get; } = new();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
