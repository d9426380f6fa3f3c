using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Chat requests in OpenAI's chat-completions format, on the OpenAI SDK's pipeline: the body this package writes
/// (deterministic, so the gateway's cache can hit) goes out through the SDK's protocol method; answers are read into
/// the SDK's types and mapped by Microsoft.Extensions.AI.OpenAI. The universal endpoint is the same exchange with
/// another writer: one step per route, and the answering step decides the route.
/// </summary>
internal sealed class ChatCompletionsExchange : IChatExchange
{
    private readonly ChatClient _sdk;
    private readonly AiGatewayRoute _route;
    private readonly IReadOnlyList<AiGatewayRoute>? _steps;
    private readonly IChatClient _owner;
    private readonly long _maxResponseContentLength;
    private readonly long _maxStreamEventLength;

    // Answers from OpenAI's own API are read as sent; the universal endpoint's may come from any of its steps.
    private readonly bool _normalize;

    private ChatCompletionsExchange(AiGatewayRoute route, IReadOnlyList<AiGatewayRoute>? steps, Uri url, RouteCredential? credential, AiGatewayOptions options, HttpClient httpClient, IChatClient owner)
    {
        _route = route;
        _steps = steps;
        _owner = owner;
        _maxResponseContentLength = options.MaxResponseContentLength;
        _maxStreamEventLength = options.MaxStreamEventLength;
        _normalize = steps is not null || ProviderJsonNormalizer.IsNeededFor(route.Provider);
#pragma warning disable OPENAI001 // The AuthenticationPolicy constructor is how a route sends its own credential, or none.
        _sdk = new ChatClient(route.Model, new RouteCredentialPolicy(credential), OpenAIRoutePipeline.CreateOptions(url, options, httpClient));
#pragma warning restore OPENAI001
    }

    /// <summary>One route's chat completions.</summary>
    public static ChatCompletionsExchange ForRoute(AiGatewayRoute route, AiGatewayOptions options, HttpClient httpClient, IChatClient owner) =>
        new(route, null, route.Url, route.Credential, options, httpClient, owner);

    /// <summary>The gateway's universal endpoint (<c>POST {gateway}</c>): each step carries its own credential, so the request has none.</summary>
    public static ChatCompletionsExchange ForUniversalEndpoint(IReadOnlyList<AiGatewayRoute> routes, AiGatewayOptions options, HttpClient httpClient, IChatClient owner) =>
        new(routes[0], routes, AiGatewayEndpoints.GetUniversalUrl(options), null, options, httpClient, owner);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChatResponse> GetResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        BinaryData content;
        using (var timeout = new WholeAnswerTimeout(call, cancellationToken))
        using (var response = await SendAsync(call, messages, options, stream: false, timeout.Token).ConfigureAwait(false))
        {
            content = await ResponseBodyReader.ReadAsync(response, _maxResponseContentLength, timeout.Token).ConfigureAwait(false);
        }

        return OpenAIChatResponseReader.Read(content, _normalize);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        new CompletionsStream(this, call, messages, options, cancellationToken);

    /// <summary>
    /// Writes and sends one request; returns the successful response (its body to read), or throws with the failed
    /// answer noted on the call (<see cref="BoundedResponsePolicy"/>).
    /// </summary>
    /// <remarks>Awaited once by each caller, so its state is pooled rather than allocated per request.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PipelineResponse> SendAsync(GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, CancellationToken cancellationToken)
    {
        ChatCompletionsSupport.ThrowIfUnsupported(call.Route, messages, options);
        var body = _steps is null
            ? OpenAIChatRequestWriter.Write(_route, messages, options, stream, _owner)
            : UniversalRequestWriter.Write(_steps, messages, options, stream, _owner);
        call.UseBody(body);

        // The body names the call: the transport stamps its headers and notes the response.
        // Unbuffered: a whole answer is read once, exactly sized, by GetResponseAsync (not copied by the pipeline first).
        var requestOptions = new RequestOptions { CancellationToken = cancellationToken, ErrorOptions = ClientErrorBehaviors.NoThrow, BufferResponse = false };
        PipelineResponse response;
        using (var content = new GatewayCallContent(call, body, stream))
        {
            response = (await _sdk.CompleteChatAsync(content, requestOptions).ConfigureAwait(false)).GetRawResponse();
        }

        if (_steps is not null && call.ResponseHeaders.Step is { } step)
        {
            call.ServedBy(RouteForStep(step));
        }

        if (!response.IsError)
        {
            return response;
        }

        response.Dispose();
        throw new HttpRequestException($"The gateway answered {response.Status}.", null, (HttpStatusCode)response.Status);
    }

    /// <summary>A 200 that is not a stream of server-sent events (a proxy's HTML page, a JSON body) is unreadable, not a transport failure.</summary>
    private static async Task ThrowIfNotAStreamAsync(GatewayCall call, PipelineResponse response, CancellationToken cancellationToken)
    {
        if (!response.Headers.TryGetValue("Content-Type", out string? contentType) || string.IsNullOrEmpty(contentType) ||
            contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        string start;
        try
        {
            start = await ResponseBodyReader.ReadStartAsync(response, 200, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GatewayOutcome.IsGatewayFailure(e, cancellationToken))
        {
            start = string.Empty;
        }

        throw GatewayErrorFactory.FromUnexpectedContent(call.Route, contentType, start, call.ResponseHeaders.LogId, call.Elapsed);
    }

    /// <summary>The route a universal-endpoint step index (<c>cf-aig-step</c>) names; the primary when unknown.</summary>
    private AiGatewayRoute RouteForStep(string step) =>
        int.TryParse(step, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int index) && index >= 0 && index < _steps!.Count
            ? _steps[index]
            : _route;

    /// <summary>
    /// A chat-completions stream: the first <c>MoveNextAsync</c> sends the request (its start bounded by
    /// <see cref="StreamStart"/>) and opens the reader; every later update passes straight from Microsoft's mapping with
    /// the fixups applied, without an iterator of its own per update; a closing update the fixups complete comes last.
    /// </summary>
    private sealed class CompletionsStream(ChatCompletionsExchange owner, GatewayCall call, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken given)
        : UpdateStream(given)
    {
        private bool _opened;
        private bool _ended;
        private PipelineResponse? _response;
        private OpenAIResponseFixups? _fixups;
        private ChatResponseUpdate? _last;

        public override ValueTask<bool> MoveNextAsync() =>
            !_opened ? OpenAsync()
            : _ended || Inner is null ? new(false)
            : NextFromInner();

        protected override UpdateStream Again() => new CompletionsStream(owner, call, messages, options, Given);

        protected override void Disposed() => _response?.Dispose();

        protected override bool Took(bool more)
        {
            if (more)
            {
                var update = Inner!.Current;
                _fixups!.Apply(update);
                _last = update;
                Current = update;
                return true;
            }

            _ended = true;
            if (_fixups!.Complete(_last) is { } closing)
            {
                Current = closing;
                return true;
            }

            return false;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> OpenAsync()
        {
            _opened = true;
            using (var start = new StreamStart(owner._route, call.Time, CancellationToken))
            {
                try
                {
                    _response = await owner.SendAsync(call, messages, options, stream: true, start.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (start.TimedOut(e) is { } timedOut)
                {
                    throw timedOut;
                }

                // From here only the caller's token and the network timeout (per piece) stop the stream.
                start.Started();
            }

            await ThrowIfNotAStreamAsync(call, _response, CancellationToken).ConfigureAwait(false);
            _fixups = new OpenAIResponseFixups();
#pragma warning disable OPENAI001 // Microsoft's mapping is experimental only because the SDK types it reads are.
            Inner = OpenAIStreamReader.ReadAsync(_response.ContentStream!, owner._maxStreamEventLength, _fixups, owner._normalize, CancellationToken)
                .AsChatResponseUpdatesAsync(cancellationToken: CancellationToken)
                .GetAsyncEnumerator(CancellationToken);
#pragma warning restore OPENAI001
            return Took(await Inner.MoveNextAsync().ConfigureAwait(false));
        }
    }
}
