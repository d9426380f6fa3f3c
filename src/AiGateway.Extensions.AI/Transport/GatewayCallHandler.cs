namespace AiGateway.Extensions.AI;

/// <summary>
/// The HTTP-handler counterpart of <see cref="GatewayCallPolicy"/>, for SDKs that send through an
/// <see cref="HttpClient"/> (the Anthropic SDK): sends the current <see cref="GatewayCall"/>'s headers and the route's
/// own credential, and notes what came back. A failed response's body is read here, within a size limit, so the
/// error can be reported from the gateway's and the provider's own words whatever the SDK makes of it.
/// </summary>
internal sealed class GatewayCallHandler(string? apiKey, string credentialHeader, long maxErrorBodyLength) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The route's key, under the provider's own header, or none at all: never a credential the SDK found in
        // the environment (a stored key or Unified Billing needs no provider credential).
        request.Headers.Remove("Authorization");
        request.Headers.Remove(credentialHeader);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation(credentialHeader, apiKey);
        }

        var call = GatewayCall.Current;
        if (call is not null)
        {
            foreach (var (name, value) in call.Headers)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (call?.CacheKeyFromBody is { } cacheKey && request.Content is { } content)
        {
            // Reading the body buffers it; it is still sent as written.
            var body = BinaryData.FromBytes(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            request.Headers.Remove(AiGatewayHeaderNames.CacheKey);
            request.Headers.TryAddWithoutValidation(AiGatewayHeaderNames.CacheKey, cacheKey(body));
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return response;
        }

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

        call.Received(response, errorBody);
        return response;
    }

    /// <summary>The body of a failed answer, or nothing when it is larger than an answer may be (as on the OpenAI routes).</summary>
    private async Task<BinaryData> ReadErrorBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ResponseBodyReader.ReadAsync(stream, maxErrorBodyLength, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return BinaryData.Empty;
        }
    }
}
