namespace AiGateway.Extensions.AI;

/// <summary>
/// The token a hand-written asynchronous stream runs with, as the compiler's <c>[EnumeratorCancellation]</c> makes it:
/// the one its method was given and the one its enumerator was asked for, linked only when both can cancel.
/// </summary>
internal static class StreamCancellation
{
    /// <summary>Combines <paramref name="given"/> with <paramref name="enumerator"/>; <c>Linked</c> is the source to dispose with the enumerator, when one was needed.</summary>
    public static (CancellationToken Token, CancellationTokenSource? Linked) Combine(CancellationToken given, CancellationToken enumerator)
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
