using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A stream of updates written out rather than as an iterator, for the layers every update of every stream passes
/// (the exchange, the client, a fallback attempt): an iterator is a state machine of its own with bookkeeping on each
/// update; this passes an update from the stream below in one synchronous step when it is ready. A subclass opens the
/// stream below (<see cref="Inner"/>) on the first <see cref="MoveNextAsync"/> and looks at each update in
/// <see cref="Took"/>. Each enumeration is a request of its own; the first is served by this instance.
/// </summary>
internal abstract class UpdateStream(CancellationToken given) : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
{
    private CancellationTokenSource? _linked;
    private int _enumerated;

    /// <summary>Gets the token the stream was made with (a second enumeration starts from it again).</summary>
    protected CancellationToken Given { get; } = given;

    public ChatResponseUpdate Current { get; protected set; } = null!;

    /// <summary>Gets the token the request runs with: the one the stream was made with and its enumerator's, combined.</summary>
    protected CancellationToken CancellationToken { get; private set; } = given;

    /// <summary>Gets or sets the stream below, once opened.</summary>
    protected IAsyncEnumerator<ChatResponseUpdate>? Inner { get; set; }

    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var stream = Interlocked.Exchange(ref _enumerated, 1) == 0 ? this : Again();
        (stream.CancellationToken, stream._linked) = Combine(Given, cancellationToken);
        return stream;
    }

    public abstract ValueTask<bool> MoveNextAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Inner is not null)
            {
                await Inner.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _linked?.Dispose();
            Disposed();
        }
    }

    /// <summary>A new stream for the same request, for a second enumeration.</summary>
    protected abstract UpdateStream Again();

    /// <summary>Looks at what the stream below gave (<paramref name="more"/>: whether it has an update); returns whether this stream has one, in <see cref="Current"/>.</summary>
    protected abstract bool Took(bool more);

    /// <summary>Whether a failure of the stream below is one to report as <see cref="Failed"/> says, rather than pass on as it is.</summary>
    protected virtual bool IsFailure(Exception exception) => false;

    /// <summary>The exception to throw for a failure <see cref="IsFailure"/> picked.</summary>
    protected virtual Exception Failed(Exception exception) => exception;

    /// <summary>Releases what the subclass holds beyond the stream below.</summary>
    protected virtual void Disposed()
    {
    }

    /// <summary>The next update from <see cref="Inner"/>, through <see cref="Took"/>: synchronously when it is ready.</summary>
    protected ValueTask<bool> NextFromInner()
    {
        ValueTask<bool> next;
        try
        {
            next = Inner!.MoveNextAsync();
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Failed(e);
        }

        return next.IsCompletedSuccessfully ? new(Took(next.Result)) : AwaitNextAsync(next);
    }

    /// <summary>Awaits the stream below that was not ready.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AwaitNextAsync(ValueTask<bool> next)
    {
        bool more;
        try
        {
            more = await next.ConfigureAwait(false);
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Failed(e);
        }

        return Took(more);
    }

    /// <summary>
    /// The token the stream runs with, as the compiler's <c>[EnumeratorCancellation]</c> makes it: the one it was made
    /// with and its enumerator's, linked only when both can cancel (<c>Linked</c> is then disposed with the enumerator).
    /// </summary>
    private static (CancellationToken Token, CancellationTokenSource? Linked) Combine(CancellationToken given, CancellationToken enumerator)
    {
        if (!enumerator.CanBeCanceled || enumerator == given)
        {
            return (given, null);
        }

        if (!given.CanBeCanceled)
        {
            return (enumerator, null);
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(given, enumerator);
        return (linked.Token, linked);
    }
}
