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
        else if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // Each next piece of the stream within the network timeout (the SDK's own timeout covers sending only).
            response.Content = new StreamContentTap(response.Content, inner => new EventStreamGuard(inner, maxEventLength, call,
                networkTimeout == Timeout.InfiniteTimeSpan ? null : PieceTimeout.For(networkTimeout, call.Time)));
        }
        else
        {
            // A whole answer, read by the SDK as it deserializes: within the size limit, each piece within the network
            // timeout (the exchange's, which the view does not own).
            var pieces = call.AnswerTimeout;
            response.Content = new StreamContentTap(response.Content, inner => new BoundedReadStream(inner, maxResponseContentLength, pieces, ownsPieces: false));
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

    /// <summary>The same content, read through a wrapping stream.</summary>
    private sealed class StreamContentTap : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Func<Stream, Stream> _wrap;

        public StreamContentTap(HttpContent inner, Func<Stream, Stream> wrap)
        {
            _inner = inner;
            _wrap = wrap;
            foreach (var (name, values) in inner.Headers)
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync() => _wrap(await _inner.ReadAsStreamAsync().ConfigureAwait(false));

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            _wrap(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

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
