using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One request through the gateway, whatever its wire format: the <c>cf-aig-*</c> headers it sends (a route's defaults
/// with the request's own values laid over them, and the trace context), and what came back (status, the gateway's
/// response headers, a failed answer's body, an error event inside a stream). Made per request, never shared.
/// </summary>
/// <remarks>
/// The transport under the SDK stamps the headers and notes the response: <see cref="GatewayPipelineTransport"/> under
/// an OpenAI SDK pipeline, <see cref="GatewayCallHandler"/> in an HTTP handler chain (the Anthropic SDK). An exchange
/// that writes the body itself names the call in it (<see cref="GatewayCallContent"/>, the chat-completions protocol
/// method); an SDK that writes the body reaches the call through <see cref="Current"/> while <see cref="Begin"/>'s
/// scope is open. All stamp headers and record answers through this type only.
/// </remarks>
internal sealed class GatewayCall
{
    private static readonly AsyncLocal<GatewayCall?> s_current = new();

    private readonly TimeProvider _time;
    private readonly long _started;

    private GatewayCall(AiGatewayRoute route, GatewayRequestSettings settings, KeyValuePair<string, string>[] headers, Activity? span, TimeProvider time)
    {
        Route = route;
        EventId = settings.EventId;
        Headers = headers;
        Span = span;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>Gets the call of the current asynchronous flow, while a <see cref="Begin"/> scope is open.</summary>
    public static GatewayCall? Current => s_current.Value;

    /// <summary>Gets the route the request went to; on the universal endpoint, the route of the step that answered.</summary>
    public AiGatewayRoute Route { get; private set; }

    /// <summary>Gets the <c>cf-aig-*</c> headers to send, in a fixed order.</summary>
    public KeyValuePair<string, string>[] Headers { get; private set; }

    /// <summary>Gets the event id the request sent, reported back when the gateway does not echo it.</summary>
    public string? EventId { get; }

    /// <summary>Gets the span the request runs in (Microsoft's GenAI span, or a fallback attempt's); the gateway's facts go onto it.</summary>
    public Activity? Span { get; }

    /// <summary>Gets how to derive <c>cf-aig-cache-key</c> from the body the SDK wrote, or null.</summary>
    public Func<BinaryData, string>? CacheKeyFromBody { get; private init; }

    /// <summary>Gets the time since the call started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Gets the clock the call is timed on (also for reading <c>Retry-After</c> dates).</summary>
    public TimeProvider Time => _time;

    /// <summary>Gets the response's status, or null before one arrived.</summary>
    public int? Status { get; private set; }

    /// <summary>Gets the response's reason phrase, when the transport reported one.</summary>
    public string? ReasonPhrase { get; private set; }

    /// <summary>Gets the gateway's response headers, read once as the response arrived.</summary>
    public GatewayResponseHeaders ResponseHeaders { get; private set; } = GatewayResponseHeaders.Empty;

    /// <summary>Gets a failed answer's body (bounded), or null.</summary>
    public BinaryData? ErrorBody { get; private set; }

    /// <summary>Gets the data of an error event seen inside a stream that had started, or null.</summary>
    public byte[]? StreamError { get; private set; }

    private HttpResponseMessage? _httpResponse;

    /// <summary>
    /// Starts a call on <paramref name="route"/> with the request's <c>cf-aig-*</c> values, in the current span; on an
    /// Auto Router route <paramref name="conversationId"/> is the session when the request names none.
    /// </summary>
    /// <exception cref="ArgumentException">A request value has the wrong type or breaks a gateway limit.</exception>
    public static GatewayCall Start(AiGatewayRoute route, AdditionalPropertiesDictionary? requestProperties, TimeProvider time, string? conversationId = null)
    {
        var (settings, headers) = GatewayRequestSettings.For(route.Settings, route.Headers, requestProperties, conversationId);
        var span = Activity.Current;
        return new GatewayCall(route, settings, GatewayRequestSettings.WithTraceContext(headers, span), span, time)
        {
            CacheKeyFromBody = RequestCacheKey.TryGetNamespace(requestProperties) is { } keyNamespace ? CacheKeyIn(keyNamespace, route.Provider.Slug) : null,
        };
    }

    // Its own method: the lambda's captures would otherwise be allocated on entry to Start, on every request.
    private static Func<BinaryData, string> CacheKeyIn(string keyNamespace, string provider) =>
        body => RequestCacheKey.Compute(keyNamespace, provider, body);

    /// <summary>Makes this the call of the current asynchronous flow until the scope is disposed (for SDKs that send the request themselves).</summary>
    public Scope Begin()
    {
        var previous = s_current.Value;
        s_current.Value = this;
        return new Scope(previous);
    }

    /// <summary>Gets or sets the timeout of a whole answer's waits (<see cref="WholeAnswerTimeout"/>); null when none is timed.</summary>
    public PieceTimeout? AnswerTimeout { get; set; }

    /// <summary>Gets or sets whether a wait of the whole answer ran out (<see cref="WholeAnswerTimeout"/>).</summary>
    public bool AnswerTimedOut { get; set; }

    /// <summary>Sets the derived cache key before the body is sent (when the request asked for one).</summary>
    public void UseBody(BinaryData body)
    {
        if (CacheKeyFromBody is { } cacheKey)
        {
            Headers = RequestCacheKey.WithKey(Headers, cacheKey(body));
        }
    }

    /// <summary>
    /// Puts this call's headers on a request that carries no <c>cf-aig-*</c> header of its own (the SDKs add none; the
    /// HTTP handler strips any first); the one place they are stamped.
    /// </summary>
    public void Stamp(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        foreach (var (name, value) in Headers)
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// Notes a response as it arrived: through an HTTP handler, with a failed answer's body; through an OpenAI SDK
    /// transport, without (the exchange reads the body from the pipeline's response).
    /// </summary>
    public void Received(HttpResponseMessage response, BinaryData? errorBody)
    {
        AnswerTimeout?.Stop();
        Status = (int)response.StatusCode;
        ReasonPhrase = response.ReasonPhrase;
        ResponseHeaders = GatewayResponseHeaders.Read(response);
        _httpResponse = response;
        ErrorBody = errorBody;
    }

    /// <summary>Any response header by name (case-insensitive), for error details such as <c>Retry-After</c>; null when absent.</summary>
    public string? Header(string name) =>
        _httpResponse is { } response &&
        (response.Headers.NonValidated.TryGetValues(name, out var values) || response.Content.Headers.NonValidated.TryGetValues(name, out values))
            ? values.ToString()
            : null;

    /// <summary>Notes a failed answer's body, read within the size limit.</summary>
    public void ReceivedError(BinaryData body) => ErrorBody = body;

    /// <summary>Notes the data of an error event inside the stream.</summary>
    public void ReceivedStreamError(byte[] data) => StreamError = data;

    /// <summary>On the universal endpoint, the step that answered decides the route the answer is reported for.</summary>
    public void ServedBy(AiGatewayRoute route) => Route = route;

    /// <summary>Restores the previous call of the flow.</summary>
    public readonly struct Scope(GatewayCall? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
