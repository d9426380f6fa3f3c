using System.Collections.Concurrent;
using System.IO.Enumeration;

namespace AiGateway.Emulator;

/// <summary>What Auto Router decided for one request: the pool model that serves, as the gateway names it, and why.</summary>
/// <param name="RoutedModel">The pool's name (<c>cf-aig-routed-model</c>), for example <c>openai/gpt-5.6-luna</c>.</param>
/// <param name="Provider">The provider that serves it, by the emulator's provider slug.</param>
/// <param name="Model">The model as that provider names it.</param>
/// <param name="Reason">The routing reason (<c>cf-aig-routing-reason</c>).</param>
/// <param name="DecisionId">The decision's id (<c>cf-aig-routing-decision-id</c>).</param>
internal sealed record RoutingDecision(string RoutedModel, string Provider, string Model, string Reason, string DecisionId);

/// <summary>
/// Cloudflare's Auto Router (features/auto-router.mdx) for model <c>cloudflare/auto</c>, deterministic where the real one
/// classifies: the pool is the documented default models, or those <c>cf-aig-allowed-models</c> and
/// <c>cf-aig-allowed-providers</c> allow among the default and additional ones (an allowed-models entry matching no model is
/// a 400); one candidate serves as <c>forced_by_candidate_pool</c>; otherwise a hash of the conversation picks one
/// (<c>cost_optimal_within_pool</c>), so each request of a tool loop may land elsewhere, unless a <c>cf-aig-session-id</c>
/// keeps the turn's model (<c>pinned_by_turn</c>). A turn is <c>cf-aig-turn-id</c>, or the number of user messages so far
/// (a user message and its tool calls); <c>cf-aig-no-session-affinity: true</c> picks afresh. Thread-safe.
/// </summary>
internal sealed class AutoRouter(TimeProvider time)
{
    public const string ModelName = "cloudflare/auto";

    /// <summary>Sessions remembered at most; past it the oldest memory is dropped wholesale (an emulator, not a store).</summary>
    private const int MaxSessions = 10_000;

    /// <summary>The default pool and the additional models (the docs' tables), each with the provider name the allowed-providers header takes.</summary>
    private static readonly (string Model, string Provider, bool Default)[] s_models =
    [
        ("anthropic/claude-fable-5", "anthropic", true),
        ("anthropic/claude-opus-5", "anthropic", true),
        ("anthropic/claude-sonnet-5", "anthropic", true),
        ("openai/gpt-5.6-luna", "openai", true),
        ("openai/gpt-5.6-sol", "openai", true),
        ("openai/gpt-5.6-terra", "openai", true),
        ("xai/grok-4.5", "xai", true),
        ("@cf/deepseek-ai/deepseek-v4-flash-0731", "workers-ai", false),
        ("@cf/deepseek-ai/deepseek-v4-pro-0813", "workers-ai", false),
        ("@cf/google/gemma-4-26b-a4b-it", "workers-ai", false),
        ("@cf/moonshotai/kimi-k2.7-code", "workers-ai", false),
        ("@cf/openai/gpt-oss-20b", "workers-ai", false),
        ("@cf/qwen/qwen3.8-27b", "workers-ai", false),
        ("@cf/zai-org/glm-5.2", "workers-ai", false),
        ("alibaba/qwen3.8-max", "alibaba", false),
        ("anthropic/claude-fable-5.1", "anthropic", false),
        ("anthropic/claude-opus-4.8", "anthropic", false),
        ("anthropic/claude-opus-5.5", "anthropic", false),
        ("anthropic/claude-sonnet-4.6", "anthropic", false),
        ("fireworks/glm-5.3", "fireworks", false),
        ("fireworks/glm-5.3-flash", "fireworks", false),
        ("minimax/m3", "minimax", false),
        ("openai/gpt-5.5", "openai", false),
        ("openai/gpt-6-astra", "openai", false),
        ("openai/gpt-6-luna", "openai", false),
        ("openai/gpt-6-sol", "openai", false),
        ("xai/grok-4.6", "xai", false),
    ];

    private readonly ConcurrentDictionary<string, (string Turn, string RoutedModel)> _sessions = new(StringComparer.Ordinal);

    /// <summary>Decides which model serves; null with the gateway's 400 message when the allowed lists leave nothing.</summary>
    public RoutingDecision? Route(string gatewayId, IReadOnlyDictionary<string, string> headers, IReadOnlyList<ChatTurn> turns, out string? refusal)
    {
        refusal = null;
        var candidates = Candidates(Header(headers, "cf-aig-allowed-models"), Header(headers, "cf-aig-allowed-providers"), out refusal);
        if (candidates is null)
        {
            return null;
        }

        string? session = Header(headers, "cf-aig-session-id");
        bool affinity = session is not null && !string.Equals(Header(headers, "cf-aig-no-session-affinity"), "true", StringComparison.OrdinalIgnoreCase);
        string turn = Header(headers, "cf-aig-turn-id") ?? turns.Count(t => t.Role == "user").ToString(System.Globalization.CultureInfo.InvariantCulture);
        string key = gatewayId + "\n" + session;

        string routed;
        string reason;
        if (candidates.Count == 1)
        {
            (routed, reason) = (candidates[0], "forced_by_candidate_pool");
        }
        else if (affinity && _sessions.TryGetValue(key, out var pinned) && pinned.Turn == turn && candidates.Contains(pinned.RoutedModel))
        {
            (routed, reason) = (pinned.RoutedModel, "pinned_by_turn");
        }
        else
        {
            (routed, reason) = (candidates[(int)(Hash(turns) % (uint)candidates.Count)], "cost_optimal_within_pool");
        }

        if (affinity)
        {
            if (_sessions.Count >= MaxSessions)
            {
                _sessions.Clear();
            }

            _sessions[key] = (turn, routed);
        }

        var (provider, model) = Split(routed);
        return new RoutingDecision(routed, provider, model, reason, Guid.CreateVersion7(time.GetUtcNow()).ToString());
    }

    /// <summary>The models the request may land on, in the docs' order; null (with the reason) when the lists leave none or an entry matches nothing.</summary>
    private static List<string>? Candidates(string? allowedModels, string? allowedProviders, out string? refusal)
    {
        refusal = null;
        IEnumerable<(string Model, string Provider, bool Default)> pool = allowedModels is null && allowedProviders is null ? s_models.Where(m => m.Default) : s_models;
        if (allowedModels is not null)
        {
            string[] patterns = allowedModels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (string entry in patterns)
            {
                if (!s_models.Any(m => Matches(entry, m.Model)))
                {
                    refusal = $"cf-aig-allowed-models entry '{entry}' matches no Auto Router model.";
                    return null;
                }
            }

            pool = pool.Where(m => patterns.Any(p => Matches(p, m.Model)));
        }

        if (allowedProviders is not null)
        {
            var providers = allowedProviders.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            pool = pool.Where(m => providers.Contains(m.Provider));
        }

        var candidates = pool.Select(m => m.Model).ToList();
        if (candidates.Count == 0)
        {
            refusal = "No Auto Router model matches both cf-aig-allowed-models and cf-aig-allowed-providers.";
            return null;
        }

        return candidates;
    }

    /// <summary>Whether a model matches an allowed-models entry: segment by segment, <c>*</c> within one segment, never across <c>/</c>.</summary>
    private static bool Matches(string pattern, string model)
    {
        string[] patternSegments = pattern.Split('/');
        string[] modelSegments = model.Split('/');
        if (patternSegments.Length != modelSegments.Length)
        {
            return false;
        }

        for (int i = 0; i < patternSegments.Length; i++)
        {
            if (!FileSystemName.MatchesSimpleExpression(patternSegments[i], modelSegments[i], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The serving provider (the emulator's slug: xAI is <c>grok</c>) and its model name.</summary>
    private static (string Provider, string Model) Split(string routed)
    {
        if (routed.StartsWith('@'))
        {
            return ("workers-ai", routed);
        }

        int slash = routed.IndexOf('/', StringComparison.Ordinal);
        string provider = routed[..slash];
        return (ModelCatalog.ProviderOfAuthor(provider), routed[(slash + 1)..]);
    }

    /// <summary>FNV-1a over the conversation's roles and texts: the same request always lands on the same model.</summary>
    private static uint Hash(IReadOnlyList<ChatTurn> turns)
    {
        uint hash = 2166136261;
        foreach (var turn in turns)
        {
            foreach (char c in turn.Role + "\n" + turn.Text + "\n" + turn.ToolCallId + "\n")
            {
                hash = (hash ^ c) * 16777619;
            }
        }

        return hash;
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out string? value) && value.Trim().Length > 0 ? value.Trim() : null;
}
