namespace AiGateway.Extensions.AI;

/// <summary>
/// Times each wait of a whole answer by the route's network timeout, with one pooled <see cref="PieceTimeout"/>: the wait
/// for its headers (ended by the transport as they arrive, <see cref="GatewayCall.Received"/>), then each read of its
/// body (<see cref="BoundedResponsePolicy"/>). A whole answer that keeps arriving is never cut; one that stalls for the
/// network timeout fails with a <see cref="TimeoutException"/>.
/// </summary>
/// <remarks>
/// The exchange sends with <see cref="Token"/> and disposes this when the answer is read; the SDK's transport times
/// nothing (its token source would need a timer per request, its read-timeout stream a timer restart and a task per read).
/// </remarks>
internal readonly struct WholeAnswerTimeout : IDisposable
{
    private readonly GatewayCall _call;
    private readonly PieceTimeout? _pieces;

    public WholeAnswerTimeout(GatewayCall call, CancellationToken cancellationToken)
    {
        _call = call;
        var timeout = call.Route.NetworkTimeout;
        _pieces = timeout == Timeout.InfiniteTimeSpan ? null : PieceTimeout.For(timeout, call.Time);
        Token = _pieces?.Begin(cancellationToken) ?? cancellationToken;
        call.AnswerTimeout = _pieces;
    }

    /// <summary>Gets the token to send the request and read its answer with (the caller's token cancels it too).</summary>
    public CancellationToken Token { get; }

    /// <summary>When <paramref name="exception"/> is a wait running out (not the caller cancelling), the typed exception that says so; otherwise null.</summary>
    public TimeoutException? TimedOut(Exception exception) => _pieces?.TimedOut(exception);

    public void Dispose()
    {
        _call.AnswerTimeout = null;
        _pieces?.Dispose();
    }
}
