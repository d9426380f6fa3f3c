using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiGateway.Emulator;
using AiGateway.Extensions.AI.Management;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AiGateway.Extensions.AI.Tests.Admin;

/// <summary>
/// Stored keys, dynamic routes, policies, custom providers and billing through the management client: against the
/// emulator's control plane where it serves the resource, and against Cloudflare's shapes (Fixtures/cloudflare-api).
/// </summary>
public sealed class ResourceManagementTests
{
    private const string CloudflareToken = "cf-api-token-0123456789";
    private const string ProviderSecret = "sk-proj-secret-0123456789abcdef";

    private static AiGatewayManagementOptions Options(Uri? baseUrl = null) => new()
    {
        BaseUrl = baseUrl ?? AiGatewayOptions.DefaultCloudflareApiEndpoint,
        AccountId = "acct",
        ApiToken = CloudflareToken,
    };

    private static AiGatewayManagementClient Client(AiGatewayEmulator emulator) => new(new HttpClient(), Options(emulator.ControlPlaneEndpoint));

    private static AiGatewayManagementClient Client(RecordingHandler handler) => new(new HttpClient(handler), Options());

    [Fact]
    public async Task StoredKeys_CreateListDelete_AndTheSecretIsNeverEchoedNorPrinted()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var keys = Client(emulator).StoredKeys;
        var definition = new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", Secret = ProviderSecret, RateLimit = 100, RateLimitPeriod = 60 };

        var created = await keys.CreateAsync("default", definition);
        var listed = await keys.ListAsync("default").ToListAsync();
        await keys.DeleteAsync("default", created.Id);
        var after = await keys.ListAsync("default").ToListAsync();

        Assert.Equal("openai", created.ProviderSlug);
        Assert.Equal("default", created.Alias);
        Assert.True(created.DefaultConfig);
        Assert.Equal(100, created.RateLimit);
        Assert.NotNull(created.SecretId);
        Assert.Equal(created.Id, Assert.Single(listed).Id);
        Assert.Empty(after);
        Assert.DoesNotContain(ProviderSecret, created.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSecret, definition.ToString(), StringComparison.Ordinal);
        Assert.Contains("Secret = [REDACTED]", definition.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACustomProvidersHeaders_NeverShowInToStringOrARefusal()
    {
        var provider = new AiGatewayCustomProvider
        {
            Name = "Internal LLM", Slug = "internal-llm", BaseUrl = "https://llm.internal.example/v1",
            Headers = $$"""{"Authorization":"Bearer {{ProviderSecret}}"}""",
        };
        var echoing = new RecordingHandler(
            $$"""{"success":false,"errors":[{"code":7001,"message":"header Bearer {{ProviderSecret}} refused"}],"messages":[],"result":null}""", HttpStatusCode.BadRequest);

        var refused = await Assert.ThrowsAsync<CloudflareApiException>(() => Client(echoing).CustomProviders.CreateAsync(provider));

        Assert.DoesNotContain(ProviderSecret, provider.ToString(), StringComparison.Ordinal);
        Assert.Contains("Headers = [REDACTED]", provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSecret, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSecret, refused.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingWithoutAGateway_FailsWhenCalled_NotOnFirstEnumeration()
    {
        var client = Client(new RecordingHandler("{}"));

        Assert.ThrowsAny<ArgumentException>(() => client.DynamicRoutes.ListAsync(" "));
        Assert.ThrowsAny<ArgumentException>(() => client.StoredKeys.ListAsync(" "));
    }

    [Fact]
    public void APolicyResource_NeverChangesAfterItIsMade()
    {
        var policy = new AiGatewayPolicy();

        // The default is one shared instance, so its lists can only be given when a resource is made (init, not set).
        Assert.Same(AiGatewayPolicyResource.All, policy.Resource);
        Assert.All(
            [nameof(AiGatewayPolicyResource.Models), nameof(AiGatewayPolicyResource.Providers)],
            name => Assert.Contains(typeof(AiGatewayPolicyResource).GetProperty(name)!.SetMethod!.ReturnParameter.GetRequiredCustomModifiers(), m => m.Name == "IsExternalInit"));
    }

    [Fact]
    public async Task StoredKeys_ReadCloudflaresShape_AndARefusalNeverQuotesTheSecret()
    {
        var read = new RecordingHandler(Fixtures.Text("cloudflare-api/provider-config-create.json"));
        var echoing = new RecordingHandler(
            $$"""{"success":false,"errors":[{"code":7001,"message":"secret {{ProviderSecret}} is not valid for openai"}],"messages":[],"result":null}""", HttpStatusCode.BadRequest);

        var created = await Client(read).StoredKeys.CreateAsync("prod", new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", Alias = "prod", Secret = ProviderSecret });
        var refused = await Assert.ThrowsAsync<CloudflareApiException>(() =>
            Client(echoing).StoredKeys.CreateAsync("prod", new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", Secret = ProviderSecret }));
        var neither = await Assert.ThrowsAsync<ArgumentException>(() => Client(read).StoredKeys.CreateAsync("prod", new AiGatewayStoredKeyDefinition { ProviderSlug = "openai" }));

        using var sent = JsonDocument.Parse(read.SoleRequest.Body);
        Assert.Equal("/client/v4/accounts/acct/ai-gateway/gateways/prod/provider_configs", read.SoleRequest.PathAndQuery);
        Assert.Equal(ProviderSecret, sent.RootElement.GetProperty("secret").GetString());
        Assert.Equal("openai", sent.RootElement.GetProperty("provider_slug").GetString());
        Assert.True(sent.RootElement.GetProperty("default_config").GetBoolean());
        Assert.Equal("sk-p...cdef", created.SecretPreview);
        Assert.Equal("3c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f", created.SecretId);
        Assert.Equal(60, created.RateLimitPeriod);
        Assert.DoesNotContain(ProviderSecret, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderSecret, refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Secret", neither.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamicRoutes_EnsureCreatesThenDoesNothingThenDeploysANewVersionOnlyWhenTheGraphDiffers()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var routes = Client(emulator).DynamicRoutes;
        AiGatewayDynamicRouteElement[] first = [AiGatewayDynamicRouteElement.Start("primary"), AiGatewayDynamicRouteElement.Model("primary", "openai", "gpt-4o-mini", fallback: "backup", retries: 1),
            AiGatewayDynamicRouteElement.Model("backup", "anthropic", "claude-3-5-haiku-latest"), AiGatewayDynamicRouteElement.End()];
        AiGatewayDynamicRouteElement[] second = [AiGatewayDynamicRouteElement.Start("only"), AiGatewayDynamicRouteElement.Model("only", "groq", "llama-3.1-8b-instant"), AiGatewayDynamicRouteElement.End()];

        var created = await routes.EnsureAsync("default", "support", first);
        var same = await routes.EnsureAsync("default", "support", first);
        var changed = await routes.EnsureAsync("default", "support", second);
        var again = await routes.EnsureAsync("default", "support", second);
        var versions = await routes.ListVersionsAsync("default", created.Route.Id);
        var deployments = await routes.ListDeploymentsAsync("default", created.Route.Id);
        var version = await routes.GetVersionAsync("default", created.Route.Id, changed.DeployedVersionId!);

        Assert.True(created.Created);
        Assert.False(same.Changed);
        Assert.False(changed.Created);
        Assert.NotNull(changed.DeployedVersionId);
        Assert.False(again.Changed);
        Assert.Equal(2, versions.Count);
        Assert.Equal(2, deployments.Count);
        Assert.Equal(changed.DeployedVersionId, changed.Route.Version!.VersionId);
        Assert.True(changed.Route.Version.IsActive);
        Assert.Equal("llama-3.1-8b-instant", version.Elements![1].Properties!["model"]!.GetValue<string>());
        Assert.Equal(["start", "model", "end"], changed.Route.Elements.Select(e => e.Type));
    }

    [Fact]
    public async Task DynamicRoutes_ServeTheChatClient_AndRenameListDelete()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var routes = Client(emulator).DynamicRoutes;
        var route = await routes.CreateAsync("default", "support",
            [AiGatewayDynamicRouteElement.Start("primary"), AiGatewayDynamicRouteElement.Model("primary", "openai", "gpt-4o-mini", fallback: "backup"),
             AiGatewayDynamicRouteElement.Model("backup", "anthropic", "claude-3-5-haiku-latest"), AiGatewayDynamicRouteElement.End()]);
        using var chat = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "compat", "dynamic/support"));

        var answer = await chat.GetResponseAsync("hi");
        var renamed = await routes.RenameAsync("default", route.Id, "helpdesk");
        var listed = await routes.ListAsync("default").ToListAsync();
        await routes.DeleteAsync("default", route.Id);
        var gone = await Assert.ThrowsAsync<CloudflareApiException>(() => routes.GetAsync("default", route.Id));

        Assert.Equal("anthropic", answer.GetGatewayInfo()!.Provider);
        Assert.Equal("helpdesk", renamed.Name);
        Assert.Equal("helpdesk", Assert.Single(listed).Name);
        Assert.Equal(404, gone.StatusCode);
    }

    [Fact]
    public async Task DynamicRoutes_ReadCloudflaresShapes_ListsOutsideResult()
    {
        var handler = new RecordingHandler(request => RecordingHandler.Json(request.RequestUri!.AbsolutePath.EndsWith("/versions", StringComparison.Ordinal)
            ? Fixtures.Text("cloudflare-api/route-versions-list.json")
            : Fixtures.Text("cloudflare-api/route-get.json")));
        var routes = Client(handler).DynamicRoutes;

        var route = await routes.GetAsync("prod", "b1f0c2d3-0000-4000-8000-000000000001");
        var versions = await routes.ListVersionsAsync("prod", route.Id);

        Assert.Equal("support", route.Name);
        Assert.Equal(["start", "conditional", "percentage", "rate", "model", "model", "end"], route.Elements.Select(e => e.Type));
        Assert.Equal("backup", route.Elements[4].Outputs["fallback"]);
        Assert.Equal("free", route.Elements[1].Properties!["conditions"]!["metadata.plan"]!["$eq"]!.GetValue<string>());
        Assert.Equal("dep-1", route.Deployment!.DeploymentId);
        Assert.True(route.Version!.IsActive);
        Assert.Equal("ver-1", Assert.Single(versions).VersionId);
        string written = JsonSerializer.Serialize(route.Elements[0].Outputs.ToDictionary(o => o.Key, o => o.Value));
        Assert.Equal("""{"next":"plan"}""", written);
    }

    [Fact]
    public async Task Policies_CreateListUpdateSimulateDelete_AgainstTheEmulator()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var policies = Client(emulator).Policies;

        var cap = await policies.CreateAsync("default", new AiGatewayPolicy { Name = "Everyone cap", Action = AiGatewayPolicyAction.Limit(1000, "monthly") });
        var block = await policies.CreateAsync("default", new AiGatewayPolicy
        {
            Name = "No opus",
            Resource = AiGatewayPolicyResource.ForModels("anthropic/claude-opus-*"),
            Action = AiGatewayPolicyAction.Block(),
        });
        await policies.UpdateAsync("default", cap.Id!, cap with { Action = AiGatewayPolicyAction.Limit(2000, "monthly") });
        var listed = await policies.ListAsync("default");
        var opus = await policies.SimulateAsync("default", new AiGatewayPolicySimulation { Model = "anthropic/claude-opus-4-1" });
        var spent = await policies.SimulateAsync("default", new AiGatewayPolicySimulation
        {
            Model = "openai/gpt-4o",
            BucketUsage = new Dictionary<string, decimal> { ["Everyone cap"] = 2000 },
        });
        await policies.DeleteAsync("default", block.Id!);

        Assert.NotNull(cap.Id);
        Assert.Equal(2, listed.Count);
        Assert.Equal(2000, listed.Single(p => p.Name == "Everyone cap").Action.Amount);
        Assert.Equal(["anthropic/claude-opus-*"], listed.Single(p => p.Name == "No opus").Resource.Models);
        Assert.False(opus.Allowed);
        Assert.Equal("blocked", opus.Reason);
        Assert.Equal("block", opus.Decision);
        Assert.False(spent.Allowed);
        Assert.Equal("limit_exceeded", spent.Reason);
        Assert.Equal(2000, spent.Limit);
        Assert.Single(await policies.ListAsync("default"));
    }

    [Fact]
    public async Task Policies_ReadTheDocsShapes()
    {
        var handler = new RecordingHandler(request => RecordingHandler.Json(request.RequestUri!.AbsolutePath.EndsWith("/simulate", StringComparison.Ordinal)
            ? Fixtures.Text("cloudflare-api/policy-simulate.json")
            : Fixtures.Text("cloudflare-api/policies-list.json")));
        var policies = Client(handler).Policies;

        var listed = await policies.ListAsync("prod", includeStaging: true);
        var simulated = await policies.SimulateAsync("prod", new AiGatewayPolicySimulation
        {
            Model = "openai/gpt-5.5",
            Provider = "openai",
            Identity = new JsonObject { ["cf"] = new JsonObject { ["user"] = new JsonObject { ["email"] = "alice@example.com" } } },
            BucketUsage = new Dictionary<string, decimal> { ["Everyone spend cap"] = 1000 },
        });

        var policy = Assert.Single(listed);
        Assert.True(policy.Resource.IsAll);
        Assert.Equal("limit", policy.Action.Type);
        Assert.Equal(1000, policy.Action.Amount);
        Assert.Equal("named-interval", policy.Action.Technique);
        Assert.Equal(1791244351, policy.CreatedAt);
        Assert.EndsWith("/policies?includeStaging=true", handler.Requests.First().PathAndQuery, StringComparison.Ordinal);
        using var sent = JsonDocument.Parse(handler.Requests.Last().Body);
        Assert.Equal(1000, sent.RootElement.GetProperty("bucketUsage").GetProperty("Everyone spend cap").GetProperty("spent").GetDouble());
        Assert.Equal("alice@example.com", sent.RootElement.GetProperty("identity").GetProperty("cf").GetProperty("user").GetProperty("email").GetString());
        Assert.False(simulated.Allowed);
        Assert.Equal("check_limits", simulated.Decision);
        Assert.Equal("<BUCKET_ID>", simulated.Bucket);
        Assert.Equal("Everyone spend cap", simulated.PolicyName);
        Assert.Equal(3, simulated.PoliciesEvaluated);
    }

    [Fact]
    public async Task CustomProvidersAndCreditBalance_ReadCloudflaresShapes()
    {
        var handler = new RecordingHandler(request => RecordingHandler.Json(request.RequestUri!.AbsolutePath.EndsWith("/credit-balance", StringComparison.Ordinal)
            ? Fixtures.Text("cloudflare-api/billing-credit-balance.json")
            : Fixtures.Text("cloudflare-api/custom-provider-get.json")));
        var management = Client(handler);

        var created = await management.CustomProviders.CreateAsync(new AiGatewayCustomProvider { Name = "Internal LLM", Slug = "internal-llm", BaseUrl = "https://llm.internal.example/v1" });
        var fetched = await management.CustomProviders.GetAsync("cp-1");
        await management.CustomProviders.DeleteAsync("cp-1");
        var balance = await management.Billing.GetCreditBalanceAsync();

        var requests = handler.Requests.ToList();
        Assert.Equal(["POST", "GET", "DELETE", "GET"], requests.Select(r => r.Method));
        Assert.Equal("/client/v4/accounts/acct/ai-gateway/custom-providers", requests[0].PathAndQuery);
        Assert.Equal("/client/v4/accounts/acct/ai-gateway/custom-providers/cp-1", requests[2].PathAndQuery);
        Assert.Equal("/client/v4/accounts/acct/ai-gateway/billing/credit-balance", requests[3].PathAndQuery);
        using var body = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("https://llm.internal.example/v1", body.RootElement.GetProperty("base_url").GetString());
        Assert.Equal("internal-llm", created.Slug);
        Assert.Equal("""{"x-team":"ai"}""", fetched.Headers);
        Assert.Equal(1, fetched.Position);
        Assert.Equal(42.5m, balance.Balance);
        Assert.True(balance.HasDefaultPaymentMethod);
        Assert.Equal("4242", balance.PaymentMethod!.Last4);
        Assert.Equal(10, balance.TopupConfig!.Threshold);
        Assert.Equal(50, balance.TopupConfig.Amount);
    }

    [Fact]
    public async Task ADefinitionThatCouldOnlyHalfApply_IsRefusedBeforeAnyCall()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var methods = new MethodLog(new HttpClientHandler());
        var management = new AiGatewayManagementClient(new HttpClient(methods), Options(emulator.ControlPlaneEndpoint));
        await management.EnsureAsync("prod", Definition());
        int before = methods.Sent.Count;
        var keyWithoutSecret = Definition();
        keyWithoutSecret.StoredKeys[0] = new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", RateLimit = 5 };
        var twoPoliciesOneName = Definition();
        twoPoliciesOneName.Policies.Add(new AiGatewayPolicy { Name = "Everyone cap", Action = AiGatewayPolicyAction.Limit(10, "daily") });

        var noSecret = await Assert.ThrowsAsync<ArgumentException>(() => management.EnsureAsync("prod", keyWithoutSecret));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => management.EnsureAsync("prod", twoPoliciesOneName));

        Assert.Contains("exactly one of Secret and SecretId", noSecret.Message, StringComparison.Ordinal);
        Assert.Contains("Two policies are named 'Everyone cap'", twice.Message, StringComparison.Ordinal);
        Assert.Equal(before, methods.Sent.Count);
        Assert.Single(await management.StoredKeys.ListAsync("prod").ToListAsync());
    }

    [Fact]
    public async Task Definition_EnsuredTwice_ChangesNothingTheSecondTime_AndItsKeysAndRoutesServe()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var methods = new MethodLog(new HttpClientHandler());
        var management = new AiGatewayManagementClient(new HttpClient(methods), Options(emulator.ControlPlaneEndpoint));
        var definition = Definition();

        var first = await management.EnsureAsync("prod", definition);
        int afterFirst = methods.Sent.Count;
        var second = await management.EnsureAsync("prod", Definition());
        var secondCalls = methods.Sent.Skip(afterFirst).ToList();
        definition.Policies[0].Action = AiGatewayPolicyAction.Limit(75, "daily");
        var third = await management.EnsureAsync("prod", definition);

        Assert.True(first.Gateway.Created);
        Assert.Equal(["gateway created", "stored key openai/default created", "route 'support' created", "policy 'Everyone cap' created"], first.Changes);
        Assert.False(second.Changed);
        Assert.Empty(second.Changes);
        Assert.All(secondCalls, method => Assert.Equal("GET", method));   // the second time only reads
        Assert.Equal(["policy 'Everyone cap' updated"], third.Changes);

        var keyless = TestOptions.ForEmulator(emulator, gateway: "prod");
        keyless.ApiKey = null;
        using var chat = new AiGatewayChatClient(keyless);
        var viaStoredKey = await chat.GetResponseAsync("hi");
        Assert.NotNull(viaStoredKey.GetGatewayInfo()!.LogId);
    }

    [Fact]
    public async Task Definition_WithSeveralRoutes_ListsTheGatewaysRoutesOnce()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var log = new MethodLog(new HttpClientHandler());
        var management = new AiGatewayManagementClient(new HttpClient(log), Options(emulator.ControlPlaneEndpoint));
        var definition = Definition();
        definition.Routes["billing"] = [AiGatewayDynamicRouteElement.Start("only"), AiGatewayDynamicRouteElement.Model("only", "openai", "gpt-4o"), AiGatewayDynamicRouteElement.End()];
        definition.Routes["search"] = [AiGatewayDynamicRouteElement.Start("only"), AiGatewayDynamicRouteElement.Model("only", "anthropic", "claude-3-5-haiku-latest"), AiGatewayDynamicRouteElement.End()];
        static bool IsRouteListing(string request) => request == "GET /client/v4/accounts/acct/ai-gateway/gateways/prod/routes";

        var first = await management.EnsureAsync("prod", definition);
        var firstRequests = log.Requests.ToList();
        var second = await management.EnsureAsync("prod", definition);
        var secondRequests = log.Requests.Skip(firstRequests.Count).ToList();

        Assert.Equal(["route 'support' created", "route 'billing' created", "route 'search' created"], first.Changes.Where(c => c.StartsWith("route ", StringComparison.Ordinal)));
        Assert.Single(firstRequests, IsRouteListing);
        Assert.False(second.Changed);
        Assert.Single(secondRequests, IsRouteListing);
        Assert.Equal(3, secondRequests.Count(r => r.StartsWith("GET /client/v4/accounts/acct/ai-gateway/gateways/prod/routes/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Definition_RegisteredInTheHost_IsEnsuredAtStart()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGatewayManagement:AccountId"] = "acct",
            ["AiGatewayManagement:ApiToken"] = CloudflareToken,
            ["AiGatewayManagement:BaseUrl"] = emulator.ControlPlaneEndpoint.AbsoluteUri,
        });
        builder.Services.AddAiGatewayManagement(builder.Configuration.GetSection("AiGatewayManagement"));
        builder.Services.AddAiGatewayDefinition("prod", Definition());

        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.StopAsync();
            Assert.Same(host.Services.GetRequiredService<AiGatewayManagementClient>().Policies, host.Services.GetRequiredService<AiGatewayPoliciesClient>());
        }

        var routes = await Client(emulator).DynamicRoutes.ListAsync("prod").ToListAsync();
        Assert.Equal(300, emulator.State.GetGateway("prod")!.CacheTtl);
        Assert.Equal("support", Assert.Single(routes).Name);
        Assert.Single(await Client(emulator).StoredKeys.ListAsync("prod").ToListAsync());
    }

    /// <summary>Records the method of every request it passes on.</summary>
    private sealed class MethodLog(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Sent { get; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Enqueue(request.Method.Method);
            Requests.Enqueue(request.Method.Method + " " + request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static AiGatewayDefinition Definition()
    {
        var definition = new AiGatewayDefinition { Settings = new AiGatewaySettings { CacheTtl = 300, CollectLogs = true } };
        definition.StoredKeys.Add(new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", Secret = ProviderSecret });
        definition.Routes["support"] = [AiGatewayDynamicRouteElement.Start("primary"), AiGatewayDynamicRouteElement.Model("primary", "openai", "gpt-4o-mini", fallback: "backup"),
            AiGatewayDynamicRouteElement.Model("backup", "anthropic", "claude-3-5-haiku-latest"), AiGatewayDynamicRouteElement.End()];
        definition.Policies.Add(new AiGatewayPolicy { Name = "Everyone cap", Action = AiGatewayPolicyAction.Limit(50, "daily") });
        return definition;
    }
}
