using System.ClientModel;
using System.Diagnostics;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
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
/// (<see cref="AiGatewayResponseExtensions.GetGatewayInfo(ChatResponse)"/>).
/// </summary>
/// <remarks>
/// Thread-safe: every request is built from its own state. When created through dependency injection the client
/// follows configuration reloads: the next request uses the new route.
/// </remarks>
public sealed class AiGatewayChatClient : IChatClient
{
    private static readonly Lazy<HttpClient> s_sharedHttpClient = new(CreateDefaultHttpClient);

    private readonly Func<AiGatewayOptions> _currentOptions;
    private readonly string _configurationPath;
    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _stateLock = new();
    private volatile GatewayClientState? _state;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayChatClient"/> class with fixed options.</summary>
    /// <param name="options">The gateway, route and header settings.</param>
    /// <param name="httpClient">
    /// The HTTP client to send with. Its <see cref="HttpClient.Timeout"/> should be infinite: <see cref="AiGatewayOptions.NetworkTimeout"/>
    /// bounds waits instead, without cutting long streams. When null, a shared client is used.
    /// </param>
    /// <param name="logger">Receives one Debug line per answer and a Warning per failure (routes, statuses, log ids; never content or secrets).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad key.</exception>
    public AiGatewayChatClient(AiGatewayOptions options, HttpClient? httpClient = null, ILogger<AiGatewayChatClient>? logger = null)
        : this(options, httpClient, TimeProvider.System, logger)
    {
    }

    internal AiGatewayChatClient(AiGatewayOptions options, HttpClient? httpClient, TimeProvider timeProvider, ILogger? logger = null)
        : this(() => options, "AiGateway", httpClient ?? s_sharedHttpClient.Value, timeProvider, logger)
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
        _currentOptions = currentOptions;
        _configurationPath = configurationPath;
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var exchange = await SendAsync(messages, options, stream: false, cancellationToken).ConfigureAwait(false);
        ChatCompletion completion;
        try
        {
            var content = await ResponseBodyReader.ReadAsync(exchange.Response, exchange.MaxResponseContentLength, cancellationToken).ConfigureAwait(false);
            completion = OpenAIModels.Read<ChatCompletion>(ProviderJsonNormalizer.Normalize(content.ToMemory().Span) is { } normalized ? BinaryData.FromBytes(normalized) : content);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw GatewayErrorFactory.FromException(exchange.Route, e, exchange.Info.Attempts[0].Duration, exchange.Info.LogId);
        }

        var chatResponse = OpenAIChatResponseMapper.FromCompletion(completion);
        chatResponse.AdditionalProperties = GatewayResponseReader.ToAdditionalProperties(exchange.Info, exchange.Response.Headers);
        return chatResponse;
    }

    /// <inheritdoc />
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

        if (serviceType == typeof(ChatClient))
        {
            return GetState().Transports[0].Sdk;
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
        using var exchange = await SendAsync(messages, options, stream: true, cancellationToken).ConfigureAwait(false);
        var (response, route, info) = (exchange.Response, exchange.Route, exchange.Info);
        var mapper = new OpenAIStreamingMapper();
        bool first = true;
        bool done = false;

        await using var events = OpenAIStreamEvent.CreateParser(response.ContentStream!).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (!done && await MoveNextAsync(events, route, info, mapper, cancellationToken).ConfigureAwait(false))
        {
            var item = events.Current.Data;
            if (item.IsDone)
            {
                done = true;
                continue;
            }

            if (item.Error is { } error)
            {
                throw GatewayErrorFactory.FromStreamError(route, error, info.LogId, info.Attempts[0].Duration);
            }

            var update = mapper.Map(item);
            if (first || IsFinal(update))
            {
                AttachInfo(update, info, first ? response.Headers : null);
                first = false;
            }

            yield return update;
        }

        if (mapper.Complete() is { } closing)
        {
            AttachInfo(closing, info, null);
            yield return closing;
        }
    }

    /// <summary>The first update carries the gateway's facts and raw headers; the closing ones (finish reason, usage, tool calls) carry the facts again.</summary>
    private static void AttachInfo(ChatResponseUpdate update, AiGatewayResponseInfo info, PipelineResponseHeaders? headers) =>
        update.AdditionalProperties = headers is not null
            ? GatewayResponseReader.ToAdditionalProperties(info, headers)
            : new() { [AiGatewayResponseInfo.AdditionalPropertiesKey] = info };

    private static bool IsFinal(ChatResponseUpdate update) =>
        update.RawRepresentation is StreamingChatCompletionUpdate chunk && (chunk.FinishReason is not null || chunk.Usage is not null);

    private static async Task<bool> MoveNextAsync(IAsyncEnumerator<SseItem<OpenAIStreamEvent>> events, AiGatewayRoute route, AiGatewayResponseInfo info, OpenAIStreamingMapper mapper, CancellationToken cancellationToken)
    {
        try
        {
            if (await events.MoveNextAsync().ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw GatewayErrorFactory.FromException(route, e, info.Attempts[0].Duration, info.LogId);
        }

        // A stream that ends without [DONE] or a finish reason was cut off, even if the connection closed cleanly.
        if (!mapper.Finished)
        {
            throw GatewayErrorFactory.FromException(route, new IOException("The stream ended before the answer was complete."), info.Attempts[0].Duration, info.LogId);
        }

        return false;
    }

    /// <summary>Writes and sends one request; returns the successful response with what the gateway said, or throws.</summary>
    private async Task<Exchange> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, CancellationToken cancellationToken)
    {
        var state = GetState();
        var transport = options is RoutePinnedChatOptions pinned ? pinned.Transport : state.UniversalTransport ?? state.Transports[0];
        var route = transport.Route;
        bool universal = transport == state.UniversalTransport;
        var body = universal
            ? UniversalRequestWriter.Write(state.Table.Routes, messages, options, stream, this)
            : OpenAIChatRequestWriter.Write(route, messages, options, stream, this);
        var headers = WithTraceContext(BuildHeaders(route, options));
        if (RequestCacheKey.TryGetNamespace(options) is { } keyNamespace)
        {
            headers = RequestCacheKey.WithKey(headers, RequestCacheKey.Compute(keyNamespace, route, body));
        }

        long limit = state.Table.Options.MaxResponseContentLength;

        long started = _timeProvider.GetTimestamp();
        PipelineResponse response;
        try
        {
            response = await transport.SendAsync(body, headers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            throw Logged(GatewayErrorFactory.FromException(route, e, _timeProvider.GetElapsedTime(started)));
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        if (universal)
        {
            // The universal endpoint says which step answered; that route's format and facts apply.
            route = state.Table.RouteForStep(GatewayResponseReader.GetHeader(response.Headers, AiGatewayHeaderNames.Step));
        }

        if (!response.IsError)
        {
            var info = GatewayResponseReader.ReadInfo(route, response.Headers, elapsed, response.Status);
            Log.Answered(_logger, info.Provider, info.Model, response.Status, (long)elapsed.TotalMilliseconds, info.CacheStatus, info.LogId);
            return new Exchange(response, route, info, limit);
        }

        using (response)
        {
            BinaryData content;
            try
            {
                content = await ResponseBodyReader.ReadAsync(response, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsFailure(e, cancellationToken))
            {
                content = BinaryData.Empty;
            }

            throw Logged(GatewayErrorFactory.FromResponse(route, response, content, elapsed, _timeProvider));
        }
    }

    private AiGatewayException Logged(AiGatewayException error)
    {
        Log.Failed(_logger, error.Provider, error.Model, error.StatusCode, error.Kind, error.GatewayErrorCode, error.ProviderErrorCode, error.LogId);
        return error;
    }

    /// <summary>Sends the current span's trace context, so the gateway's own OpenTelemetry export joins the caller's trace.</summary>
    private static KeyValuePair<string, string>[] WithTraceContext(KeyValuePair<string, string>[] headers)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return headers;
        }

        var withTrace = new KeyValuePair<string, string>[headers.Length + 2];
        headers.CopyTo(withTrace, 0);
        withTrace[^2] = new(AiGatewayHeaderNames.OtelTraceId, activity.TraceId.ToHexString());
        withTrace[^1] = new(AiGatewayHeaderNames.OtelParentSpanId, activity.SpanId.ToHexString());
        return withTrace;
    }

    private static KeyValuePair<string, string>[] BuildHeaders(AiGatewayRoute route, ChatOptions? options) =>
        GatewayRequestSettings.HasOverrides(options)
            ? route.Settings.WithOverrides(options!.AdditionalProperties!).ToHeaders()
            : route.Headers;

    /// <summary>A failure to report as <see cref="AiGatewayException"/>; the caller's own cancellation is left as it is.</summary>
    private static bool IsFailure(Exception e, CancellationToken cancellationToken) =>
        e is not AiGatewayException &&
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) &&
        e is ClientResultException or HttpRequestException or IOException or OperationCanceledException
            or TimeoutException or InvalidDataException or System.Text.Json.JsonException or FormatException or InvalidOperationException;

    internal GatewayClientState GetState()
    {
        var options = _currentOptions();
        var state = _state;
        if (state is not null && ReferenceEquals(state.Table.Options, options))
        {
            return state;
        }

        lock (_stateLock)
        {
            state = _state;
            if (state is null || !ReferenceEquals(state.Table.Options, options))
            {
                var table = RouteTable.Create(options, _configurationPath);
                _state = state = new GatewayClientState(table, _httpClient);
            }

            return state;
        }
    }

    private static HttpClient CreateDefaultHttpClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A sent request: its successful response (owned, disposed with this), its route and what the gateway said.</summary>
    private readonly record struct Exchange(PipelineResponse Response, AiGatewayRoute Route, AiGatewayResponseInfo Info, long MaxResponseContentLength) : IDisposable
    {
        public void Dispose() => Response.Dispose();
    }
}
