using System.Runtime.CompilerServices;

namespace AiGateway.Extensions.AI.Tests.Live;

/// <summary>
/// A test against the real Cloudflare gateway. It runs when <c>CLOUDFLARE_ACCOUNT_ID</c>, <c>CLOUDFLARE_GATEWAY_ID</c>
/// and a provider key (<c>AIGATEWAY_LIVE_API_KEY</c>, or <c>OPENAI_API_KEY</c> for the default openai route) are set,
/// and reports as skipped otherwise.
/// </summary>
public sealed class LiveFactAttribute : FactAttribute
{
    public LiveFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (LiveSettings.Options() is null)
        {
            string reason = "Live gateway tests need CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID and a provider key (AIGATEWAY_LIVE_API_KEY or OPENAI_API_KEY).";
            Skip = reason;
        }
    }
}

public static class LiveSettings
{
    public static AiGatewayOptions? Options()
    {
        string? account = Environment.GetEnvironmentVariable("CLOUDFLARE_ACCOUNT_ID");
        string? gateway = Environment.GetEnvironmentVariable("CLOUDFLARE_GATEWAY_ID");
        string? key = Environment.GetEnvironmentVariable("AIGATEWAY_LIVE_API_KEY") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(gateway) || string.IsNullOrEmpty(key))
        {
            return null;
        }

        return new AiGatewayOptions
        {
            AccountId = account,
            GatewayId = gateway,
            Token = Environment.GetEnvironmentVariable("CLOUDFLARE_AI_GATEWAY_TOKEN"),
            Provider = Environment.GetEnvironmentVariable("AIGATEWAY_LIVE_PROVIDER") ?? "openai",
            Model = Environment.GetEnvironmentVariable("AIGATEWAY_LIVE_MODEL") ?? "gpt-4o-mini",
            ApiKey = key,
        };
    }
}
