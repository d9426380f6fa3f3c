namespace AiGateway.Extensions.AI;

/// <summary>
/// Validates <see cref="AiGatewayOptions"/> against what the gateway documents. Every failure names the
/// configuration key to fix (for example <c>AiGateway:Fallbacks:0:Provider</c>) and never echoes a secret.
/// </summary>
internal static class AiGatewayOptionsValidator
{
    public static List<string> Validate(AiGatewayOptions options, string path, RouteOperation operation = RouteOperation.Chat)
    {
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add($"{path}:{key} {problem}");

        CheckEndpoint(options.Endpoint, "Endpoint", Fail);
        if (string.IsNullOrWhiteSpace(options.AccountId))
        {
            Fail("AccountId", "is required: your Cloudflare account id.");
        }
        else
        {
            Check(GatewayValueRules.CheckAccountId(options.AccountId), "AccountId", Fail);
        }

        if (string.IsNullOrWhiteSpace(options.GatewayId))
        {
            Fail("GatewayId", "is required: the gateway's id (for example 'default').");
        }
        else
        {
            Check(GatewayValueRules.CheckGatewayId(options.GatewayId), "GatewayId", Fail);
        }

        CheckHeader(options.Token, "Token", Fail);
        CheckHeader(options.EventId, "EventId", Fail);
        CheckHeader(options.ByokAlias, "ByokAlias", Fail);
        if (options.EndpointKind == AiGatewayEndpointKind.CloudflareApi)
        {
            CheckEndpoint(options.CloudflareApiEndpoint, "CloudflareApiEndpoint", Fail);
            if (string.IsNullOrEmpty(options.Token))
            {
                Fail("Token", "is required when EndpointKind is CloudflareApi: it is sent as the Authorization bearer token.");
            }
        }

        if (options.FallbackMode == AiGatewayFallbackMode.Gateway && options.EndpointKind == AiGatewayEndpointKind.CloudflareApi)
        {
            Fail("FallbackMode", "Gateway needs EndpointKind Gateway: the universal endpoint lives at the gateway URL, not on the Cloudflare REST API form.");
        }

        if (options.RequestTimeout is { } requestTimeout)
        {
            Check(GatewayValueRules.CheckPositive(requestTimeout), "RequestTimeout", Fail);
        }

        Check(GatewayValueRules.CheckNetworkTimeout(options.NetworkTimeout), "NetworkTimeout", Fail);
        Check(GatewayValueRules.CheckNetworkTimeout(options.StreamStartTimeout), "StreamStartTimeout", Fail);
        if (options.MaxResponseContentLength <= 0)
        {
            Fail("MaxResponseContentLength", "must be positive.");
        }

        if (options.MaxStreamEventLength <= 0)
        {
            Fail("MaxStreamEventLength", "must be positive.");
        }

        if (options.Retry is { } retry)
        {
            if (retry.MaxAttempts is { } attempts)
            {
                Check(GatewayValueRules.CheckMaxAttempts(attempts), "Retry:MaxAttempts", Fail);
            }

            if (retry.Delay is { } delay)
            {
                Check(GatewayValueRules.CheckRetryDelay(delay), "Retry:Delay", Fail);
            }
        }

        if (options.CustomCost is { } cost)
        {
            Check(GatewayValueRules.CheckCustomCost(cost), "CustomCost", Fail);
        }

        ValidateRoute(options, options, options, string.Empty, path, Fail);
        AutoRouterValidation.Validate(options, Fail);
        if (operation == RouteOperation.Chat)
        {
            ValidateApi(options, options, options, string.Empty, Fail);
        }

        if (operation == RouteOperation.Embeddings)
        {
            ValidateEmbeddingsRoute(options, options, string.Empty, Fail);
        }

        for (int i = 0; i < options.Fallbacks.Count; i++)
        {
            if (options.Fallbacks[i] is null)
            {
                Fail($"Fallbacks:{i}", "is empty.");
                continue;
            }

            var own = options.Fallbacks[i];
            var fallback = RouteTable.Inherit(options, own);
            ValidateRoute(options, fallback, own, $"Fallbacks:{i}:", path, Fail);
            if (operation == RouteOperation.Chat)
            {
                ValidateApi(options, fallback, own, $"Fallbacks:{i}:", Fail);
            }

            // Chat models are per provider; embeddings fall back between providers serving the same model on purpose.
            if (operation == RouteOperation.Chat && !string.IsNullOrWhiteSpace(own.Provider) && string.IsNullOrWhiteSpace(own.Model) && string.IsNullOrWhiteSpace(own.Azure?.DeploymentName) &&
                !string.Equals(own.Provider, options.Provider, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(options.Model))
            {
                Fail($"Fallbacks:{i}:Model", $"is required: this route's provider '{own.Provider}' differs from {path}:Provider '{options.Provider}', whose model '{options.Model}' it would otherwise inherit.");
            }
            if (operation == RouteOperation.Embeddings)
            {
                ValidateEmbeddingsRoute(options, fallback, $"Fallbacks:{i}:", Fail);
                if (!string.Equals(ModelOf(fallback), ModelOf(options), StringComparison.Ordinal))
                {
                    Fail($"Fallbacks:{i}:Model", $"'{ModelOf(fallback)}' differs from the primary route's '{ModelOf(options)}': vectors from two models cannot be compared, so embeddings fall back only between routes of the same model.");
                }
            }
        }

        return failures;
    }

    /// <summary>
    /// Validates one route as it resolves (<paramref name="route"/>: a fallback with what it inherits), reporting each
    /// value's problem once, at the key the user set: values a fallback inherits were checked at the primary's key.
    /// </summary>
    private static void ValidateRoute(AiGatewayOptions gateway, AiGatewayRouteOptions route, AiGatewayRouteOptions own, string prefix, string path, Action<string, string> fail)
    {
        bool viaCloudflareApi = gateway.EndpointKind == AiGatewayEndpointKind.CloudflareApi;
        AiGatewayProvider? provider = null;
        if (string.IsNullOrWhiteSpace(route.Provider))
        {
            fail(prefix + "Provider", $"is required: one of {ProviderCatalog.KnownSlugs}.");
        }
        else if (ProviderCatalog.GetUnsupportedReason(route.Provider) is { } reason)
        {
            fail(prefix + "Provider", $"'{route.Provider}' {reason}.");
        }
        else if (!new AiGatewayProvider(route.Provider).IsSupported)
        {
            fail(prefix + "Provider", $"'{route.Provider}' is not a provider this client can route to; use one of {ProviderCatalog.KnownSlugs}.");
        }
        else
        {
            provider = new AiGatewayProvider(route.Provider);
        }

        if (provider == AiGatewayProvider.AzureOpenAI && !viaCloudflareApi)
        {
            if (string.IsNullOrWhiteSpace(route.Azure?.ResourceName))
            {
                fail(prefix + "Azure:ResourceName", "is required for provider azure-openai.");
            }

            if (string.IsNullOrWhiteSpace(route.Azure?.DeploymentName))
            {
                fail(prefix + "Azure:DeploymentName", "is required for provider azure-openai.");
            }

            CheckSegment(route.Azure?.ResourceName, prefix + "Azure:ResourceName", fail);
            CheckSegment(route.Azure?.DeploymentName, prefix + "Azure:DeploymentName", fail);
        }
        else if (string.IsNullOrWhiteSpace(route.Model))
        {
            fail(prefix + "Model", provider == AiGatewayProvider.Compat
                ? "is required: on the compat provider name it as {provider}/{model}, for example openai/gpt-4o-mini."
                : "is required.");
        }

        if (provider == AiGatewayProvider.Compat && !string.IsNullOrEmpty(route.Model) && !route.Model.Contains('/', StringComparison.Ordinal))
        {
            fail(prefix + "Model", $"'{route.Model}' must be named {{provider}}/{{model}} on the compat provider, for example openai/gpt-4o-mini.");
        }

        if (viaCloudflareApi && provider is not null && !string.IsNullOrEmpty(route.Model) && CloudflareApiModelNames.Qualify(provider.Value.Slug, route.Model) is null)
        {
            fail(prefix + "Model", $"'{route.Model}' needs its author on the CloudflareApi form, which names models author/model: write it as author/model, "
                + $"use a provider whose author is known ({CloudflareApiModelNames.KnownProviders}), or use EndpointKind Gateway.");
        }

        if (gateway.FallbackMode == AiGatewayFallbackMode.Gateway && provider == AiGatewayProvider.Anthropic && route.OpenAICompatible != true && !viaCloudflareApi)
        {
            fail(prefix + "OpenAICompatible", "must be true on an anthropic route when FallbackMode is Gateway: the universal endpoint's steps are written in OpenAI's format, so that route must use Anthropic's OpenAI compatibility layer (or use FallbackMode Client).");
        }

        if (!string.IsNullOrEmpty(route.CustomPath) && provider is { IsCustom: false })
        {
            fail(prefix + "CustomPath", "applies only to custom-* providers.");
        }
        else if (!string.IsNullOrEmpty(route.CustomPath))
        {
            Check(GatewayValueRules.CheckRelativePath(route.CustomPath), prefix + "CustomPath", fail);
        }

        if (route.MaxOutputTokens is <= 0)
        {
            fail(prefix + "MaxOutputTokens", "must be positive.");
        }

        if (route.OpenAICompatible is not null && provider is not null && provider != AiGatewayProvider.Anthropic)
        {
            fail(prefix + "OpenAICompatible", $"applies only to the anthropic provider ('{route.Provider}' speaks only OpenAI's format here).");
        }

        if (viaCloudflareApi && !string.IsNullOrEmpty(route.ApiKey))
        {
            fail(prefix + "ApiKey", "is not used when EndpointKind is CloudflareApi: store the provider key in the gateway (BYOK) or use Unified Billing.");
        }

        CheckHeader(own.ApiKey, prefix + "ApiKey", fail);
        if (own.Cache?.Ttl is { } ttl)
        {
            Check(GatewayValueRules.CheckCacheTtl(ttl), prefix + "Cache:Ttl", fail);
        }

        foreach (var (key, value) in own.Metadata ?? new Dictionary<string, string>())
        {
            Check(GatewayValueRules.CheckJsonString(key) ?? GatewayValueRules.CheckJsonString(value), $"{prefix}Metadata:{key}", fail);
        }

        // The count applies after merging. A fallback is checked only when it adds entries of its own (the primary's
        // count was checked at its own key), and told how many it inherited.
        bool isFallback = !ReferenceEquals(route, own);
        if (!isFallback || own.Metadata is { Count: > 0 })
        {
            int merged = route.Metadata?.Count ?? 0;
            int added = own.Metadata?.Keys.Count(key => gateway.Metadata?.ContainsKey(key) != true) ?? 0;
            if (GatewayValueRules.CheckMetadataCount(merged) is { } problem)
            {
                fail(prefix + "Metadata", isFallback && added < merged
                    ? $"{problem.TrimEnd('.')} ({merged - added} from {path}:Metadata, {added} of its own)."
                    : problem);
            }
        }
    }

    /// <summary>
    /// <c>Api: Responses</c> needs a provider whose Responses API Cloudflare documents, and a client-side fallback (the
    /// universal endpoint's steps are chat completions). Reported at the key that set it: a fallback inheriting the
    /// primary's <c>Api</c> onto another provider is told at its <c>Provider</c>.
    /// </summary>
    private static void ValidateApi(AiGatewayOptions gateway, AiGatewayRouteOptions route, AiGatewayRouteOptions own, string prefix, Action<string, string> fail)
    {
        if (route.Api != AiGatewayApi.Responses || string.IsNullOrWhiteSpace(route.Provider) || !new AiGatewayProvider(route.Provider).IsSupported)
        {
            return;
        }

        var provider = new AiGatewayProvider(route.Provider);
        string key = own.Api is null && prefix.Length > 0 ? prefix + "Provider" : prefix + "Api";
        if (!ChatWireFormats.HasResponses(provider))
        {
            fail(key, $"Responses needs provider openai: Cloudflare documents OpenAI's Responses API for openai only ({{gateway}}/openai/responses, and /ai/v1/responses on the REST form), not for '{route.Provider}'; set Api to ChatCompletions for this route.");
        }
        else if (gateway.FallbackMode == AiGatewayFallbackMode.Gateway)
        {
            fail(key, "Responses needs FallbackMode Client: the universal endpoint's steps are written as chat completions.");
        }
    }

    /// <summary>The route's provider must have an OpenAI-format embeddings route through the gateway.</summary>
    private static void ValidateEmbeddingsRoute(AiGatewayOptions gateway, AiGatewayRouteOptions route, string prefix, Action<string, string> fail)
    {
        if (gateway.EndpointKind == AiGatewayEndpointKind.Gateway && route.Provider is { Length: > 0 } slug &&
            ProviderCatalog.TryGet(slug, out var descriptor) && descriptor.Embeddings is null)
        {
            fail(prefix + "Provider", $"'{slug}' has no embeddings route through the gateway in a format this client speaks (OpenAI's); use one of {ProviderCatalog.EmbeddingSlugs}.");
        }

        if (gateway.FallbackMode == AiGatewayFallbackMode.Gateway && prefix.Length == 0)
        {
            fail("FallbackMode", "Gateway is for chat; embeddings fall back on the client between routes of the same model.");
        }
    }

    /// <summary>The model a route's vectors come from: the model, or an Azure deployment when no model is named.</summary>
    private static string? ModelOf(AiGatewayRouteOptions route) => string.IsNullOrEmpty(route.Model) ? route.Azure?.DeploymentName : route.Model;

    private static void CheckEndpoint(Uri? endpoint, string key, Action<string, string> fail)
    {
        if (endpoint is null || !endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            fail(key, "must be an absolute http or https URL.");
        }
        else if (endpoint.UserInfo.Length > 0)
        {
            // Never echo it: it may hold a password.
            fail(key, "must not contain a user name or password: credentials go in Token and ApiKey.");
        }
        else if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            fail(key, "must not have a query or fragment: it is the base every route's path is added to.");
        }
    }

    private static void CheckSegment(string? value, string key, Action<string, string> fail)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            Check(GatewayValueRules.CheckPathSegment(value), key, fail);
        }
    }

    private static void CheckHeader(string? value, string key, Action<string, string> fail) =>
        Check(GatewayValueRules.CheckHeaderValue(value), key, fail);

    private static void Check(string? problem, string key, Action<string, string> fail)
    {
        if (problem is not null)
        {
            fail(key, problem);
        }
    }
}
