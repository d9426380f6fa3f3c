using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One streamed request as its caller enumerates it: on the first <see cref="MoveNextAsync"/> the route is chosen (when
/// the request named none), the <see cref="GatewayCall"/> starts and the route's exchange sends; each failure it reports
/// becomes an <see cref="AiGatewayException"/> (<see cref="GatewayOutcome"/>), and the gateway's facts go on the first
/// update and on the updates that close the answer (<see cref="ResponseFacts"/>).
/// </summary>
/// <remarks>
/// Written out rather than as an iterator because it sits on every update of every stream: an iterator here was a
/// second state machine per stream, above the exchange's own, and its bookkeeping on each update. Each enumeration is
/// a request of its own; the first is served by this instance.
/// </remarks>
internal sealed class GatewayStream : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
{
    private readonly AiGatewayChatClient _owner;
    private readonly ChatRoute? _route;
    private readonly IEnumerable<ChatMessage> _messages;
    private readonly ChatOptions? _options;
    private CancellationToken _cancellationToken;
    private CancellationTokenSource? _linked;
    private int _enumerated;
    private GatewayCall? _call;
    private IAsyncEnumerator<ChatResponseUpdate>? _updates;
    private AiGatewayResponseInfo? _info;

    public GatewayStream(AiGatewayChatClient owner, ChatRoute? route, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        _owner = owner;
        _route = route;
        _messages = messages;
        _options = options;
        _cancellationToken = cancellationToken;
    }

    public ChatResponseUpdate Current { get; private set; } = null!;

    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var stream = Interlocked.Exchange(ref _enumerated, 1) == 0
            ? this
            : new GatewayStream(_owner, _route, _messages, _options, _cancellationToken);
        stream.Combine(cancellationToken);
        return stream;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        if (_updates is null)
        {
            // Outside the failure handling below, as a request that cannot be sent is the caller's to mend.
            var route = _route ?? _owner.Choose(_options);
            _call = _owner.StartCall(route, _messages, _options);
            _updates = route.Exchange.GetStreamingResponseAsync(_call, _messages, _options, _cancellationToken).GetAsyncEnumerator(_cancellationToken);
        }

        ValueTask<bool> next;
        try
        {
            next = _updates.MoveNextAsync();
        }
        catch (Exception e) when (GatewayOutcome.IsGatewayFailure(e, _cancellationToken))
        {
            throw GatewayOutcome.Failed(_call!, e, _owner.Logger);
        }

        return next.IsCompletedSuccessfully ? new(Took(next.Result)) : AwaitNextAsync(next);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_updates is not null)
            {
                await _updates.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _linked?.Dispose();
        }
    }

    /// <summary>The caller's token from <see cref="GetAsyncEnumerator"/> stops the request as the request's own does.</summary>
    private void Combine(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _cancellationToken)
        {
            return;
        }

        if (!_cancellationToken.CanBeCanceled)
        {
            _cancellationToken = cancellationToken;
            return;
        }

        _linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        _cancellationToken = _linked.Token;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AwaitNextAsync(ValueTask<bool> next)
    {
        bool more;
        try
        {
            more = await next.ConfigureAwait(false);
        }
        catch (Exception e) when (GatewayOutcome.IsGatewayFailure(e, _cancellationToken))
        {
            throw GatewayOutcome.Failed(_call!, e, _owner.Logger);
        }

        return Took(more);
    }

    private bool Took(bool more)
    {
        if (!more)
        {
            return false;
        }

        var update = _updates!.Current;
        if (_info is null)
        {
            _info = GatewayOutcome.Answered(_call!, _owner.Logger);
            ResponseFacts.AttachFirst(update, _info, _call!.ResponseHeaders);
        }
        else
        {
            ResponseFacts.AttachIfClosing(update, _info);
        }

        Current = update;
        return true;
    }
}
