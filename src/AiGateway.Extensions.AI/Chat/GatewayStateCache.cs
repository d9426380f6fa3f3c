namespace AiGateway.Extensions.AI;

/// <summary>
/// Holds the <see cref="GatewayClientState"/> of the current options snapshot, rebuilding it (once) when the options
/// object changes, as it does after a configuration reload. Requests take the state once and keep it.
/// </summary>
internal sealed class GatewayStateCache(Func<AiGatewayOptions> currentOptions, string configurationPath, RouteOperation operation, HttpClient httpClient, object owner)
{
    private readonly Lock _lock = new();
    private volatile GatewayClientState? _state;

    /// <exception cref="ArgumentException">The options are invalid; the message names every bad key.</exception>
    public GatewayClientState Get()
    {
        var options = currentOptions();
        var state = _state;
        if (state is not null && ReferenceEquals(state.Table.Options, options))
        {
            return state;
        }

        lock (_lock)
        {
            state = _state;
            if (state is null || !ReferenceEquals(state.Table.Options, options))
            {
                _state = state = new GatewayClientState(RouteTable.Create(options, configurationPath, operation), httpClient, owner);
            }

            return state;
        }
    }
}
