using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// A request as its log keeps it. The real gateway keeps no provider key in its logs, so neither does the emulator: in
/// a universal-endpoint body each step's headers keep their values only for names known to carry none (content type,
/// API versions and betas, the user agent, <c>cf-aig-*</c> but <c>cf-aig-authorization</c>); every other value,
/// <c>Authorization</c>, <c>x-api-key</c>, <c>api-key</c> and any custom credential header alike, is stored as
/// <see cref="Redacted"/>.
/// </summary>
internal static class StoredRequest
{
    public const string Redacted = "REDACTED";

    private static readonly HashSet<string> s_harmless = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "accept", "user-agent", "anthropic-version", "anthropic-beta", "openai-beta",
    };

    /// <summary>The universal-endpoint steps with every step's credentials redacted, as UTF-8 JSON.</summary>
    public static byte[] UniversalBody(JsonArray steps)
    {
        var stored = (JsonArray)steps.DeepClone();
        foreach (var headers in stored.OfType<JsonObject>().Select(s => s["headers"]).OfType<JsonObject>())
        {
            foreach (string name in headers.Select(h => h.Key).Where(n => !IsHarmless(n)).ToList())
            {
                headers[name] = Redacted;
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(stored.ToJsonString(EmulatorJson.Options));
    }

    private static bool IsHarmless(string header) =>
        s_harmless.Contains(header) ||
        (header.StartsWith("cf-aig-", StringComparison.OrdinalIgnoreCase) && !header.Equals("cf-aig-authorization", StringComparison.OrdinalIgnoreCase));
}
