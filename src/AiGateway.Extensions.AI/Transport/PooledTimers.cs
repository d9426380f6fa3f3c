using Microsoft.Extensions.ObjectPool;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Token sources used as timers (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>), pooled on the system
/// clock: one that was never cancelled is reset (its timer stopped, its registrations dropped) and serves the next
/// request, so a timeout on every request costs no allocation. A test's fake clock gets a source of its own each time.
/// </summary>
internal static class PooledTimers
{
    private static readonly ObjectPool<CancellationTokenSource> s_pool = new DefaultObjectPool<CancellationTokenSource>(new ResetPolicy());

    /// <summary>A source that is not cancelled, on <paramref name="time"/>; give it back with <see cref="Return"/>.</summary>
    public static CancellationTokenSource Rent(TimeProvider time) =>
        time == TimeProvider.System ? s_pool.Get() : new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);

    /// <summary>Takes back a source from <see cref="Rent"/>: pooled when it can be reset, else disposed.</summary>
    public static void Return(CancellationTokenSource source, TimeProvider time)
    {
        if (time == TimeProvider.System)
        {
            s_pool.Return(source);
        }
        else
        {
            source.Dispose();
        }
    }

    /// <summary>Takes back only a source that was never cancelled, reset for its next use.</summary>
    private sealed class ResetPolicy : PooledObjectPolicy<CancellationTokenSource>
    {
        public override CancellationTokenSource Create() => new();

        public override bool Return(CancellationTokenSource obj)
        {
            if (obj.TryReset())
            {
                return true;
            }

            obj.Dispose();
            return false;
        }
    }
}
