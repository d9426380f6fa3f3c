using Microsoft.Extensions.ObjectPool;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds each wait of one request by the network timeout (a whole answer's headers, then each read of its body): a
/// wait that long for the next piece of the answer fails with a <see cref="TimeoutException"/>, while a long answer that
/// keeps flowing is never cut.
/// </summary>
/// <remarks>
/// A read costs one timestamp, not a timer: a watchdog fires once per timeout and, unless the pending read has waited
/// the whole timeout, sleeps for what is left of it (a restarted timer per read, as the SDK's read-timeout stream
/// does, took a timer-queue lock twice per read). The token source, the watchdog and this object are pooled on the
/// system clock; a test's fake clock gets its own. The reader's token is registered once per body, not linked per read.
/// </remarks>
internal sealed class PieceTimeout : IDisposable
{
    private static readonly ObjectPool<PieceTimeout> s_pool = new DefaultObjectPool<PieceTimeout>(new ResetPolicy());

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _source = new();
    private readonly ITimer _watchdog;

    // Orders the watchdog's decisions against Dispose: a pooled instance is never cancelled for its previous user, and
    // a disposed watchdog is never set again. Reads do not take it.
    private readonly Lock _gate = new();
    private TimeSpan _timeout;

    // 1 while the watchdog is set to fire. It goes idle when it finds no read waiting; the next wait sets it again.
    private int _armed;

    // When the pending wait started (a timestamp of _time), or 0 while none waits: one field, read whole by the watchdog.
    private long _waitingSince;

    // Set (under the gate) when the watchdog decides a wait ran out, before it cancels: the timeout's own cancellation,
    // told apart from a caller's or a reader's, whichever tokens the reads were made with.
    private bool _timedOut;
    private bool _disposed;
    private CancellationToken _caller;
    private CancellationTokenRegistration _callerCancels;
    private CancellationToken _reader;
    private CancellationTokenRegistration _readerCancels;

    private PieceTimeout(TimeProvider time)
    {
        _time = time;

        // A pooled watchdog must not hold on to the flow (span, logging scope) of the request that created it.
        AsyncFlowControl? suppressed = ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();
        try
        {
            _watchdog = time.CreateTimer(static state => ((PieceTimeout)state!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            suppressed?.Undo();
        }
    }

    /// <summary>
    /// A timeout of <paramref name="timeout"/> for each wait of one request, on <paramref name="time"/>; disposing it gives
    /// it back. Null for <see cref="Timeout.InfiniteTimeSpan"/>: an infinite network timeout times nothing.
    /// </summary>
    public static PieceTimeout? For(TimeSpan timeout, TimeProvider time)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var pieces = time == TimeProvider.System ? s_pool.Get() : new PieceTimeout(time);
        pieces._timeout = timeout;
        return pieces;
    }

    /// <summary>
    /// The token to send a request and read its answer with, which <paramref name="caller"/> cancels too for as long as
    /// this lives (whatever tokens its reads are made with later). Its waits start as its transport sends (<see cref="Watch"/>).
    /// </summary>
    public CancellationToken Link(CancellationToken caller)
    {
        _caller = caller;
        _callerCancels = caller.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
        return _source.Token;
    }

    /// <summary>Starts the wait for the next piece; returns the token to read it with (the reader's token cancels it too).</summary>
    public CancellationToken Start(CancellationToken reader)
    {
        // Readers pass one token for a whole body: registered once, not per read. Tokens that already cancel this (its
        // own, its caller's) need no registration.
        if (reader != _reader && reader != _source.Token && reader != _caller)
        {
            _readerCancels.Dispose();
            _readerCancels = reader.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
            _reader = reader;
        }

        Watch();
        return _source.Token;
    }

    /// <summary>Starts a wait (another request of the same call, a read with a token that already cancels this).</summary>
    public void Watch()
    {
        // Fenced both here and in Check: the watchdog going idle and a wait starting never miss each other.
        Interlocked.Exchange(ref _waitingSince, Math.Max(1, _time.GetTimestamp()));
        if (Volatile.Read(ref _armed) == 0 && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            _watchdog.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The piece arrived (or the read failed).</summary>
    public void Stop() => Volatile.Write(ref _waitingSince, 0);

    /// <summary>Gets whether this timeout ran out (not a caller or a reader cancelling).</summary>
    public bool HasTimedOut => Volatile.Read(ref _timedOut);

    /// <summary>
    /// Whether <paramref name="exception"/> is how a wait that ran out shows (the cancelled read or send, or the body
    /// closed under it); with <see cref="HasTimedOut"/>, a timeout. The one rule for both timeouts of a request.
    /// </summary>
    public static bool IsCancellation(Exception exception) => exception is OperationCanceledException or IOException or ObjectDisposedException;

    /// <summary>The error a wait that ran out becomes.</summary>
    public static TimeoutException Error(TimeSpan timeout, Exception cause) =>
        new($"No part of the answer arrived within the network timeout ({timeout:c}).", cause);

    /// <summary>When <paramref name="exception"/> is this timeout running out, the typed exception that says so; otherwise null.</summary>
    public TimeoutException? TimedOut(Exception exception) =>
        IsCancellation(exception) && HasTimedOut ? Error(_timeout, exception) : null;

    public void Dispose()
    {
        // Waits for a registration's callback that is running, so nothing cancels the source after this.
        _callerCancels.Dispose();
        _readerCancels.Dispose();
        _callerCancels = default;
        _readerCancels = default;
        _caller = default;
        _reader = default;

        bool pooled;
        bool timedOut;
        lock (_gate)
        {
            Volatile.Write(ref _waitingSince, 0);
            timedOut = _timedOut;

            // Pooled only when it never fired and was never cancelled; stopped either way, so one the pool drops is
            // not kept alive by its timer.
            pooled = !timedOut && _time == TimeProvider.System && _source.TryReset();
            _armed = 0;
            if (pooled)
            {
                _watchdog.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _disposed = true;
                _watchdog.Dispose();
            }
        }

        if (pooled)
        {
            s_pool.Return(this);
        }
        else if (!timedOut)
        {
            // A source the watchdog cancels (outside the gate) is left to the collector: disposing it here could race it.
            _source.Dispose();
        }
    }

    private void Check()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            long since = Volatile.Read(ref _waitingSince);
            if (since == 0)
            {
                Interlocked.Exchange(ref _armed, 0);
                if (Volatile.Read(ref _waitingSince) != 0 && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
                {
                    // A wait started as the watchdog went idle.
                    _watchdog.Change(_timeout, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            var waited = _time.GetElapsedTime(since);
            if (waited < _timeout)
            {
                _watchdog.Change(_timeout - waited, Timeout.InfiniteTimeSpan);
                return;
            }

            _timedOut = true;
        }

        // Outside the gate: cancelling runs the token's callbacks (the pending read's, the SDK's linked sources).
        _source.Cancel();
    }

    private sealed class ResetPolicy : PooledObjectPolicy<PieceTimeout>
    {
        public override PieceTimeout Create() => new(TimeProvider.System);

        public override bool Return(PieceTimeout obj) => true;
    }
}
