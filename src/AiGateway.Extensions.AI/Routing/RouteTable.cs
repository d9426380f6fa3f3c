namespace AiGateway.Extensions.AI;

/// <summary>What a route table's requests do: chat completions or embeddings (each has its own URL per provider).</summary>
internal enum RouteOperation
{
    Chat,
    Embeddings,
}

/// <summary>The routes resolved from one snapshot of <see cref="AiGatewayOptions"/>: the primary, then the fallbacks.</summary>
internal sealed class RouteTable
{
    private RouteTable(AiGatewayOptions options, IReadOnlyList<AiGatewayRoute> routes)
    {
        Options = options;
        Routes = routes;
    }

    public AiGatewayOptions Options { get; }

    public IReadOnlyList<AiGatewayRoute> Routes { get; }

    public AiGatewayRoute Primary => Routes[0];

    /// <summary>Validates <paramref name="options"/> and resolves its routes.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad key.</exception>
    public static RouteTable Create(AiGatewayOptions options, string configurationPath, RouteOperation operation = RouteOperation.Chat)
    {
        var failures = AiGatewayOptionsValidator.Validate(options, configurationPath, operation);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid AI Gateway options: " + string.Join(" ", failures), nameof(options));
        }

        // Every configured secret is redacted from every route's messages: one route's error may echo another's key.
        string[] secrets = [.. new[] { options.Token, options.ApiKey }.Concat(options.Fallbacks.Select(f => f.ApiKey))
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
        var routes = new List<AiGatewayRoute>(1 + options.Fallbacks.Count)
        {
            Resolve(options, options, 0, configurationPath, configurationPath, operation, secrets),
        };
        for (int i = 0; i < options.Fallbacks.Count; i++)
        {
            routes.Add(Resolve(options, Inherit(options, options.Fallbacks[i]), i + 1, $"{configurationPath}:Fallbacks:{i}", configurationPath, operation, secrets));
        }

        return new(options, routes);
    }

    /// <summary>A fallback entry with every route key it does not set taken from the primary route.</summary>
    internal static AiGatewayRouteOptions Inherit(AiGatewayRouteOptions primary, AiGatewayRouteOptions entry) => new()
    {
        Provider = Pick(entry.Provider, primary.Provider),
        Model = Pick(entry.Model, primary.Model),
        ApiKey = entry.ApiKey ?? primary.ApiKey,
        CustomPath = Pick(entry.CustomPath, primary.CustomPath),
        MaxOutputTokens = entry.MaxOutputTokens ?? primary.MaxOutputTokens,
        OpenAICompatible = entry.OpenAICompatible ?? primary.OpenAICompatible,
        Azure = new()
        {
            ResourceName = Pick(entry.Azure?.ResourceName, primary.Azure?.ResourceName),
            DeploymentName = Pick(entry.Azure?.DeploymentName, primary.Azure?.DeploymentName),
            ApiVersion = Pick(entry.Azure?.ApiVersion, primary.Azure?.ApiVersion),
        },
        Cache = new()
        {
            Ttl = entry.Cache?.Ttl ?? primary.Cache?.Ttl,
            SkipCache = entry.Cache?.SkipCache ?? primary.Cache?.SkipCache,
        },
        Metadata = MergeDictionaries(primary.Metadata, entry.Metadata),
        ExtraBody = MergeDictionaries(primary.ExtraBody, entry.ExtraBody),
    };

    private static string? Pick(string? own, string? inherited) => string.IsNullOrEmpty(own) ? inherited : own;

    private static Dictionary<string, string>? MergeDictionaries(IDictionary<string, string>? inherited, IDictionary<string, string>? own)
    {
        if (inherited is null && own is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(inherited ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in own ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }

    private static AiGatewayRoute Resolve(AiGatewayOptions gateway, AiGatewayRouteOptions route, int index, string path, string gatewayPath, RouteOperation operation, string[] secrets)
    {
        var provider = new AiGatewayProvider(route.Provider!);
        ProviderCatalog.TryGet(provider.Slug, out var descriptor);
        string model = string.IsNullOrEmpty(route.Model) ? route.Azure?.DeploymentName ?? string.Empty : route.Model;
        bool viaCloudflareApi = gateway.EndpointKind == AiGatewayEndpointKind.CloudflareApi;
        if (viaCloudflareApi)
        {
            model = CloudflareApiModelNames.Qualify(provider.Slug, model) ?? model;
        }

        var settings = new GatewayRequestSettings
        {
            // On the REST API form the token travels as Authorization (the route's credential), not as cf-aig-authorization.
            Token = viaCloudflareApi ? null : gateway.Token,
            GatewayIdHeader = viaCloudflareApi ? gateway.GatewayId : null,
            CacheTtl = route.Cache?.Ttl,
            SkipCache = route.Cache?.SkipCache ?? false,
            Metadata = route.Metadata is { Count: > 0 } m ? [.. m.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value))] : [],
            CollectLog = gateway.CollectLog,
            CollectLogPayload = gateway.CollectLogPayload,
            EventId = NullIfEmpty(gateway.EventId),
            RequestTimeout = gateway.RequestTimeout,
            MaxAttempts = gateway.Retry?.MaxAttempts,
            RetryDelay = gateway.Retry?.Delay,
            Backoff = gateway.Retry?.Backoff,
            ByokAlias = NullIfEmpty(gateway.ByokAlias),
            Zdr = gateway.Zdr,
            CustomCost = gateway.CustomCost,
            NoWholesale = gateway.NoWholesale ?? false,
        };

        SortedDictionary<string, byte[]>? extraBody = null;
        if (route.ExtraBody is { Count: > 0 })
        {
            extraBody = new(StringComparer.Ordinal);
            foreach (var (key, value) in route.ExtraBody)
            {
                extraBody[key] = JsonValueWriter.FromConfigurationString(value);
            }
        }

        // Anthropic speaks its own Messages API unless the route asks for its OpenAI compatibility layer.
        bool anthropicMessages = operation == RouteOperation.Chat && !viaCloudflareApi && provider == AiGatewayProvider.Anthropic && route.OpenAICompatible != true;
        var url = viaCloudflareApi
            ? AiGatewayEndpoints.GetCloudflareApiUrl(gateway.CloudflareApiEndpoint, gateway.AccountId!, operation == RouteOperation.Chat ? "chat/completions" : "embeddings")
            : anthropicMessages ? new(AiGatewayEndpoints.Join(AiGatewayEndpoints.GetProviderUrl(gateway, provider), "v1/messages"))
            : BuildGatewayUrl(gateway, provider, descriptor, route, operation);
        var format = anthropicMessages ? ChatWireFormat.AnthropicMessages : ChatWireFormat.OpenAIChatCompletions;
        string? apiKey = viaCloudflareApi ? null : NullIfEmpty(route.ApiKey);
        string providerBase = viaCloudflareApi ? string.Empty : AiGatewayEndpoints.GetProviderUrl(gateway, provider).AbsoluteUri + "/";
        return new AiGatewayRoute
        {
            Index = index,
            ConfigurationPath = path,
            GatewayConfigurationPath = gatewayPath,
            NetworkTimeout = gateway.NetworkTimeout,
            StreamStartTimeout = gateway.StreamStartTimeout,
            GatewayId = gateway.GatewayId,
            AccountId = gateway.AccountId!,
            Provider = provider,
            Descriptor = descriptor,
            Model = model,
            // In the REST API form the Authorization header carries the Cloudflare token, never a provider key.
            Credential = RouteCredential.For(descriptor.Auth, format, apiKey, viaCloudflareApi ? gateway.Token : null),
            Url = url,
            Format = format,
            MaxOutputTokens = route.MaxOutputTokens ?? (anthropicMessages ? AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens : null),
            ProviderPath = url.AbsoluteUri.StartsWith(providerBase, StringComparison.Ordinal) ? url.AbsoluteUri[providerBase.Length..] : descriptor.ChatPath,
            Settings = settings,
            Headers = settings.ToHeaders(),
            ExtraBody = extraBody,
            OpenTelemetryProviderName = ProviderCatalog.GetOpenTelemetryName(descriptor, model),
            Secrets = secrets,
        };
    }

    private static Uri BuildGatewayUrl(AiGatewayOptions gateway, AiGatewayProvider provider, ProviderDescriptor descriptor, AiGatewayRouteOptions route, RouteOperation operation)
    {
        Uri providerUrl = AiGatewayEndpoints.GetProviderUrl(gateway, provider);
        if (provider == AiGatewayProvider.AzureOpenAI)
        {
            var azure = route.Azure!;
            string apiVersion = Uri.EscapeDataString(azure.ApiVersion is { Length: > 0 } v ? v : AiGatewayAzureOptions.DefaultApiVersion);
            return new(AiGatewayEndpoints.Join(
                providerUrl,
                Uri.EscapeDataString(azure.ResourceName!),
                Uri.EscapeDataString(azure.DeploymentName!),
                operation == RouteOperation.Chat ? "chat/completions" : "embeddings") + "?api-version=" + apiVersion);
        }

        string path = provider.IsCustom && route.CustomPath is { Length: > 0 } custom ? custom
            : operation == RouteOperation.Chat ? descriptor.ChatPath
            : descriptor.Embeddings!.Path;
        return new(AiGatewayEndpoints.Join(providerUrl, path));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
