namespace AiGateway.Extensions.AI;

/// <summary>What kind of failure an <see cref="AiGatewayException"/> reports; fallback decisions are made on it.</summary>
public enum AiGatewayErrorKind
{
    /// <summary>401, 403 other than a policy refusal, or gateway code 2009: a missing or bad gateway token or provider key.</summary>
    Authentication,

    /// <summary>400, 413 or 422 from the provider, or gateway code 2040 (an unknown BYOK alias): the request itself is wrong.</summary>
    BadRequest,

    /// <summary>404: unknown model or path.</summary>
    NotFound,

    /// <summary>429 other than a spent budget: a rate limit, at the gateway or the provider.</summary>
    RateLimited,

    /// <summary>424 or gateway codes 2016, 2017, 2029, 2030: guardrails or DLP blocked the prompt or the answer.</summary>
    Blocked,

    /// <summary>A 5xx from the provider, or an error the provider reported inside a stream.</summary>
    ProviderError,

    /// <summary>
    /// An error of the gateway itself, such as 400 with code 2001 (the gateway does not exist) or 503 with code 7013
    /// (the guardrails scanner is unavailable): every route goes through the same gateway, so fallback does not move on.
    /// </summary>
    GatewayError,

    /// <summary>408 or 504 (the gateway's request timeout), or no answer within the network timeout.</summary>
    Timeout,

    /// <summary>The connection failed or dropped before the answer was complete.</summary>
    Transport,

    /// <summary>The answer arrived but could not be read (malformed JSON or SSE).</summary>
    MalformedResponse,

    /// <summary>
    /// 402 or gateway code 2021: out of credits. Unified Billing's (a route with its own provider key can still answer,
    /// so fallback moves on) or, since 2026-09-17, the guardrails scanner's; the message says which, as far as the
    /// gateway's answer tells.
    /// </summary>
    InsufficientCredits,

    /// <summary>
    /// 403 <c>Access denied by policy</c>: one of the gateway's policies blocks this model or provider for the caller, or
    /// none allows it. Policies match per model and provider, so fallback moves on to a route with another one; the
    /// refused route does not cool down (the next request tries it again, as a policy may change at any time).
    /// </summary>
    PolicyDenied,

    /// <summary>
    /// 429 <c>Spending limit exceeded</c>: a budget of the gateway's policies or spend limits is used up;
    /// <see cref="AiGatewayException.Bucket"/>, <see cref="AiGatewayException.Spent"/> and
    /// <see cref="AiGatewayException.Limit"/> say which and by how much. Fallback moves on to a route with another model
    /// or provider, and the refused route is skipped for <see cref="AiGatewayFallbackOptions.SpendLimitCooldown"/>.
    /// </summary>
    SpendLimitExceeded,
}
