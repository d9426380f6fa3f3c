namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds the wait for a stream to start by the route's <see cref="AiGatewayRoute.StreamStartTimeout"/>, or by its
/// network timeout when that is shorter (the only bound on a stream's start: the pipeline times only each piece of a
/// started stream), on the call's clock and apart from the caller's own token: a route that accepts a request and never
/// answers fails in seconds as a <see cref="StreamStartTimeoutException"/>.
/// </summary>
/// <remarks>Every streamed request needs a timer for this: its token source is pooled (<see cref="PooledTimers"/>).</remarks>
internal sealed class StreamStart : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly TimeProvider _time;
    private readonly CancellationTokenRegistration _callerCancels;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;
    private readonly bool _isNetworkTimeout;

    public StreamStart(AiGatewayRoute route, TimeProvider time, CancellationToken cancellationToken)
    {
        _caller = cancellationToken;
        _time = time;
        _isNetworkTimeout = route.StreamStartTimeout == Timeout.InfiniteTimeSpan ||
            (route.NetworkTimeout != Timeout.InfiniteTimeSpan && route.NetworkTimeout <= route.StreamStartTimeout);
        _timeout = _isNetworkTimeout ? route.NetworkTimeout : route.StreamStartTimeout;
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = PooledTimers.Rent(time);
            _timer.CancelAfter(_timeout);

            // One source for both: the caller's token cancels the timer's (a linked source would be a second one, on
            // every streamed request, to the same end).
            _callerCancels = cancellationToken.UnsafeRegister(static timer => ((CancellationTokenSource)timer!).Cancel(), _timer);
        }
    }

    /// <summary>Gets the token the request is sent with until the stream starts.</summary>
    public CancellationToken Token => _timer?.Token ?? _caller;

    /// <summary>The stream started: from here on only the caller's token and the network timeout (per piece) stop it.</summary>
    public void Started() => _timer?.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// When <paramref name="exception"/> is this wait running out (not the caller cancelling), the typed exception that
    /// says so (a <see cref="StreamStartTimeoutException"/>, or a plain <see cref="TimeoutException"/> when the network
    /// timeout was the bound); otherwise null.
    /// </summary>
    public TimeoutException? TimedOut(Exception exception) =>
        exception is OperationCanceledException && _timer is { IsCancellationRequested: true } && !_caller.IsCancellationRequested
            ? _isNetworkTimeout
                ? new TimeoutException($"The stream did not start within the network timeout ({_timeout:c}).", exception)
                : new StreamStartTimeoutException(_timeout, exception)
            : null;

    /// <summary>Ends the wait; the stream's request is over, so nothing holds the timer's token any more.</summary>
    public void Dispose()
    {
        _callerCancels.Dispose();
        if (_timer is not null)
        {
            PooledTimers.Return(_timer, _time);
        }
    }
}

/// <summary>A stream did not start within <see cref="AiGatewayRoute.StreamStartTimeout"/>.</summary>
internal sealed class StreamStartTimeoutException(TimeSpan timeout, Exception inner)
    : TimeoutException($"The stream did not start within {timeout:c}.", inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
