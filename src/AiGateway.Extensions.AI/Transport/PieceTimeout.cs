namespace AiGateway.Extensions.AI;

/// <summary>
/// Bounds each read of a streamed body by the network timeout: no piece of the answer for that long fails the read
/// with a <see cref="TimeoutException"/>, while a long answer that keeps flowing is never cut. One pooled timer per
/// body (<see cref="PooledTimers"/>), restarted for every read, and one registration on the reader's token for the
/// whole body: reads link no token source of their own.
/// </summary>
internal sealed class PieceTimeout(TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _timer = PooledTimers.Rent(time);
    private CancellationToken _reader;
    private CancellationTokenRegistration _readerCancels;

    /// <summary>Starts the wait for the next piece; returns the token to read it with (the reader's token cancels it too).</summary>
    public CancellationToken Start(CancellationToken reader)
    {
        if (reader != _reader)
        {
            // Readers pass one token for a whole body: registered once, not per read.
            _readerCancels.Dispose();
            _readerCancels = reader.UnsafeRegister(static timer => ((CancellationTokenSource)timer!).Cancel(), _timer);
            _reader = reader;
        }

        _timer.CancelAfter(timeout);
        return _timer.Token;
    }

    /// <summary>The piece arrived (or the read failed).</summary>
    public void Stop() => _timer.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>When <paramref name="exception"/> is this wait running out (not the reader cancelling), the typed exception that says so; otherwise null.</summary>
    public TimeoutException? TimedOut(Exception exception) =>
        exception is OperationCanceledException or IOException or ObjectDisposedException && _timer.IsCancellationRequested && !_reader.IsCancellationRequested
            ? new TimeoutException($"No part of the answer arrived within the network timeout ({timeout:c}).", exception)
            : null;

    public void Dispose()
    {
        _readerCancels.Dispose();
        PooledTimers.Return(_timer, time);
    }
}
