using Microsoft.Extensions.ObjectPool;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds the wait for a stream to start by the route's <see cref="AiGatewayRoute.StreamStartTimeout"/>, on the call's
/// clock and apart from the caller's own token: a route that accepts a request and never answers fails in seconds as
/// a <see cref="StreamStartTimeoutException"/>, while the stream that does start is bounded per piece by the network
/// timeout only.
/// </summary>
/// <remarks>
/// Every streamed request needs a timer for this, so on the system clock the token sources are pooled: one that was
/// never cancelled is reset (its timer stopped, its registrations dropped) and serves the next stream. A test's fake
/// clock gets a source of its own each time.
/// </remarks>
internal sealed class StreamStart : IDisposable
{
    private static readonly ObjectPool<CancellationTokenSource> s_timers = new DefaultObjectPool<CancellationTokenSource>(new ResetTimerPolicy());

    private readonly CancellationTokenSource? _timer;
    private readonly bool _pooled;
    private readonly CancellationTokenRegistration _callerCancels;
    private readonly CancellationToken _caller;
    private readonly TimeSpan _timeout;

    public StreamStart(AiGatewayRoute route, TimeProvider time, CancellationToken cancellationToken)
    {
        _caller = cancellationToken;
        _timeout = route.StreamStartTimeout;
        // Never longer than the network timeout, which bounds the same wait; the only bound when that one is infinite.
        if (_timeout != Timeout.InfiniteTimeSpan && (route.NetworkTimeout == Timeout.InfiniteTimeSpan || _timeout < route.NetworkTimeout))
        {
            _pooled = time == TimeProvider.System;
            if (_pooled)
            {
                _timer = s_timers.Get();
                _timer.CancelAfter(_timeout);
            }
            else
            {
                _timer = new CancellationTokenSource(_timeout, time);
            }

            // One source for both: the caller's token cancels the timer's (a linked source would be a second one, on
            // every streamed request, to the same end).
            _callerCancels = cancellationToken.UnsafeRegister(static timer => ((CancellationTokenSource)timer!).Cancel(), _timer);
        }
    }

    /// <summary>Gets the token the request is sent with until the stream starts.</summary>
    public CancellationToken Token => _timer?.Token ?? _caller;

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

    /// <summary>Ends the wait; the stream's request is over, so nothing holds the timer's token any more.</summary>
    public void Dispose()
    {
        _callerCancels.Dispose();
        if (_pooled)
        {
            s_timers.Return(_timer!);
        }
        else
        {
            _timer?.Dispose();
        }
    }

    /// <summary>Takes back only a source that was never cancelled, reset for its next stream.</summary>
    private sealed class ResetTimerPolicy : PooledObjectPolicy<CancellationTokenSource>
    {
        public override CancellationTokenSource Create() => new();

        public override bool Return(CancellationTokenSource obj) => obj.TryReset();
    }
}

/// <summary>A stream did not start within <see cref="AiGatewayRoute.StreamStartTimeout"/>.</summary>
internal sealed class StreamStartTimeoutException(TimeSpan timeout, Exception inner)
    : TimeoutException($"The stream did not start within {timeout:c}.", inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
