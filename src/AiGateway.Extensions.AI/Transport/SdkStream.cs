using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The updates of an SDK's own streaming <see cref="IChatClient"/> as every route reads them: the request goes out with
/// the <see cref="GatewayCall"/> on the asynchronous flow (during the first <c>MoveNextAsync</c> only); the wait for the
/// stream to start is bounded by <see cref="StreamStart"/> (each next piece of the body by a <see cref="PieceTimeout"/>
/// on the view the transport puts over it); a stream that ends before its closing update was cut, however cleanly the
/// connection closed.
/// </summary>
internal static class SdkStream
{
    /// <summary>Reads the stream <paramref name="sdk"/> starts for the request.</summary>
    /// <param name="call">The call the request belongs to.</param>
    /// <param name="sdk">The SDK's own chat client.</param>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's options, as the SDK's client takes them.</param>
    /// <param name="shape">How the API's stream closes and reports a failure inside it.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(
        GatewayCall call,
        IChatClient sdk,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        SdkStreamShape shape,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var start = new StreamStart(call.Route, call.Time, cancellationToken);
        var updates = sdk.GetStreamingResponseAsync(messages, options, start.Token).GetAsyncEnumerator(start.Token);
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
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
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
                        throw new IOException(shape.CutMessage);
                    }

                    yield break;
                }

                var update = updates.Current;
                shape.ThrowIfFailed(update);
                closed |= shape.Closes(update);
                yield return update;
            }
        }
    }
}

/// <summary>
/// How one API's stream reads, for <see cref="SdkStream"/>: which update closes the answer (a stream that ends before
/// it was cut), what a cut stream is told as, and which update reports a failure inside the stream.
/// </summary>
/// <param name="closes">Whether an update is the answer's closing one (its stop reason or completion).</param>
/// <param name="cutMessage">What a stream that ends before its closing update is told as (an <see cref="IOException"/>).</param>
/// <param name="throwIfFailed">Throws for an update that reports a failure, or null when failures arrive otherwise.</param>
internal sealed class SdkStreamShape(Func<ChatResponseUpdate, bool> closes, string cutMessage, Action<ChatResponseUpdate>? throwIfFailed = null)
{
    public string CutMessage { get; } = cutMessage;

    public bool Closes(ChatResponseUpdate update) => closes(update);

    public void ThrowIfFailed(ChatResponseUpdate update) => throwIfFailed?.Invoke(update);
}
