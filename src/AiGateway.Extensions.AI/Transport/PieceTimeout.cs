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
    private TimeSpan _timeout;

    // 1 while the watchdog is set to fire. It stops when it finds no read waiting, so a body nobody disposes lets go of
    // it (and of this) within one timeout; the next read sets it again.
    private int _armed;

    // When the pending read started (a timestamp of _time), or 0 while none waits: one field, read whole by the watchdog.
    private long _waitingSince;
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

    /// <summary>A timeout of <paramref name="timeout"/> for each read of one body, on <paramref name="time"/>; disposing it gives it back.</summary>
    public static PieceTimeout For(TimeSpan timeout, TimeProvider time)
    {
        var pieces = time == TimeProvider.System ? s_pool.Get() : new PieceTimeout(time);
        if (pieces._timeout != timeout)
        {
            // A watchdog left set for another timeout is set again by the first wait.
            pieces._timeout = timeout;
            Interlocked.Exchange(ref pieces._armed, 0);
        }

        return pieces;
    }

    /// <summary>Starts the wait for the next piece; returns the token to read it with (the reader's token cancels it too).</summary>
    public CancellationToken Start(CancellationToken reader)
    {
        // A whole answer's body may be read with this source's own token (the one its request was sent with).
        if (reader != _reader && reader != _source.Token)
        {
            // Readers pass one token for a whole body: registered once, not per read.
            _readerCancels.Dispose();
            _readerCancels = reader.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
            _reader = reader;
        }

        // Fenced both here and in Check: the watchdog going idle and a read starting never miss each other.
        Interlocked.Exchange(ref _waitingSince, Math.Max(1, _time.GetTimestamp()));
        Arm();
        return _source.Token;
    }

    /// <summary>The piece arrived (or the read failed).</summary>
    public void Stop() => Volatile.Write(ref _waitingSince, 0);

    /// <summary>When <paramref name="exception"/> is this wait running out (not the reader cancelling), the typed exception that says so; otherwise null.</summary>
    public TimeoutException? TimedOut(Exception exception) =>
        exception is OperationCanceledException or IOException or ObjectDisposedException && _source.IsCancellationRequested && !_reader.IsCancellationRequested
            ? new TimeoutException($"No part of the answer arrived within the network timeout ({_timeout:c}).", exception)
            : null;

    public void Dispose()
    {
        _readerCancels.Dispose();
        _readerCancels = default;
        _reader = default;
        Volatile.Write(ref _waitingSince, 0);

        // Pooled only when it never fired and was never cancelled, its watchdog left as it is: it goes idle when it next
        // finds no read waiting (within one timeout, when a full pool drops it), and the next request's first wait
        // finds it set, so a request costs no timer change of its own.
        if (_time == TimeProvider.System && _source.TryReset())
        {
            s_pool.Return(this);
        }
        else
        {
            _watchdog.Dispose();
            _source.Dispose();
        }
    }

    private void Check()
    {
        long since = Volatile.Read(ref _waitingSince);
        if (since == 0)
        {
            Interlocked.Exchange(ref _armed, 0);
            if (Volatile.Read(ref _waitingSince) != 0)
            {
                // A read started as the watchdog went idle.
                Arm();
            }

            return;
        }

        var waited = _time.GetElapsedTime(since);
        if (waited >= _timeout)
        {
            _source.Cancel();
            return;
        }

        _watchdog.Change(_timeout - waited, Timeout.InfiniteTimeSpan);
    }

    private void Arm()
    {
        if (Volatile.Read(ref _armed) == 0 && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            _watchdog.Change(_timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class ResetPolicy : PooledObjectPolicy<PieceTimeout>
    {
        public override PieceTimeout Create() => new(TimeProvider.System);

        public override bool Return(PieceTimeout obj) => true;
    }
}
