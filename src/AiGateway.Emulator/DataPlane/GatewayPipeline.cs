using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator;

/// <summary>
/// The gateway's behaviour around each provider request: gateway lookup, authentication, rate limiting, exact-match
/// caching, retries with backoff, request timeouts, universal-endpoint fallback, log ids and log entries.
/// </summary>
internal sealed class GatewayPipeline(EmulatorState state, FaultRegistry faults, RateLimiter rateLimiter, AccessTokens tokens, AiGatewayEmulatorOptions options)
{
    private readonly ProviderExecutor _executor = new(state, faults, options);
    private readonly OutcomeWriter _writer = new(options);

    private TimeProvider Time => options.TimeProvider;

    /// <summary><c>{root}/v1/{account}/{gateway}/{provider}/...</c>, or the universal endpoint when no provider path is given.</summary>
    public async Task HandleAsync(HttpContext context, string gatewayId, string? path)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await OutcomeWriter.WriteAsync(context, 405, GatewayErrors.Body(null, $"{context.Request.Method} is not allowed here; provider routes take POST.")).ConfigureAwait(false);
            return;
        }

        var gateway = await CheckGatewayAsync(context, gatewayId).ConfigureAwait(false);
        if (gateway is null)
        {
            return;
        }

        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        var headers = CopyHeaders(context.Request);
        var settings = RequestSettings.From(headers, gateway);
        if (string.IsNullOrEmpty(path))
        {
            await RunUniversalAsync(context, gateway, headers, body, settings).ConfigureAwait(false);
            return;
        }

        int slash = path.IndexOf('/', StringComparison.Ordinal);
        string slug = (slash < 0 ? path : path[..slash]).ToLowerInvariant();
        string rest = slash < 0 ? string.Empty : path[(slash + 1)..];
        var step = new StepRequest(slug, rest, headers, body, settings, Keyless: false);
        await RunAndWriteAsync(context, gateway, [step], settings).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>{root}/client/v4/accounts/{account}/ai/v1/chat/completions</c> (or <c>.../embeddings</c>) with
    /// <c>cf-aig-gateway-id</c> and a Cloudflare token.
    /// </summary>
    public async Task HandleCloudflareApiAsync(HttpContext context, string operation)
    {
        string gatewayId = context.Request.Headers["cf-aig-gateway-id"].ToString() is { Length: > 0 } id ? id : "default";
        if (!tokens.Accepts(context.Request.Headers.Authorization))
        {
            await OutcomeWriter.WriteAsync(context, 401, ControlPlane.Envelope.ErrorBody(ControlPlane.Envelope.AuthenticationError, "Authentication error")).ConfigureAwait(false);
            return;
        }

        var gateway = await CheckGatewayAsync(context, gatewayId, checkGatewayToken: false).ConfigureAwait(false);
        if (gateway is null)
        {
            return;
        }

        byte[] body = await ReadBodyAsync(context).ConfigureAwait(false);
        var headers = CopyHeaders(context.Request);
        var settings = RequestSettings.From(headers, gateway);
        await RunAndWriteAsync(context, gateway, [new StepRequest("compat", operation, headers, body, settings, Keyless: true)], settings).ConfigureAwait(false);
    }

    private async Task<EmulatorGateway?> CheckGatewayAsync(HttpContext context, string gatewayId, bool checkGatewayToken = true)
    {
        var gateway = state.GetGateway(gatewayId);
        if (gateway is null)
        {
            await OutcomeWriter.WriteAsync(context, 400, GatewayErrors.Body(GatewayErrors.GatewayNotFound, "Please configure AI Gateway in the Cloudflare dashboard")).ConfigureAwait(false);
            return null;
        }

        if (checkGatewayToken && gateway.Authentication && !tokens.Accepts(context.Request.Headers["cf-aig-authorization"]))
        {
            await OutcomeWriter.WriteAsync(context, 401, GatewayErrors.UnauthorizedBody()).ConfigureAwait(false);
            return null;
        }

        if (rateLimiter.TryAcquire(gateway) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await OutcomeWriter.WriteAsync(context, 429, GatewayErrors.Body(null, "Rate limit exceeded for this gateway.")).ConfigureAwait(false);
            return null;
        }

        return gateway;
    }

    private async Task RunUniversalAsync(HttpContext context, EmulatorGateway gateway, Dictionary<string, string> headers, byte[] body, RequestSettings settings)
    {
        JsonArray steps;
        try
        {
            steps = JsonNode.Parse(body) switch
            {
                JsonArray array => array,
                JsonObject single => [single.DeepClone()],
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            await OutcomeWriter.WriteAsync(context, 400, GatewayErrors.Body(null, "The universal endpoint expects a JSON array of steps.")).ConfigureAwait(false);
            return;
        }

        var requests = new List<StepRequest>();
        foreach (var node in steps)
        {
            if (node is not JsonObject step || step["provider"]?.GetValue<string>() is not { } provider)
            {
                await OutcomeWriter.WriteAsync(context, 400, GatewayErrors.Body(null, "Each step needs a provider, an endpoint and a query.")).ConfigureAwait(false);
                return;
            }

            // Step headers beat the request's headers, which beat the gateway's settings.
            var stepHeaders = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
            if (step["headers"] is JsonObject own)
            {
                foreach (var (name, value) in own)
                {
                    stepHeaders[name] = value?.ToString() ?? string.Empty;
                }
            }

            requests.Add(new StepRequest(
                provider.ToLowerInvariant(),
                step["endpoint"]?.GetValue<string>() ?? string.Empty,
                stepHeaders,
                Encoding.UTF8.GetBytes(step["query"]?.ToJsonString(EmulatorJson.Options) ?? "{}"),
                RequestSettings.From(stepHeaders, gateway).WithStepConfig(step["config"] as JsonObject),
                Keyless: false));
        }

        // The log keeps the steps without their credentials; built only when it keeps the request at all.
        byte[]? stored = settings.CollectLog && settings.CollectPayload ? StoredRequest.UniversalBody(steps) : null;
        await RunAndWriteAsync(context, gateway, requests, settings, universal: true, stored).ConfigureAwait(false);
    }

    // storedRequest: what the log keeps as the request when it is not the served step's own body (the universal endpoint's).
    private async Task RunAndWriteAsync(HttpContext context, EmulatorGateway gateway, List<StepRequest> steps, RequestSettings settings, bool universal = false, byte[]? storedRequest = null)
    {
        long started = Time.GetTimestamp();
        var createdAt = Time.GetUtcNow();

        // Lowercase UUIDv7 (since 2026-10-08); a request answered in one step has one id for its request, log and event.
        string requestId = Guid.CreateVersion7(createdAt).ToString();
        string logId = steps.Count == 1 ? requestId : Guid.CreateVersion7(createdAt).ToString();
        string eventId = settings.EventId ?? requestId;
        StepOutcome? outcome = null;
        int served = 0;
        bool caching = false;
        for (int i = 0; i < steps.Count; i++)
        {
            (outcome, caching) = await RunStepAsync(gateway, steps[i], context.RequestAborted).ConfigureAwait(false);
            served = i;
            if (outcome.Success)
            {
                break;
            }
        }

        var response = context.Response;
        response.Headers["cf-aig-log-id"] = logId;
        response.Headers["cf-aig-request-id"] = requestId;
        response.Headers["cf-aig-event-id"] = eventId;
        if (universal)
        {
            response.Headers["cf-aig-step"] = served.ToString(CultureInfo.InvariantCulture);
        }

        if (caching)
        {
            response.Headers["cf-aig-cache-status"] = outcome!.Cached ? "HIT" : "MISS";
        }

        if (outcome!.ViaDynamicRoute)
        {
            response.Headers["cf-aig-provider"] = outcome.Provider;
            response.Headers["cf-aig-model"] = outcome.Model;
        }

        if (outcome.Routing is { } routing)
        {
            response.Headers["cf-aig-routed-model"] = routing.RoutedModel;
            response.Headers["cf-aig-routing-reason"] = routing.Reason;
            response.Headers["cf-aig-routing-decision-id"] = routing.DecisionId;
        }

        if (outcome.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        // The served request's cost counts against the policy budgets it was allowed under.
        double cost = Cost(settings.CustomCost, outcome);
        if (outcome.Success)
        {
            state.Policies(gateway.Id).Charge(outcome.Charges, cost);
        }

        // Logged before the answer is written, so a client that has read the answer finds its log (as a test of the
        // control plane does right after a chat call).
        if (settings.CollectLog)
        {
            var step = steps[served];
            state.AddLog(gateway, new EmulatorLogEntry
            {
                Id = logId,
                GatewayId = gateway.Id,
                Provider = outcome.Provider,
                Model = outcome.Model,
                Path = outcome.Path,
                Duration = (long)Time.GetElapsedTime(started).TotalMilliseconds,
                StatusCode = outcome.Status,
                Success = outcome.Success,
                Cached = outcome.Cached,
                TokensIn = outcome.TokensIn,
                TokensOut = outcome.TokensOut,
                Metadata = settings.Metadata,
                EventId = eventId,
                UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } userAgent ? userAgent : null,
                Step = served,
                Cost = cost,
                CreatedAt = createdAt,
            }.WithPayload(
                settings.CollectPayload ? storedRequest ?? step.Body : null,
                settings.CollectPayload && outcome.Events is null && outcome.Body is { } answer ? Encoding.UTF8.GetBytes(answer) : null));
        }

        await _writer.WriteAsync(context, outcome).ConfigureAwait(false);
    }

    /// <summary>Runs one step: from the cache when it can, otherwise with the gateway's retries.</summary>
    private async Task<(StepOutcome Outcome, bool Caching)> RunStepAsync(EmulatorGateway gateway, StepRequest step, CancellationToken cancellationToken)
    {
        var facts = RequestFacts.Read(step.Body);
        var route = ProviderRoutes.Resolve(step.Slug, step.Path, out _);
        bool caching = CacheRules.Cacheable(step, facts.Stream);
        string? cacheKey = caching ? CacheRules.Key(gateway.Id, step, route, facts.Model) : null;
        if (caching && !step.Settings.SkipCache && state.GetCached(cacheKey!) is { } hit)
        {
            return (new StepOutcome
            {
                Status = hit.Status,
                ContentType = hit.ContentType,
                Body = Encoding.UTF8.GetString(hit.Body),
                Cached = true,
                Provider = route?.Provider ?? step.Slug,
                Model = facts.Model ?? step.Path,
                Path = step.Path,
                TokensIn = hit.TokensIn,
                TokensOut = hit.TokensOut,
            }, true);
        }

        StepOutcome outcome = await _executor.RunAsync(gateway, step, cancellationToken).ConfigureAwait(false);
        for (int retry = 1; retry < step.Settings.MaxAttempts && outcome.Retryable; retry++)
        {
            var delay = step.Settings.DelayBefore(retry);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
            }

            outcome = await _executor.RunAsync(gateway, step, cancellationToken).ConfigureAwait(false);
        }

        if (caching && outcome.Success && outcome.Body is { } body)
        {
            state.SetCached(cacheKey!, new CachedAnswer(outcome.Status, outcome.ContentType, Encoding.UTF8.GetBytes(body), outcome.TokensIn, outcome.TokensOut,
                Time.GetUtcNow() + step.Settings.CacheTtl!.Value));
        }

        return (outcome, caching && !step.Settings.SkipCache);
    }

    private static double Cost(JsonObject? customCost, StepOutcome outcome)
    {
        if (customCost is null)
        {
            return 0;
        }

        double Get(string name) => customCost[name] is JsonValue v && v.TryGetValue(out double d) ? d : 0;
        return customCost.ContainsKey("total_cost")
            ? Get("total_cost")
            : (Get("per_token_in") * outcome.TokensIn) + (Get("per_token_out") * outcome.TokensOut);
    }

    private static Dictionary<string, string> CopyHeaders(HttpRequest request) =>
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
