using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiGateway.Emulator;

/// <summary>
/// Strict mode's model lists (<see cref="AiGatewayEmulatorOptions.Models"/>) and each provider's answer to a model it
/// does not serve, in that provider's own words (bodies as observed from each API; sources in the README).
/// </summary>
internal static partial class ModelCatalog
{
    /// <summary>The gateway's provider slug for a model author (Google's models are google/..., xAI's xai/...), as the REST form and Auto Router name them.</summary>
    public static string ProviderOfAuthor(string author) => author switch
    {
        "google" => "google-ai-studio",
        "xai" => "grok",
        _ => author,
    };

    /// <summary>The built-in lists: common models of the providers whose refusal the emulator knows. Not exhaustive.</summary>
    public static IDictionary<string, ISet<string>> Defaults() => new Dictionary<string, ISet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = Set(
            "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "gpt-5.2", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini",
            "o3", "o3-mini", "o4-mini", "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"),
        ["anthropic"] = Set(
            "claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1", "claude-opus-4-0", "claude-sonnet-4-0",
            "claude-3-7-sonnet-latest", "claude-3-5-haiku-latest"),
        ["groq"] = Set(
            "llama-3.3-70b-versatile", "llama-3.1-8b-instant", "openai/gpt-oss-120b", "openai/gpt-oss-20b",
            "meta-llama/llama-4-scout-17b-16e-instruct", "qwen/qwen3-32b", "moonshotai/kimi-k2-instruct"),
        ["mistral"] = Set(
            "mistral-large-latest", "mistral-medium-latest", "mistral-small-latest", "magistral-medium-latest", "magistral-small-latest",
            "codestral-latest", "ministral-8b-latest", "open-mistral-nemo", "mistral-embed"),
        ["deepseek"] = Set("deepseek-chat", "deepseek-reasoner"),
        ["workers-ai"] = Set(
            "@cf/meta/llama-3.1-8b-instruct", "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf/meta/llama-4-scout-17b-16e-instruct",
            "@cf/openai/gpt-oss-120b", "@cf/openai/gpt-oss-20b", "@cf/mistralai/mistral-small-3.1-24b-instruct", "@cf/qwen/qwq-32b",
            "@cf/google/gemma-3-12b-it", "@cf/baai/bge-small-en-v1.5", "@cf/baai/bge-base-en-v1.5", "@cf/baai/bge-large-en-v1.5", "@cf/baai/bge-m3"),
    };

    /// <summary>
    /// The provider's answer when strict mode is on and <paramref name="model"/> is not in its list; null when it serves
    /// the model (or has no list).
    /// </summary>
    public static (int Status, string Body)? Refusal(AiGatewayEmulatorOptions options, string provider, string model, ProviderWire wire)
    {
        if (!options.StrictModels || !options.Models.TryGetValue(provider, out var served) ||
            served.Contains(model) || served.Contains(DatedSnapshot().Replace(model, string.Empty)))
        {
            return null;
        }

        return provider.ToLowerInvariant() switch
        {
            "anthropic" => (404, wire.Error(404, $"model: {model}")),
            "groq" => (404, Json(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = $"The model `{model}` does not exist or you do not have access to it.",
                    ["type"] = "invalid_request_error",
                    ["code"] = "model_not_found",
                },
            })),
            "mistral" => (400, Json(new JsonObject
            {
                ["object"] = "error",
                ["message"] = $"Invalid model: {model}",
                ["type"] = "invalid_model",
                ["param"] = null,
                ["code"] = "1500",
            })),
            "deepseek" => (400, Json(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "Model Not Exist", ["type"] = "invalid_request_error", ["param"] = null, ["code"] = "invalid_request_error" },
            })),
            "workers-ai" => (400, Json(new JsonObject
            {
                ["result"] = null,
                ["success"] = false,
                ["errors"] = new JsonArray(new JsonObject { ["code"] = 5007, ["message"] = $"No such model {model} or task" }),
                ["messages"] = new JsonArray(),
            })),

            // OpenAI's answer, and the stand-in for a provider given a list whose own answer the emulator does not know.
            _ => (404, Json(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = $"The model `{model}` does not exist or you do not have access to it.",
                    ["type"] = "invalid_request_error",
                    ["param"] = null,
                    ["code"] = "model_not_found",
                },
            })),
        };
    }

    private static HashSet<string> Set(params string[] models) => new(models, StringComparer.Ordinal);

    private static string Json(JsonObject body) => body.ToJsonString(EmulatorJson.Options);

    /// <summary>A snapshot date at the end of a model name: <c>-2024-07-18</c> (OpenAI) or <c>-20251001</c> (Anthropic).</summary>
    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSnapshot();
}
