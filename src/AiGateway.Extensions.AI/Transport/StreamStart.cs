namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds the wait for a stream to start by the route's <see cref="AiGatewayRoute.StreamStartTimeout"/>, on the call's
/// clock and apart from the caller's own token: a route that accepts a request and never answers fails in seconds as
/// a <see cref="StreamStartTimeoutException"/>, while the stream that does start is bounded per piece by the network
/// timeout only.
/// </summary>
internal sealed class StreamStart : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;

    public StreamStart(AiGatewayRoute route, TimeProvider time, CancellationToken cancellationToken)
    {
        _caller = cancellationToken;
        _timeout = route.StreamStartTimeout;
        // Never longer than the network timeout, which bounds the same wait; the only bound when that one is infinite.
        if (_timeout != Timeout.InfiniteTimeSpan && (route.NetworkTimeout == Timeout.InfiniteTimeSpan || _timeout < route.NetworkTimeout))
        {
            _timer = new CancellationTokenSource(_timeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        }
    }

    /// <summary>Gets the token the request is sent with until the stream starts.</summary>
    public CancellationToken Token => _linked?.Token ?? _caller;

    /// <summary>The stream started: from here on only the caller's token and the network timeout stop it.</summary>
    public void Started() => _timer?.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// When <paramref name="exception"/> is this wait running out (not the caller cancelling), the typed exception that
    /// says so; otherwise null.
    /// </summary>
    public StreamStartTimeoutException? TimedOut(Exception exception) =>
        exception is OperationCanceledException && _timer is { IsCancellationRequested: true } && !_caller.IsCancellationRequested
            ? new StreamStartTimeoutException(_timeout, exception)
            : null;

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}

/// <summary>A stream did not start within <see cref="AiGatewayRoute.StreamStartTimeout"/>.</summary>
internal sealed class StreamStartTimeoutException(TimeSpan timeout, Exception inner)
    : TimeoutException($"The stream did not start within {timeout:c}.", inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
