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
/// <c>Retry-After</c>, is skipped (no request at all) until its cooldown ends. A stream falls back until an update
/// with content would reach the caller: updates without content (a role, an empty delta) are held back until then.
/// The answer's <see cref="AiGatewayResponseInfo.Attempts"/> lists every attempt; when all routes fail, one
/// <see cref="AiGatewayException"/> carries them all.
/// </summary>
/// <remarks>
/// <para>
/// Add it with <c>.UseAiGatewayFallback()</c> on the chat client builder. It finds the routes through
/// <c>GetService(typeof(AiGatewayRouteSet))</c> and sends each attempt with <see cref="AiGatewayRouteInfo.Pin"/>,
/// so any middleware may sit between it and the <see cref="AiGatewayChatClient"/> (function invocation, caching).
/// With <see cref="AiGatewayFallbackMode.Gateway"/> the gateway's universal endpoint does the fallback instead, and
/// this client passes requests through. It never retries a route itself: retries belong to the gateway (<c>Retry:*</c>).
/// </para>
/// <para>
/// Telemetry: one child span per attempt (source <see cref="AiGatewayTelemetry.SourceName"/>), an event on the
/// current span per skipped route, the serving route's facts on the current span, and the
/// <see cref="AiGatewayTelemetry.Metrics.Fallbacks"/> and <see cref="AiGatewayTelemetry.Metrics.RouteSkips"/> counters.
/// </para>
/// </remarks>
public sealed class AiGatewayFallbackChatClient : DelegatingChatClient
{
    internal const string DisabledKey = "aigateway.fallback.disabled";

    private readonly AiGatewayFallbackOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RouteHealth _health;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayFallbackChatClient"/> class.</summary>
    /// <param name="innerClient">The client to send through; it must answer <c>GetService(typeof(AiGatewayRouteSet))</c>.</param>
    /// <param name="options">The fallback policy and cooldowns; defaults when null.</param>
    /// <param name="timeProvider">The clock for cooldowns and durations; the system clock when null.</param>
    /// <param name="logger">Receives an Information line for each fallback and skipped route.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public AiGatewayFallbackChatClient(IChatClient innerClient, AiGatewayFallbackOptions? options = null, TimeProvider? timeProvider = null, ILogger<AiGatewayFallbackChatClient>? logger = null)
        : base(innerClient)
    {
        _options = options ?? new AiGatewayFallbackOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _health = new RouteHealth(_options, _timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">Every route failed or was skipped; <see cref="AiGatewayException.Attempts"/> lists them.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="AiGatewayChatClient"/> answers inside this client.</exception>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Routes(options) is not { } routes)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var history = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var parent = Activity.Current;
        var tries = new Tries();
        foreach (var route in Order(routes, tries))
        {
            long started = _timeProvider.GetTimestamp();
            using var span = StartAttempt(route);
            try
            {
                ChatResponse response;
                using (route.Pin())
                {
                    response = await base.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
                }

                _health.Succeeded(route.Id);
                if (response.GetGatewayInfo() is { } info && response.AdditionalProperties is { } properties)
                {
                    properties[AiGatewayResponseInfo.AdditionalPropertiesKey] = Served(info, tries, span, parent);
                }

                return response;
            }
            catch (Exception e) when (IsFallback(e, cancellationToken))
            {
                Record(e, route, started, tries, span);
            }
        }

        throw AllFailed(tries);
    }

    /// <inheritdoc />
    /// <exception cref="AiGatewayException">While enumerating: every route failed or was skipped.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="AiGatewayChatClient"/> answers inside this client.</exception>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Routes(options) is { } routes
            ? StreamAsync(messages as IReadOnlyCollection<ChatMessage> ?? [.. messages], options, routes, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IReadOnlyCollection<ChatMessage> history, ChatOptions? options, IReadOnlyList<AiGatewayRouteInfo> routes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parent = Activity.Current;
        var tries = new Tries();
        foreach (var route in Order(routes, tries))
        {
            long started = _timeProvider.GetTimestamp();
            var span = StartAttempt(route);
            IAsyncEnumerator<ChatResponseUpdate>? updates = null;
            var held = new List<ChatResponseUpdate>();
            bool more;
            try
            {
                using (route.Pin())
                {
                    updates = base.GetStreamingResponseAsync(history, options, cancellationToken).GetAsyncEnumerator(cancellationToken);

                    // Nothing is committed until an update with content would reach the caller (or the stream ends).
                    while ((more = await updates.MoveNextAsync().ConfigureAwait(false)) && !CarriesContent(updates.Current))
                    {
                        held.Add(updates.Current);
                    }
                }
            }
            catch (Exception e) when (IsFallback(e, cancellationToken))
            {
                Record(e, route, started, tries, span);
                span?.Dispose();
                if (updates is not null)
                {
                    await updates.DisposeAsync().ConfigureAwait(false);
                }

                continue;
            }
            catch
            {
                span?.Dispose();
                if (updates is not null)
                {
                    await updates.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }

            // Committed: a later error reaches the caller, as in Microsoft.Extensions.AI's FailoverChatClient.
            _health.Succeeded(route.Id);
            if (more)
            {
                held.Add(updates.Current);
            }

            if (held.Find(u => u.GetGatewayInfo() is not null)?.GetGatewayInfo() is { } info)
            {
                Served(info, tries, span, parent);
            }

            span?.Dispose();
            try
            {
                foreach (var update in held)
                {
                    yield return WithAttempts(update, tries);
                }

                while (more)
                {
                    using (route.Pin())
                    {
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                    }

                    if (more)
                    {
                        yield return WithAttempts(updates.Current, tries);
                    }
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            yield break;
        }

        throw AllFailed(tries);
    }

    /// <summary>The routes to try, or null to pass the request through (one route, gateway-side fallback, or turned off).</summary>
    private IReadOnlyList<AiGatewayRouteInfo>? Routes(ChatOptions? options)
    {
        var routeSet = InnerClient.GetService<AiGatewayRouteSet>() ?? throw new InvalidOperationException(
            $"{nameof(AiGatewayFallbackChatClient)} needs an {nameof(AiGatewayChatClient)} inside it: add it with .UseAiGatewayFallback() on the client's builder.");
        bool disabled = options?.AdditionalProperties?.TryGetValue(DisabledKey, out object? value) is true && value is true;
        return routeSet.Routes.Count > 1 && routeSet.FallbackMode == AiGatewayFallbackMode.Client && !disabled ? routeSet.Routes : null;
    }

    /// <summary>The routes in order, those cooling down recorded as skipped attempts (see <see cref="RouteHealth.Available"/>).</summary>
    private IEnumerable<AiGatewayRouteInfo> Order(IReadOnlyList<AiGatewayRouteInfo> routes, Tries tries) =>
        _health.Available(routes, (Tries: tries, Logger: _logger), static (route, state) =>
        {
            state.Tries.Add(new(route.Index, route.Provider, route.Model, null, null, TimeSpan.Zero, Skipped: true), "skipped (cooling down)");
            GatewayInstruments.Skipped(state.Logger, route);
        });

    /// <summary>Whether an update would show the caller something: text, reasoning, a tool call, any non-text content.</summary>
    private static bool CarriesContent(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent text when string.IsNullOrEmpty(text.Text):
                case TextReasoningContent reasoning when string.IsNullOrEmpty(reasoning.Text) && reasoning.ProtectedData is null:
                case UsageContent:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private bool IsFallback(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) && _options.ShouldFallBack(e);

    /// <summary>A child span per attempt (of the chat span, when telemetry is on), with its route and outcome.</summary>
    private static Activity? StartAttempt(AiGatewayRouteInfo route)
    {
        var span = AiGatewayTelemetry.Source.StartActivity($"attempt {route.Provider}", ActivityKind.Internal);
        span?.SetTag(AiGatewayTelemetry.Attributes.RouteIndex, route.Index)
            .SetTag(AiGatewayTelemetry.Attributes.Provider, route.Provider)
            .SetTag(AiGatewayTelemetry.Attributes.Model, route.Model);
        return span;
    }

    /// <summary>The serving attempt's facts with the earlier attempts added, tagged on the attempt's and the caller's spans.</summary>
    private static AiGatewayResponseInfo Served(AiGatewayResponseInfo info, Tries tries, Activity? span, Activity? parent)
    {
        if (tries.Attempts.Count > 0)
        {
            info = info with { Attempts = [.. tries.Attempts, .. info.Attempts] };
        }

        span?.SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, info.Attempts[^1].StatusCode);
        GatewayInstruments.TagAnswer(parent, info);
        return info;
    }

    private void Record(Exception e, AiGatewayRouteInfo route, long started, Tries tries, Activity? span)
    {
        _health.Failed(route.Id, e);
        var failure = e as AiGatewayException;
        var attempt = failure is { Attempts: [.., var last] }
            ? last
            : new AiGatewayAttempt(route.Index, route.Provider, route.Model, null, null, _timeProvider.GetElapsedTime(started));
        tries.Add(attempt, Describe(attempt, e), e);
        Log.FellBack(_logger, route, attempt, failure?.LogId);
        GatewayInstruments.CountFallback(route, attempt.ErrorKind);
        span?.SetStatus(ActivityStatusCode.Error, attempt.ErrorKind?.ToString())
            .SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, attempt.StatusCode)
            .SetTag(AiGatewayTelemetry.Attributes.ErrorKind, attempt.ErrorKind?.ToString())
            .SetTag("error.type", attempt.ErrorKind?.ToString() ?? e.GetType().FullName);
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

    private static ChatResponseUpdate WithAttempts(ChatResponseUpdate update, Tries tries)
    {
        if (tries.Attempts.Count > 0 && update.GetGatewayInfo() is { } info)
        {
            update.AdditionalProperties![AiGatewayResponseInfo.AdditionalPropertiesKey] = info with { Attempts = [.. tries.Attempts, .. info.Attempts] };
        }

        return update;
    }

    private static AiGatewayException AllFailed(Tries tries)
    {
        var message = new StringBuilder("Every AI Gateway route failed: ");
        for (int i = 0; i < tries.Attempts.Count; i++)
        {
            var a = tries.Attempts[i];
            message.Append(i == 0 ? string.Empty : "; ").Append(a.Provider).Append('/').Append(a.Model).Append(' ').Append(tries.Causes[i]);
        }

        message.Append('.');
        var inner = tries.Last as AiGatewayException;
        return new AiGatewayException(message.ToString(), tries.Last)
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
            Attempts = tries.Attempts,
        };
    }

    /// <summary>The attempts of one request, each with a short cause, and the last failure.</summary>
    private sealed class Tries
    {
        public List<AiGatewayAttempt> Attempts { get; } = [];

        public List<string> Causes { get; } = [];

        public Exception? Last { get; private set; }

        public void Add(AiGatewayAttempt attempt, string cause, Exception? failure = null)
        {
            Attempts.Add(attempt);
            Causes.Add(cause);
            Last = failure ?? Last;
        }
    }
}
