using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Testing;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/> (the clock moves only on <see cref="FakeTimeProvider.Advance"/>), plus
/// <see cref="WaitForTimersAsync"/>: tests wait until the code under test has armed a timer (a <c>Task.Delay</c> on
/// this clock, a cooldown) before advancing, instead of sleeping.
/// </summary>
public sealed class FakeClock : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _armed;

    /// <summary>Initializes a new instance of the <see cref="FakeClock"/> class at 2026-11-01 12:00 UTC.</summary>
    public FakeClock()
        : base(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FakeClock"/> class.</summary>
    /// <param name="start">The clock's first reading.</param>
    public FakeClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Gets the number of timers armed and not yet fired or disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _armed;
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this);
        timer.Inner = base.CreateTimer(timer.Wrap(callback), state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Completes when at least <paramref name="count"/> timers are armed; fails after 30 real seconds instead of
    /// hanging the suite when the code under test never arms one (an infinite delay, for example, arms none).
    /// </summary>
    /// <param name="count">How many armed timers to wait for.</param>
    /// <returns>A task that completes when they are armed.</returns>
    public Task WaitForTimersAsync(int count = 1)
    {
        lock (_lock)
        {
            if (_armed >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Records the change and returns the waiters it satisfies; the caller releases them once the timer is really set.</summary>
    private List<TaskCompletionSource> SetArmed(ref bool armed, bool value)
    {
        List<TaskCompletionSource> ready = [];
        lock (_lock)
        {
            if (armed == value)
            {
                return ready;
            }

            armed = value;
            _armed += value ? 1 : -1;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= _armed)
                {
                    ready.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        return ready;
    }

    private static void Release(List<TaskCompletionSource> ready) => ready.ForEach(r => r.TrySetResult());

    /// <summary>Knows whether its timer is armed: set by <see cref="Change"/>, cleared by a one-shot firing or disposal.</summary>
    private sealed class TrackedTimer(FakeClock owner) : ITimer
    {
        private bool _armed;
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public TimerCallback Wrap(TimerCallback callback) => state =>
        {
            if (!_periodic)
            {
                Release(owner.SetArmed(ref _armed, false));
            }

            callback(state);
        };

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Waiters are released only after the inner timer holds its due time: a test that advances the clock the
            // moment it is told "armed" must find the timer set, or the advance passes it by.
            _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            var ready = owner.SetArmed(ref _armed, dueTime != Timeout.InfiniteTimeSpan);
            bool changed = Inner.Change(dueTime, period);
            Release(ready);
            return changed;
        }

        public void Dispose()
        {
            Release(owner.SetArmed(ref _armed, false));
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
