using System.Text;

namespace AiGateway.Extensions.AI;

/// <summary>The routes one fallback request tries, where it is in them, and what each attempt did.</summary>
internal sealed class FallbackRequest(IReadOnlyList<AiGatewayRouteInfo> routes, System.Diagnostics.Activity? span)
{
    // The cause of each attempt that failed, in order (made on the first failure: most requests have none); skipped
    // attempts (added by the route policy) need none.
    private Queue<string>? _causes;
    private Exception? _last;

    public IReadOnlyList<AiGatewayRouteInfo> Routes { get; } = routes;

    /// <summary>Gets the span the request started in (Microsoft's GenAI span): the serving route's facts go onto it.</summary>
    public System.Diagnostics.Activity? Span { get; } = span;

    public int Position { get; set; }

    public bool TriedAny { get; set; }

    public List<AiGatewayAttempt> Attempts { get; } = [];

    public void Failed(AiGatewayAttempt attempt, string cause, Exception failure)
    {
        Attempts.Add(attempt);
        (_causes ??= new()).Enqueue(cause);
        _last = failure;
    }

    public AiGatewayException AllFailed()
    {
        var message = new StringBuilder("Every AI Gateway route failed: ");
        for (int i = 0; i < Attempts.Count; i++)
        {
            var a = Attempts[i];
            message.Append(i == 0 ? string.Empty : "; ").Append(a.Provider).Append('/').Append(a.Model).Append(' ').Append(a switch
            {
                { Skipped: true, ErrorKind: { } refusal } => $"skipped (the gateway refused the same provider and model: {refusal})",
                { Skipped: true } => "skipped (cooling down)",
                _ => _causes!.Dequeue(),
            });
        }

        if (message[^1] != '.')
        {
            message.Append('.');
        }

        var inner = _last as AiGatewayException;
        return new AiGatewayException(message.ToString(), _last)
        {
            Kind = inner?.Kind ?? AiGatewayErrorKind.Transport,
            StatusCode = inner?.StatusCode,
            GatewayErrorCode = inner?.GatewayErrorCode,
            ProviderErrorCode = inner?.ProviderErrorCode,
            ProviderErrorType = inner?.ProviderErrorType,
            ProviderMessage = inner?.ProviderMessage,
            RetryAfter = inner?.RetryAfter,
            LogId = inner?.LogId,
            Dlp = inner?.Dlp,
            Bucket = inner?.Bucket,
            Spent = inner?.Spent,
            Limit = inner?.Limit,
            Provider = inner?.Provider,
            Model = inner?.Model,
            Attempts = [.. Attempts],
        };
    }
}
