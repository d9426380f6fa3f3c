using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Client-side fallback across the configured routes (the primary, then <c>AiGateway:Fallbacks:{i}</c>): a failure the
/// policy calls transient moves the request to the next route; a route that keeps failing, or said
/// <c>Retry-After</c>, is skipped (no request at all) until its cooldown ends. Streams fall back only until the first
/// update reaches the caller. The answer's <see cref="AiGatewayResponseInfo.Attempts"/> lists every attempt; when all
/// routes fail, one <see cref="AiGatewayException"/> carries them all.
/// </summary>
/// <remarks>
/// Add it with <c>.UseFallback()</c>; it needs an <see cref="AiGatewayChatClient"/> inside it. With
/// <see cref="AiGatewayFallbackMode.Gateway"/> the gateway's universal endpoint does the fallback instead, and this
/// client passes requests through. It never retries a route itself: retries belong to the gateway (<c>Retry:*</c>).
/// </remarks>
public sealed class AiGatewayFallbackChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key that turns fallback off for one request (value <see langword="false"/>).</summary>
    public const string EnabledKey = "aigateway.fallback";

    private readonly AiGatewayFallbackOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RouteHealth _health;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayFallbackChatClient"/> class.</summary>
    /// <param name="innerClient">The client to send through; an <see cref="AiGatewayChatClient"/> must be reachable with <c>GetService</c>.</param>
    /// <param name="options">The fallback policy and cooldowns; defaults when null.</param>
    /// <param name="timeProvider">The clock for cooldowns and durations; the system clock when null.</param>
    /// <param name="logger">Receives an Information line for each fallback and skipped route.</param>
    public AiGatewayFallbackChatClient(IChatClient innerClient, AiGatewayFallbackOptions? options = null, TimeProvider? timeProvider = null, ILogger<AiGatewayFallbackChatClient>? logger = null)
        : base(innerClient)
    {
        _options = options ?? new AiGatewayFallbackOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _health = new RouteHealth(_options, _timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Routes(options) is not { } transports)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var attempts = new List<AiGatewayAttempt>();
        Exception? last = null;
        foreach (var transport in Order(transports, attempts))
        {
            long started = _timeProvider.GetTimestamp();
            using var span = StartAttempt(transport.Route);
            try
            {
                var response = await base.GetResponseAsync(history, Pin(options, transport), cancellationToken).ConfigureAwait(false);
                _health.Succeeded(transport.Route);
                span?.SetTag(GenAiNames.HttpStatusCode, response.GetGatewayInfo()?.Attempts[^1].StatusCode);
                if (attempts.Count > 0 && response.GetGatewayInfo() is { } info)
                {
                    response.AdditionalProperties![AiGatewayResponseInfo.AdditionalPropertiesKey] = info with { Attempts = [.. attempts, .. info.Attempts] };
                }

                return response;
            }
            catch (Exception e) when (IsFallback(e, cancellationToken))
            {
                last = Record(e, transport, started, attempts, span);
            }
        }

        throw AllFailed(attempts, last);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Routes(options) is { } transports
            ? StreamAsync(messages as IReadOnlyCollection<ChatMessage> ?? [.. messages], options, transports, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IReadOnlyCollection<ChatMessage> history, ChatOptions? options, RouteTransport[] transports, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var attempts = new List<AiGatewayAttempt>();
        Exception? last = null;
        foreach (var transport in Order(transports, attempts))
        {
            long started = _timeProvider.GetTimestamp();
            var span = StartAttempt(transport.Route);
            var updates = base.GetStreamingResponseAsync(history, Pin(options, transport), cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool any;
            try
            {
                any = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (IsFallback(e, cancellationToken))
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                last = Record(e, transport, started, attempts, span);
                span?.Dispose();
                continue;
            }
            catch
            {
                span?.Dispose();
                throw;
            }

            // Output is committed from here on: a later error reaches the caller, as in Microsoft.Extensions.AI's FailoverChatClient.
            _health.Succeeded(transport.Route);
            span?.SetTag(GenAiNames.HttpStatusCode, any ? updates.Current.GetGatewayInfo()?.Attempts[^1].StatusCode : null);
            span?.Dispose();
            try
            {
                if (any)
                {
                    do
                    {
                        yield return WithAttempts(updates.Current, attempts);
                    }
                    while (await updates.MoveNextAsync().ConfigureAwait(false));
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            yield break;
        }

        throw AllFailed(attempts, last);
    }

    /// <summary>The routes to try, or null to pass the request through (one route, gateway-side fallback, or turned off).</summary>
    private RouteTransport[]? Routes(ChatOptions? options)
    {
        var gateway = InnerClient.GetService<AiGatewayChatClient>() ?? throw new InvalidOperationException(
            $"{nameof(AiGatewayFallbackChatClient)} needs an {nameof(AiGatewayChatClient)} inside it: add it with .UseFallback() on the AiGateway builder.");
        var state = gateway.GetState();
        bool disabled = options?.AdditionalProperties?.TryGetValue(EnabledKey, out object? enabled) is true && enabled is false;
        return state.Transports.Length > 1 && state.UniversalTransport is null && !disabled ? state.Transports : null;
    }

    /// <summary>
    /// The routes in order, skipping those cooling down (recorded as skipped attempts). When every route is cooling
    /// down, the one whose cooldown ends first is probed rather than failing without a request.
    /// </summary>
    private IEnumerable<RouteTransport> Order(RouteTransport[] transports, List<AiGatewayAttempt> attempts)
    {
        RouteTransport? soonest = null;
        DateTimeOffset soonestEnd = DateTimeOffset.MaxValue;
        bool tried = false;
        foreach (var transport in transports)
        {
            if (_health.CoolingUntil(transport.Route) is { } until)
            {
                var route = transport.Route;
                attempts.Add(new(route.Index, route.Provider.Slug, route.Model, null, null, TimeSpan.Zero, Skipped: true));
                Log.Skipped(_logger, route.Provider.Slug, route.Model);
                Activity.Current?.AddEvent(new ActivityEvent("aigateway.route.skipped", tags: new ActivityTagsCollection
                {
                    [AiGatewayTelemetry.Attributes.RouteIndex] = route.Index,
                    [AiGatewayTelemetry.Attributes.Provider] = route.Provider.Slug,
                    [AiGatewayTelemetry.Attributes.Model] = route.Model,
                }));
                if (until < soonestEnd)
                {
                    (soonest, soonestEnd) = (transport, until);
                }

                continue;
            }

            tried = true;
            yield return transport;
        }

        if (!tried && soonest is not null)
        {
            yield return soonest;
        }
    }

    private static RoutePinnedChatOptions Pin(ChatOptions? options, RouteTransport transport) => new(options, transport);

    private bool IsFallback(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) && _options.ShouldFallBack(e);

    /// <summary>A child span per attempt (of the chat span, when telemetry is on), with its route and outcome.</summary>
    private static Activity? StartAttempt(AiGatewayRoute route)
    {
        var span = AiGatewayTelemetry.Source.StartActivity($"attempt {route.Provider.Slug}", ActivityKind.Internal);
        span?.SetTag(AiGatewayTelemetry.Attributes.RouteIndex, route.Index)
            .SetTag(AiGatewayTelemetry.Attributes.Provider, route.Provider.Slug)
            .SetTag(AiGatewayTelemetry.Attributes.Model, route.Model);
        return span;
    }

    private Exception Record(Exception e, RouteTransport transport, long started, List<AiGatewayAttempt> attempts, Activity? span)
    {
        _health.Failed(transport.Route, e);
        var route = transport.Route;
        var attempt = e is AiGatewayException { Attempts: [.., var last] }
            ? last
            : new AiGatewayAttempt(route.Index, route.Provider.Slug, route.Model, null, null, _timeProvider.GetElapsedTime(started));
        attempts.Add(attempt);
        Log.FellBack(_logger, route.Provider.Slug, route.Model, attempt.StatusCode, attempt.ErrorKind, (e as AiGatewayException)?.LogId);
        span?.SetStatus(ActivityStatusCode.Error, attempt.ErrorKind?.ToString())
            .SetTag(GenAiNames.HttpStatusCode, attempt.StatusCode)
            .SetTag(AiGatewayTelemetry.Attributes.ErrorKind, attempt.ErrorKind?.ToString())
            .SetTag(GenAiNames.ErrorType, attempt.ErrorKind?.ToString() ?? e.GetType().FullName);
        return e;
    }

    private static ChatResponseUpdate WithAttempts(ChatResponseUpdate update, List<AiGatewayAttempt> attempts)
    {
        if (attempts.Count > 0 && update.GetGatewayInfo() is { } info)
        {
            update.AdditionalProperties![AiGatewayResponseInfo.AdditionalPropertiesKey] = info with { Attempts = [.. attempts, .. info.Attempts] };
        }

        return update;
    }

    private static AiGatewayException AllFailed(List<AiGatewayAttempt> attempts, Exception? last)
    {
        var message = new StringBuilder("Every AI Gateway route failed: ");
        for (int i = 0; i < attempts.Count; i++)
        {
            var a = attempts[i];
            message.Append(i == 0 ? string.Empty : "; ").Append(a.Provider).Append('/').Append(a.Model).Append(' ')
                .Append(a.Skipped ? "skipped (cooling down)" : $"{a.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no response"} {a.ErrorKind}");
        }

        message.Append('.');
        var inner = last as AiGatewayException;
        return new AiGatewayException(message.ToString(), last)
        {
            Kind = inner?.Kind ?? AiGatewayErrorKind.Transport,
            StatusCode = inner?.StatusCode,
            GatewayErrorCode = inner?.GatewayErrorCode,
            ProviderErrorCode = inner?.ProviderErrorCode,
            ProviderErrorType = inner?.ProviderErrorType,
            ProviderMessage = inner?.ProviderMessage,
            RetryAfter = inner?.RetryAfter,
            LogId = inner?.LogId,
            Provider = inner?.Provider,
            Model = inner?.Model,
            Attempts = attempts,
        };
    }
}
