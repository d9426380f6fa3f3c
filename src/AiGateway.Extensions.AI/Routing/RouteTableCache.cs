namespace AiGateway.Extensions.AI;

/// <summary>
/// Holds what a client derives from the current options snapshot (its routes, and what it built for them), rebuilding
/// it once when the options object changes, as it does after a configuration reload. A request takes the state once
/// and keeps it, so one request never mixes two configurations. A reload whose options are invalid leaves the last
/// good state serving; <paramref name="rejected"/> hears of it once.
/// </summary>
internal sealed class RouteTableCache<TState>(
    Func<AiGatewayOptions> currentOptions, string configurationPath, RouteOperation operation, Func<RouteTable, TState> create, Action<ArgumentException>? rejected = null)
    where TState : class
{
    private readonly Lock _lock = new();
    private volatile Snapshot? _snapshot;

    /// <exception cref="ArgumentException">The options are invalid; the message names every bad key.</exception>
    public TState Get()
    {
        var options = currentOptions();
        var snapshot = _snapshot;
        if (snapshot is not null && ReferenceEquals(snapshot.Options, options))
        {
            return snapshot.State;
        }

        lock (_lock)
        {
            snapshot = _snapshot;
            if (snapshot is null || !ReferenceEquals(snapshot.Options, options))
            {
                try
                {
                    _snapshot = snapshot = new Snapshot(options, create(RouteTable.Create(options, configurationPath, operation)));
                }
                catch (ArgumentException e) when (snapshot is not null)
                {
                    // Remembered against these options, so the rejection is reported once, not per request.
                    rejected?.Invoke(e);
                    _snapshot = snapshot = snapshot with { Options = options };
                }
            }

            return snapshot.State;
        }
    }

    private sealed record Snapshot(AiGatewayOptions Options, TState State);
}
