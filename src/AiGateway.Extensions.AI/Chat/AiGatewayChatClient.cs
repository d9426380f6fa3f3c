using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> whose requests go through Cloudflare AI Gateway: it builds the provider route's URL,
/// sends the gateway's <c>cf-aig-*</c> headers, and reports what the gateway answered
/// (<see cref="AiGatewayResponseExtensions.GetGatewayInfo(ChatResponse)"/>, and as attributes on the current span).
/// </summary>
/// <remarks>
/// <para>
/// Compose it with Microsoft.Extensions.AI's builder: <c>new AiGatewayChatClient(options).AsBuilder()
/// .UseFunctionInvocation().UseOpenTelemetry().UseAiGatewayFallback().Build()</c>, or register it with
/// <c>services.AddAiGatewayChatClient(section)</c>, which returns the same builder.
/// </para>
/// <para>
/// Thread-safe: every request is built from its own state. When created through dependency injection the client
/// follows configuration reloads: the next request uses the new route. Services it answers through
/// <see cref="GetService"/>: <see cref="ChatClientMetadata"/>, <c>AiGatewayRouteSet</c> (each route as a client of
/// its own), and itself.
/// </para>
/// </remarks>
public sealed class AiGatewayChatClient : IChatClient
{
    private readonly RouteTableCache<ChatRoutes> _routes;
    private readonly TimeProvider _timeProvider;
    private readonly AutoRouterConversations _conversations = new();
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayChatClient"/> class with fixed options.</summary>
    /// <param name="options">The gateway, route and header settings.</param>
    /// <param name="httpClient">
    /// The HTTP client to send with. Its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="AiGatewayOptions.NetworkTimeout"/>
    /// bounds waits instead, without cutting long streams. When null, a shared client is used.
    /// </param>
    /// <param name="logger">Receives one Debug line per answer and a Warning per failure (routes, statuses, log ids; never content or secrets).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad key.</exception>
    public AiGatewayChatClient(AiGatewayOptions options, HttpClient? httpClient = null, ILogger<AiGatewayChatClient>? logger = null)
        : this(options, httpClient, TimeProvider.System, logger)
    {
    }

    internal AiGatewayChatClient(AiGatewayOptions options, HttpClient? httpClient, TimeProvider timeProvider, ILogger? logger = null)
        : this(() => options, "AiGateway", httpClient ?? GatewayHttp.Shared, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = _routes.Get();
    }

    internal AiGatewayChatClient(IOptionsMonitor<AiGatewayOptions> optionsMonitor, string optionsName, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger)
        : this(() => optionsMonitor.Get(optionsName), configurationPath, httpClient, timeProvider, logger)
    {
    }

    private AiGatewayChatClient(Func<AiGatewayOptions> currentOptions, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger)
    {
        _logger = logger ?? NullLogger.Instance;
        _routes = new(currentOptions, configurationPath, RouteOperation.Chat, table => new ChatRoutes(table, httpClient, this), e => Log.ConfigurationRejected(_logger, e.Message));
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">The gateway or the provider refused the request, or the answer could not be read.</exception>
    /// <exception cref="ArgumentException">A per-request gateway setting is invalid; the message names it.</exception>
    /// <exception cref="NotSupportedException">The request holds something the route's API cannot carry (a hosted tool, a content type or an option); the message names it and the route.</exception>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return GetResponseAsync(Choose(options), messages, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">
    /// While enumerating: the gateway or the provider refused the request, the stream was cut or reported an error, or
    /// an event could not be read.
    /// </exception>
    /// <exception cref="ArgumentException">While enumerating: a per-request gateway setting is invalid; the message names it.</exception>
    /// <exception cref="NotSupportedException">While enumerating: the request holds something the route's API cannot carry; the message names it and the route.</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return GetStreamingResponseAsync(null, messages, options, cancellationToken);
    }

    /// <summary>The route this request takes, saying once when configured fallbacks go unused.</summary>
    private ChatRoute Choose(ChatOptions? options)
    {
        var routes = _routes.Get();
        if (routes.FirstLeavesFallbacksUnused(options))
        {
            Log.FallbacksUnused(_logger, routes.Routes.Count, routes.Routes[0].Route.ConfigurationPath);
        }

        return routes.Choose(options);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _routes.Get().Metadata
            : serviceType == typeof(AiGatewayRouteSet) ? _routes.Get().RouteSet
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the caller or to IHttpClientFactory; nothing here owns unmanaged state.
    }

    /// <summary>One request on <paramref name="route"/>: its exchange sends it; the outcome is reported and the facts attached here.</summary>
    internal async Task<ChatResponse> GetResponseAsync(ChatRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var call = StartCall(route, messages, options);
        ChatResponse response;
        try
        {
            response = await route.Exchange.GetResponseAsync(call, messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GatewayOutcome.IsGatewayFailure(e, cancellationToken))
        {
            throw GatewayOutcome.Failed(call, e, _logger);
        }

        ResponseFacts.Attach(response, GatewayOutcome.Answered(call, _logger), call.ResponseHeaders);
        return response;
    }

    /// <summary>One streamed request on <paramref name="route"/>, or on the route its options choose when null.</summary>
    internal IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(ChatRoute? route, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new GatewayStream(this, route, messages, options, cancellationToken);

    /// <summary>Starts the gateway call of one request on <paramref name="route"/>.</summary>
    private GatewayCall StartCall(ChatRoute route, IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        GatewayCall.Start(route.Route, options?.AdditionalProperties, _timeProvider, _conversations.For(route.Route, messages, options));

    /// <summary>
    /// One streamed request as its caller enumerates it: on the first <see cref="MoveNextAsync"/> the route is chosen (when
    /// the request named none), the <see cref="GatewayCall"/> starts and the route's exchange sends; each failure it reports
    /// becomes an <see cref="AiGatewayException"/> (<see cref="GatewayOutcome"/>), and the gateway's facts go on the first
    /// update and on the updates that close the answer (<see cref="ResponseFacts"/>).
    /// </summary>
    /// <remarks>Written out (<see cref="UpdateStream"/>) because it sits on every update of every stream.</remarks>
    private sealed class GatewayStream(AiGatewayChatClient owner, ChatRoute? route, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
        : UpdateStream(cancellationToken)
    {
        private GatewayCall? _call;
        private AiGatewayResponseInfo? _info;

        public override ValueTask<bool> MoveNextAsync()
        {
            if (Inner is null)
            {
                // Outside the failure handling, as a request that cannot be sent is the caller's to mend.
                var chosen = route ?? owner.Choose(options);
                _call = owner.StartCall(chosen, messages, options);
                Inner = chosen.Exchange.GetStreamingResponseAsync(_call, messages, options, CancellationToken).GetAsyncEnumerator(CancellationToken);
            }

            return NextFromInner();
        }

        protected override UpdateStream Again() => new GatewayStream(owner, route, messages, options, Given);

        /// <summary>A failure of the exchange is the gateway's to type; the caller's cancellation (by either of its tokens) passes as it is.</summary>
        protected override bool IsFailure(Exception exception) => GatewayOutcome.IsGatewayFailure(exception, CancellationToken);

        protected override Exception Failed(Exception exception) => GatewayOutcome.Failed(_call!, exception, owner._logger);

        protected override bool Took(bool more)
        {
            if (!more)
            {
                return false;
            }

            var update = Inner!.Current;
            if (_info is null)
            {
                _info = GatewayOutcome.Answered(_call!, owner._logger);
                ResponseFacts.AttachFirst(update, _info, _call!.ResponseHeaders);
            }
            else
            {
                ResponseFacts.AttachIfClosing(update, _info);
            }

            Current = update;
            return true;
        }
    }
}
