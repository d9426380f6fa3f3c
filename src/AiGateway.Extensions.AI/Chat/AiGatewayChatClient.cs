using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

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
/// <see cref="GetService"/>: <see cref="ChatClientMetadata"/>, <see cref="AiGatewayRouteSet"/>, and itself.
/// </para>
/// </remarks>
public sealed class AiGatewayChatClient : IChatClient
{
    private readonly GatewayStateCache _states;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AnthropicMessagesExchange _anthropic;

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
        _ = GetState();
    }

    internal AiGatewayChatClient(IOptionsMonitor<AiGatewayOptions> optionsMonitor, string optionsName, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger)
        : this(() => optionsMonitor.Get(optionsName), configurationPath, httpClient, timeProvider, logger)
    {
    }

    private AiGatewayChatClient(Func<AiGatewayOptions> currentOptions, string configurationPath, HttpClient httpClient, TimeProvider timeProvider, ILogger? logger)
    {
        _states = new GatewayStateCache(currentOptions, configurationPath, RouteOperation.Chat, httpClient, this);
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _anthropic = new AnthropicMessagesExchange(timeProvider, _logger);
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">The gateway or the provider refused the request, or the answer could not be read.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var state = GetState();
        var (transport, universal) = Choose(state);
        if (transport.Messages is not null)
        {
            return await _anthropic.GetResponseAsync(transport, messages, options, cancellationToken).ConfigureAwait(false);
        }

        using var exchange = await SendAsync(state, transport, universal, messages, options, stream: false, cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        try
        {
            var content = await ResponseBodyReader.ReadAsync(exchange.Response, exchange.MaxResponseContentLength, cancellationToken).ConfigureAwait(false);
            response = OpenAIChatResponseReader.Read(content);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw Failed(exchange.Span, GatewayErrorFactory.FromException(exchange.Route, e, exchange.Info.Attempts[0].Duration, exchange.Info.LogId));
        }

        AttachInfo(response.AdditionalProperties ??= [], exchange.Info, exchange.Headers);
        return response;
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">
    /// While enumerating: the gateway or the provider refused the request, the stream was cut or reported an error, or
    /// an event could not be read.
    /// </exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return GetState().Metadata;
        }

        if (serviceType == typeof(AiGatewayRouteSet))
        {
            return GetState().RouteSet;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the caller or to IHttpClientFactory; nothing here owns unmanaged state.
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = GetState();
        var (transport, universal) = Choose(state);
        if (transport.Messages is not null)
        {
            await foreach (var update in _anthropic.StreamAsync(transport, messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        using var exchange = await SendAsync(state, transport, universal, messages, options, stream: true, cancellationToken).ConfigureAwait(false);
        await ThrowIfNotAStreamAsync(exchange, cancellationToken).ConfigureAwait(false);
        var fixups = new OpenAIResponseFixups();
#pragma warning disable OPENAI001 // Microsoft's mapping is experimental only because the SDK types it reads are.
        var updates = OpenAIStreamReader.ReadAsync(exchange.Response.ContentStream!, exchange.MaxStreamEventLength, fixups, cancellationToken)
            .AsChatResponseUpdatesAsync(cancellationToken: cancellationToken);
#pragma warning restore OPENAI001
        await using var enumerator = updates.GetAsyncEnumerator(cancellationToken);

        ChatResponseUpdate? last = null;
        while (await MoveNextAsync(enumerator, exchange, cancellationToken).ConfigureAwait(false))
        {
            var update = enumerator.Current;
            fixups.Apply(update);

            // The first update carries the facts and raw headers; the closing ones (finish reason, usage, tool calls) the facts again.
            if (last is null)
            {
                AttachInfo(update.AdditionalProperties ??= [], exchange.Info, exchange.Headers);
            }
            else if (IsClosing(update))
            {
                (update.AdditionalProperties ??= [])[AiGatewayResponseInfo.AdditionalPropertiesKey] = exchange.Info;
            }

            last = update;
            yield return update;
        }

        if (fixups.Complete(last) is { } closing)
        {
            closing.AdditionalProperties = new() { [AiGatewayResponseInfo.AdditionalPropertiesKey] = exchange.Info };
            yield return closing;
        }
    }

    /// <summary>A 200 that is not a stream of server-sent events (a proxy's HTML page, a JSON body) is unreadable, not a transport failure.</summary>
    private async Task ThrowIfNotAStreamAsync(Exchange exchange, CancellationToken cancellationToken)
    {
        if (exchange.Headers.ContentType is not { } contentType ||
            contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        string start;
        try
        {
            start = await ResponseBodyReader.ReadStartAsync(exchange.Response, 200, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            start = string.Empty;
        }

        throw Failed(exchange.Span, GatewayErrorFactory.FromUnexpectedContent(exchange.Route, contentType, start, exchange.Info));
    }

    private static bool IsClosing(ChatResponseUpdate update) =>
        update.RawRepresentation is not StreamingChatCompletionUpdate chunk || chunk.FinishReason is not null || chunk.Usage is not null;

    private async Task<bool> MoveNextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, Exchange exchange, CancellationToken cancellationToken)
    {
        try
        {
            return await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OpenAIStreamErrorException e)
        {
            throw Failed(exchange.Span, GatewayErrorFactory.FromStreamError(exchange.Route, e.ErrorEvent, exchange.Info.LogId, exchange.Info.Attempts[0].Duration));
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw Failed(exchange.Span, GatewayErrorFactory.FromException(exchange.Route, e, exchange.Info.Attempts[0].Duration, exchange.Info.LogId));
        }
    }

    /// <summary>Writes and sends one request; returns the successful response with what the gateway said, or throws.</summary>
    /// <summary>The route a request takes: the one a delegating client pinned, the universal endpoint, or the primary route.</summary>
    private (RouteTransport Transport, bool Universal) Choose(GatewayClientState state) =>
        AiGatewayRouteInfo.Pinned is { } pinned && ReferenceEquals(pinned.Owner, this) ? (pinned.Transport, false)
        : state.UniversalTransport is { } universalTransport ? (universalTransport, true)
        : (state.Primary, false);

    private async Task<Exchange> SendAsync(
        GatewayClientState state, RouteTransport transport, bool universal, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, CancellationToken cancellationToken)
    {
        var route = transport.Route;
        var body = universal
            ? UniversalRequestWriter.Write(state.Table.Routes, messages, options, stream, this)
            : OpenAIChatRequestWriter.Write(route, messages, options, stream, this);
        var (settings, headers) = GatewayRequestSettings.For(route, options?.AdditionalProperties);
        if (RequestCacheKey.TryGetNamespace(options) is { } keyNamespace)
        {
            headers = RequestCacheKey.WithKey(headers, RequestCacheKey.Compute(keyNamespace, route, body));
        }

        // The span this request runs in: Microsoft's GenAI span, or a fallback attempt's. The gateway's facts go onto it.
        var span = Activity.Current;
        headers = GatewayRequestSettings.WithTraceContext(headers, span);
        long limit = state.Table.Options.MaxResponseContentLength;

        long started = _timeProvider.GetTimestamp();
        PipelineResponse response;
        try
        {
            response = await transport.SendAsync(body, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
        {
            throw Failed(span, GatewayErrorFactory.FromException(route, e, _timeProvider.GetElapsedTime(started)));
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        if (universal)
        {
            // The universal endpoint says which step answered; that route's format and facts apply.
            route = state.Table.RouteForStep(GatewayResponseReader.GetHeader(response.Headers, AiGatewayHeaderNames.Step));
        }

        if (!response.IsError)
        {
            var gatewayHeaders = GatewayResponseHeaders.Read(response.Headers);
            var info = GatewayResponseReader.ReadInfo(route, gatewayHeaders, elapsed, response.Status, settings.EventId);
            GatewayInstruments.Answered(_logger, span, info, response.Status, elapsed);
            return new Exchange(response, gatewayHeaders, route, info, limit, state.Table.Options.MaxStreamEventLength, span);
        }

        using (response)
        {
            BinaryData content;
            try
            {
                content = await ResponseBodyReader.ReadAsync(response, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsGatewayFailure(e, cancellationToken))
            {
                content = BinaryData.Empty;
            }

            throw Failed(span, GatewayErrorFactory.FromResponse(route, response, content, elapsed, _timeProvider));
        }
    }

    private AiGatewayException Failed(Activity? span, AiGatewayException error) => GatewayInstruments.Failed(_logger, span, error);

    /// <summary>The raw header values under their own names, and the typed facts.</summary>
    private static void AttachInfo(AdditionalPropertiesDictionary properties, AiGatewayResponseInfo info, GatewayResponseHeaders headers)
    {
        properties[AiGatewayResponseInfo.AdditionalPropertiesKey] = info;
        headers.CopyTo(properties);
    }

    /// <summary>
    /// A failure of the network, the gateway or the provider's data, to report as <see cref="AiGatewayException"/>.
    /// The caller's own cancellation and failures of this process's code (for example an
    /// <see cref="InvalidOperationException"/>) are left as they are, so no fallback ever retries a bug.
    /// </summary>
    private static bool IsGatewayFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or InvalidDataException or TimeoutException or ClientResultException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    internal GatewayClientState GetState() => _states.Get();

    /// <summary>A sent request: its successful response (owned, disposed with this), its route, what the gateway said, and its span.</summary>
    private readonly record struct Exchange(
        PipelineResponse Response, GatewayResponseHeaders Headers, AiGatewayRoute Route, AiGatewayResponseInfo Info, long MaxResponseContentLength, long MaxStreamEventLength, Activity? Span) : IDisposable
    {
        public void Dispose() => Response.Dispose();
    }
}
