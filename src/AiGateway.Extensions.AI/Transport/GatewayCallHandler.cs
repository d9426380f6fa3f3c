namespace AiGateway.Extensions.AI;

/// <summary>
/// The HTTP-handler side of a <see cref="GatewayCall"/>, for SDKs that send through an <see cref="HttpClient"/> (the
/// Anthropic SDK): sends the route's own credential and nothing the SDK found in the environment, stamps the current
/// call's headers, derives the body's cache key when asked, and notes what came back. A failed answer's body is read
/// here within the size limit, and an error event inside a stream is captured as it passes, so failures are reported
/// from the gateway's and the provider's own words whatever the SDK makes of them. What the SDK reads is bounded here:
/// a stream's events in size and each next piece in time; a whole answer in size, and each next piece of it by the
/// call's <see cref="WholeAnswerTimeout"/>.
/// </summary>
internal sealed class GatewayCallHandler(RouteCredential? credential, long maxResponseContentLength, long maxEventLength, TimeSpan networkTimeout) : DelegatingHandler
{
    // Headers an SDK may send a credential in (its options, its environment such as ANTHROPIC_CUSTOM_HEADERS, a
    // request's raw headers); only the route's own credential goes out.
    private static readonly string[] s_credentialHeaders = ["Authorization", "Proxy-Authorization", "x-api-key", "api-key"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (string header in s_credentialHeaders)
        {
            request.Headers.Remove(header);
        }

        // The gateway's headers (cf-aig-authorization among them) come from the call only, never from what the SDK added.
        RemoveGatewayHeaders(request.Headers);

        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation(credential.Header, credential.Value);
        }

        var call = GatewayCall.Current;
        if (call is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (call.CacheKeyFromBody is not null && request.Content is { } content)
        {
            // Reading the body buffers it; it is still sent as written.
            call.UseBody(BinaryData.FromBytes(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)));
        }

        call.Stamp(request.Headers);

        // The wait for this request's headers (every request of the call, should the SDK send more than one).
        call.AnswerTimeout?.Watch();

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        BinaryData? errorBody = null;
        if (!response.IsSuccessStatusCode)
        {
            errorBody = await ReadErrorBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            var replacement = new ByteArrayContent(errorBody.ToArray());
            foreach (var (name, values) in response.Content.Headers)
            {
                replacement.Headers.TryAddWithoutValidation(name, values);
            }

            response.Content.Dispose();
            response.Content = replacement;
        }
        else
        {
            response.Content = new StreamContentTap(response.Content, this, call, response.Content.Headers.ContentType?.MediaType == "text/event-stream");
        }

        call.Received(response, errorBody);
        return response;
    }

    /// <summary>Removes every <c>cf-aig-*</c> header; looks without allocating, as there are none on almost every request.</summary>
    private static void RemoveGatewayHeaders(System.Net.Http.Headers.HttpRequestHeaders headers)
    {
        List<string>? found = null;
        foreach (var (name, _) in headers.NonValidated)
        {
            if (name.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase))
            {
                (found ??= []).Add(name);
            }
        }

        if (found is null)
        {
            return;
        }

        foreach (string name in found)
        {
            headers.Remove(name);
        }
    }

    /// <summary>The body of a failed answer, or nothing when it is larger than an answer may be.</summary>
    private async Task<BinaryData> ReadErrorBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ResponseBodyReader.ReadAsync(stream, maxResponseContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return BinaryData.Empty;
        }
    }

    /// <summary>
    /// The view the SDK reads a successful body through: a stream's events within the size limit and each next piece
    /// within the network timeout (a timeout of its own); a whole answer within the size limit, each piece within the
    /// exchange's <see cref="WholeAnswerTimeout"/> (which the view does not own).
    /// </summary>
    private Stream ViewOf(Stream body, GatewayCall call, bool eventStream) => eventStream
        ? new EventStreamGuard(body, maxEventLength, call, PieceTimeout.For(networkTimeout, call.Time))
        : new BoundedReadStream(body, maxResponseContentLength, call.AnswerTimeout, ownsPieces: false);

    /// <summary>The same content, read through the handler's view of it (<see cref="ViewOf"/>), however it is read.</summary>
    private sealed class StreamContentTap : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly GatewayCallHandler _owner;
        private readonly GatewayCall _call;
        private readonly bool _eventStream;

        public StreamContentTap(HttpContent inner, GatewayCallHandler owner, GatewayCall call, bool eventStream)
        {
            _inner = inner;
            _owner = owner;
            _call = call;
            _eventStream = eventStream;
            foreach (var (name, values) in inner.Headers)
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync() =>
            _owner.ViewOf(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _call, _eventStream);

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            _owner.ViewOf(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _call, _eventStream);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            // Buffering the content (ReadAsStringAsync, LoadIntoBufferAsync) reads through the view too.
            using var view = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await view.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
