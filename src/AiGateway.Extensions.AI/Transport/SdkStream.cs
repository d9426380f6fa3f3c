using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The updates of an SDK's own streaming <see cref="IChatClient"/> as every route reads them: the request goes out with
/// the <see cref="GatewayCall"/> on the asynchronous flow (during the first <c>MoveNextAsync</c> only); the wait for the
/// stream to start is bounded by <see cref="StreamStart"/>, and each next piece by a per-piece timeout when
/// the SDK does not bound it itself; a stream that ends before its closing update was cut, however cleanly the
/// connection closed.
/// </summary>
internal static class SdkStream
{
    /// <summary>Reads the stream <paramref name="open"/> starts.</summary>
    /// <param name="call">The call the request belongs to.</param>
    /// <param name="open">Starts the SDK's stream with the token to send it with.</param>
    /// <param name="isClosing">Whether an update is the answer's closing one (its stop reason or completion).</param>
    /// <param name="cutMessage">What a stream that ends before its closing update is told as (an <see cref="IOException"/>).</param>
    /// <param name="pieceTimeout">The longest wait for each next update, or null when the SDK's own pipeline bounds it.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(
        GatewayCall call,
        Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> open,
        Func<ChatResponseUpdate, bool> isClosing,
        string cutMessage,
        TimeSpan? pieceTimeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var start = new StreamStart(call.Route, call.Time, cancellationToken);
        using var stalled = pieceTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(start.Token);
        var token = stalled?.Token ?? start.Token;
        var updates = open(token).GetAsyncEnumerator(token);
        await using (updates.ConfigureAwait(false))
        {
            bool first = true;
            bool closed = false;
            while (true)
            {
                bool more;
                try
                {
                    using (GatewayCall.Scope? scope = first ? call.Begin() : null)
                    {
                        stalled?.CancelAfter(pieceTimeout!.Value);
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                        stalled?.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw start.TimedOut(e) ?? new TimeoutException(e.Message, e);
                }

                if (first)
                {
                    start.Started();
                    first = false;
                }

                if (!more)
                {
                    if (!closed)
                    {
                        throw new IOException(cutMessage);
                    }

                    yield break;
                }

                closed |= isClosing(updates.Current);
                yield return updates.Current;
            }
        }
    }
}
