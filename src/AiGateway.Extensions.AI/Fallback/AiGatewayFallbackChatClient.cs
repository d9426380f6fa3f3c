using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiGateway.Extensions.AI;

#pragma warning disable MEAI001 // Microsoft's failover base is experimental; it runs the attempt loop, this client chooses the routes.

/// <summary>
/// Client-side fallback across the configured routes (the primary, then <c>AiGateway:Fallbacks:{i}</c>), on
/// Microsoft.Extensions.AI's <see cref="FailoverChatClient"/>: Microsoft's base runs the attempts and commits a stream
/// once output reaches the caller; this client chooses the routes. A failure the policy calls transient moves the
/// request to the next route; a route that keeps failing, or said <c>Retry-After</c>, is skipped (no request at all)
/// until its cooldown ends. A stream may still fall back after updates without content (a role, an empty delta): they
/// are held back until content comes. The answer's <see cref="AiGatewayResponseInfo.Attempts"/> lists every attempt;
/// when all routes fail, one <see cref="AiGatewayException"/> carries them all.
/// </summary>
/// <remarks>
/// <para>
/// Add it with <c>.UseAiGatewayFallback()</c> on the chat client builder. It finds the routes through
/// <c>GetService(typeof(AiGatewayRouteSet))</c> and sends each attempt through the client inside it with the route
/// named in that request's own options, so middleware may sit between it and the <see cref="AiGatewayChatClient"/>
/// (function invocation, caching). With <see cref="AiGatewayFallbackMode.Gateway"/> the gateway's universal endpoint
/// does the fallback instead, and this client passes requests through. It never retries a route itself: retries
/// belong to the gateway (<c>Retry:*</c>).
/// </para>
/// <para>
/// Telemetry: one child span per attempt (source <see cref="AiGatewayTelemetry.SourceName"/>), an event on the
/// current span per skipped route, the serving route's facts on the current span, and the
/// <see cref="AiGatewayTelemetry.Metrics.Fallbacks"/> and <see cref="AiGatewayTelemetry.Metrics.RouteSkips"/> counters.
/// Its <see cref="ChatClientMetadata"/> (which Microsoft's <c>UseOpenTelemetry()</c> puts on every span and metric)
/// names a provider or model only when every route has the same, and no server, as Microsoft's failover client.
/// </para>
/// </remarks>
public sealed class AiGatewayFallbackChatClient : FailoverChatClient
{
    private readonly IChatClient _inner;
    private readonly RoutePolicy _policy;

    // Requests between a failed attempt and their next selection (one routing context each): an attempt's own client
    // carries its request, so a request that succeeds first time is never stored here; one the base abandons goes with
    // its context.
    private readonly ConditionalWeakTable<RoutingContext, FallbackRequest> _requests = [];

    /// <summary>Initializes a new instance of the <see cref="AiGatewayFallbackChatClient"/> class.</summary>
    /// <param name="innerClient">The client to send through; it must answer <c>GetService(typeof(AiGatewayRouteSet))</c>.</param>
    /// <param name="options">The fallback policy and cooldowns; defaults when null.</param>
    /// <param name="timeProvider">The clock for cooldowns and durations; the system clock when null.</param>
    /// <param name="logger">Receives an Information line for each fallback and skipped route.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public AiGatewayFallbackChatClient(IChatClient innerClient, AiGatewayFallbackOptions? options = null, TimeProvider? timeProvider = null, ILogger<AiGatewayFallbackChatClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        options?.Validate();
        _inner = innerClient;
        _policy = new RoutePolicy(options ?? new AiGatewayFallbackOptions(), timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ChatClientMetadata)
            && _inner.GetService<AiGatewayRouteSet>() is { FallbackMode: AiGatewayFallbackMode.Client, Routes.Count: > 1 } routeSet)
        {
            // Requests may be served by any route: only what all of them share is true of this client.
            return routeSet.CommonMetadata;
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">Every route failed or was skipped; <see cref="AiGatewayException.Attempts"/> lists them.</exception>
    /// <exception cref="NotSupportedException">The request holds something its route's API cannot carry; the message names it and the route.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="AiGatewayChatClient"/> answers inside this client.</exception>
    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_requests.TryGetValue(context, out var request))
        {
            _requests.Remove(context);
        }
        else
        {
            var routeSet = _inner.GetService<AiGatewayRouteSet>() ?? throw new InvalidOperationException(
                $"{nameof(AiGatewayFallbackChatClient)} needs an {nameof(AiGatewayChatClient)} inside it: add it with .UseAiGatewayFallback() on the client's builder.");
            bool disabled = context.ChatOptions?.AdditionalProperties?.TryGetValue(AiGatewayRouteInfo.FallbackDisabledKey, out object? value) is true && value is true;
            var routes = ConversationRoutes.For(routeSet.Routes, context.ChatOptions);
            if (routes.Count == 1 || routeSet.FallbackMode == AiGatewayFallbackMode.Gateway || disabled)
            {
                // One route (or one that can continue the conversation), or the gateway falls back: pass the request through, once.
                return new(_inner);
            }

            request = new FallbackRequest(routes, System.Diagnostics.Activity.Current);
        }

        int next = _policy.Next(request.Routes, static route => route.Route, request.Position, request.TriedAny, request.Attempts);
        if (next < 0)
        {
            throw request.AllFailed();
        }

        request.Position = next + 1;
        request.TriedAny = true;
        var route = request.Routes[next];

        // Straight to the route's own client when nothing sits between this client and the gateway client; through the
        // middleware between them otherwise, with the route named in the request's options.
        return new(_inner is AiGatewayChatClient
            ? new AttemptClient(route.Client, route, request, namesRoute: false)
            : new AttemptClient(_inner, route, request, namesRoute: true));
    }

    /// <inheritdoc />
    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Client is not AttemptClient client)
        {
            // A passed-through request: its failure stands as it is, with no second attempt.
            if (!isTerminal && attempt.Exception is { } passedThrough)
            {
                ExceptionDispatchInfo.Throw(passedThrough);
            }

            return default;
        }

        var request = client.Request;
        var route = client.Route.Route;
        if (attempt.Exception is null)
        {
            if (attempt.ResponseCompleted)
            {
                _policy.Succeeded(route);
            }

            return default;
        }

        if (isTerminal || !_policy.ShouldFallBack(attempt.Exception, cancellationToken))
        {
            // Cancelled, failed after output reached the caller, or a failure another route would not cure: it stands.
            if (!isTerminal)
            {
                ExceptionDispatchInfo.Throw(attempt.Exception);
            }

            return default;
        }

        var failure = attempt.Exception as AiGatewayException;
        var failed = failure is { Attempts: [.., var last] }
            ? last
            : new AiGatewayAttempt(route.Index, route.Provider.Slug, route.Model, null, null, attempt.Duration);
        request.Failed(failed, Describe(failed, attempt.Exception), attempt.Exception);
        _policy.FellBack(route, attempt.Exception, failed);

        // The base selects the next route for this context at once.
        _requests.AddOrUpdate(context, request);
        return default;
    }

    /// <summary>One attempt's cause for the all-failed message: the status and kind, and the underlying reason when no response came.</summary>
    private static string Describe(AiGatewayAttempt attempt, Exception e)
    {
        string outcome = attempt.StatusCode is { } status
            ? $"{status.ToString(CultureInfo.InvariantCulture)} {attempt.ErrorKind}"
            : $"no response ({attempt.ErrorKind?.ToString() ?? e.GetType().Name})";
        if (attempt.StatusCode is null && (e.InnerException ?? e) is { } cause && cause is not AiGatewayException)
        {
            outcome += ": " + (cause.InnerException ?? cause).Message;
        }
        else if (e is AiGatewayException { ProviderMessage: { Length: > 0 } providerMessage })
        {
            outcome += ": " + providerMessage;
        }

        return outcome.Length > 200 ? outcome[..200] + "..." : outcome;
    }
}
