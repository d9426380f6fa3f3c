namespace AiGateway.Extensions.AI;

/// <summary>
/// Times each wait of a whole answer by the route's network timeout, with one pooled <see cref="PieceTimeout"/>: the wait
/// for its headers (ended by the transport as they arrive, <see cref="GatewayCall.Received"/>), then each read of its
/// body (<see cref="BoundedResponsePolicy"/>). A whole answer that keeps arriving is never cut; one that stalls for the
/// network timeout fails with a <see cref="TimeoutException"/>.
/// </summary>
/// <remarks>
/// The exchange sends with <see cref="Token"/> and disposes this when the answer is read (or failed: a wait that ran out
/// is reported as a timeout by <see cref="GatewayOutcome"/>, the one place failures are classified); the SDK's transport times
/// nothing (its token source would need a timer per request, its read-timeout stream a timer restart and a task per read).
/// </remarks>
internal readonly struct WholeAnswerTimeout : IDisposable
{
    private readonly GatewayCall _call;
    private readonly PieceTimeout? _pieces;

    public WholeAnswerTimeout(GatewayCall call, CancellationToken cancellationToken)
    {
        _call = call;
        _pieces = PieceTimeout.For(call.Route.NetworkTimeout, call.Time);
        Token = _pieces?.Link(cancellationToken) ?? cancellationToken;
        call.AnswerTimeout = _pieces;
    }

    /// <summary>Gets the token to send the request and read its answer with (the caller's token cancels it too).</summary>
    public CancellationToken Token { get; }

    /// <summary>Ends the answer's waits; whether one ran out stays on the call, for its failure to say so (<see cref="GatewayOutcome"/>).</summary>
    public void Dispose()
    {
        _call.AnswerTimeout = null;
        if (_pieces is not null)
        {
            _call.AnswerTimedOut = _pieces.HasTimedOut;
            _pieces.Dispose();
        }
    }
}
