namespace AiGateway.Extensions.AI;

/// <summary>
/// Sends exactly one <c>anthropic-version</c>, the one the Anthropic SDK this package is built with speaks
/// (<see cref="Version"/>). The SDK lets its environment replace it (<c>ANTHROPIC_CUSTOM_HEADERS</c>, read once per
/// process): an older version would accept fields the SDK's client never writes and answer in shapes it may not read,
/// so a Messages route speaks only the version its client was built for.
/// </summary>
internal sealed class AnthropicVersionHandler : DelegatingHandler
{
    /// <summary>The API version Anthropic SDK 13.x sends (a test holds it to the SDK's own request).</summary>
    public const string Version = "2026-10-21";

    private const string Header = "anthropic-version";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.NonValidated.TryGetValues(Header, out var values) || values.Count != 1 || values.ToString() != Version)
        {
            request.Headers.Remove(Header);
            request.Headers.TryAddWithoutValidation(Header, Version);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
