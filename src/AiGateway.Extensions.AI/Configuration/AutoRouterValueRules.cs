namespace AiGateway.Extensions.AI;

/// <summary>
/// What the Auto Router headers accept (features/auto-router.mdx): comma-separated lists of <c>provider/model</c> entries
/// (the <c>*</c> wildcard never matches <c>/</c>, so every entry names its provider) and of provider names.
/// </summary>
internal static class AutoRouterValueRules
{
    /// <summary>An entry of <c>cf-aig-allowed-models</c> or <c>cf-aig-allowed-providers</c>, or null when acceptable.</summary>
    internal static string? CheckEntry(string? entry, bool model)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return "is empty.";
        }

        if (entry.Contains(',', StringComparison.Ordinal) || entry.Trim().Length != entry.Length)
        {
            return $"'{entry}' must be one name without commas or surrounding spaces (the header is a comma-separated list).";
        }

        if (model && !entry.Contains('/', StringComparison.Ordinal))
        {
            return $"'{entry}' must be provider/model (for example anthropic/* or openai/gpt-5.6-luna): the * wildcard never matches '/', and the gateway answers 400 for an entry that matches no model.";
        }

        return GatewayValueRules.CheckHeaderValue(entry);
    }
}
