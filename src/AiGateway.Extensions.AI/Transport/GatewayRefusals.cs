using System.Globalization;
using System.Text;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What the gateway's own refusals mean and what to do about them, for the message of an <see cref="AiGatewayException"/>:
/// a policy's 403, a spent budget's 429 (features/policies.mdx, features/spend-limits.mdx), and 402 / 2021, which is
/// Unified Billing's credits or, since 2026-09-17, the guardrails scanner's (changelog 2026-09-17).
/// </summary>
internal static class GatewayRefusals
{
    public const string PolicyDeniedMessage = "Access denied by policy";

    public const string SpendLimitMessage = "Spending limit exceeded";

    /// <summary>Appends the spent budget's facts: <c>, bucket 'team:a' spent $1000.42 of its $1000 limit</c>.</summary>
    public static void AppendBudget(StringBuilder message, string? bucket, decimal? spent, decimal? limit)
    {
        if (bucket is not null)
        {
            message.Append(", bucket '").Append(bucket).Append('\'');
        }

        if (spent is { } s)
        {
            message.Append(bucket is null ? ", " : " ").Append("spent $").Append(s.ToString(CultureInfo.InvariantCulture));
        }

        if (limit is { } l)
        {
            message.Append(spent is null ? ", limit $" : " of its $").Append(l.ToString(CultureInfo.InvariantCulture)).Append(spent is null ? string.Empty : " limit");
        }
    }

    /// <summary>Appends what the refusal means for this route and what to do next.</summary>
    public static void AppendAdvice(StringBuilder message, AiGatewayErrorKind kind, string provider, string model, string? bodyMessage)
    {
        switch (kind)
        {
            case AiGatewayErrorKind.PolicyDenied:
                message.Append(". A policy of the gateway blocks ").Append(provider).Append(" model ").Append(model)
                    .Append(" for this caller, or no policy allows it: a route with another model or provider may be allowed; check the gateway's policies (or simulate this request against them).");
                break;
            case AiGatewayErrorKind.SpendLimitExceeded:
                message.Append(". The budget is used up until its window resets (policies reset on UTC hours, days, Mondays or months; spend-limit rules after their fixed window); the answer does not say when. A route with another model or provider may draw on another budget.");
                break;
            default:
                message.Append(CreditsAdvice(bodyMessage));
                break;
        }
    }

    /// <summary>
    /// Whose credits ran out, as far as the answer's message tells: both the guardrails scanner and Unified Billing answer
    /// 402 / 2021, and Cloudflare documents no distinct code or field for either.
    /// </summary>
    private static string CreditsAdvice(string? bodyMessage)
    {
        bool scanner = Mentions(bodyMessage, "guardrail") || Mentions(bodyMessage, "scanner");
        bool billing = Mentions(bodyMessage, "billing");
        return (scanner, billing) switch
        {
            (true, false) => ". The guardrails scanner ran out of credits (it runs on Workers AI, paid from the account's AI Gateway credits): top up the credits, or turn Guardrails off; every route through this gateway is scanned the same way.",
            (false, true) => ". Unified Billing ran out of credits: top up the account's AI Gateway credits, or give the route its own provider key (ApiKey, or a key stored in the gateway).",
            _ => ". The account's AI Gateway credits ran out, for Unified Billing or for the guardrails scanner (the answer does not say which): top up the credits, or give the route its own provider key if Guardrails is off.",
        };
    }

    private static bool Mentions(string? text, string word) => text?.Contains(word, StringComparison.OrdinalIgnoreCase) ?? false;
}
