using System.Text.Json;
using AiGateway.Extensions.AI.Management;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI.Tests.Admin;

/// <summary>The management and logs clients against the emulator's control plane, over real HTTP.</summary>
public sealed class ManagementTests
{
    private const string CloudflareToken = "cf-api-token-0123456789";

    private static AiGatewayManagementOptions Options(AiGatewayEmulator emulator) => new()
    {
        BaseUrl = emulator.ControlPlaneEndpoint,
        AccountId = "acct",
        ApiToken = CloudflareToken,
    };

    private static (AiGatewayManagementClient Management, AiGatewayLogsClient Logs) Clients(AiGatewayEmulator emulator, TimeProvider? time = null)
    {
        var http = new HttpClient();
        return (new AiGatewayManagementClient(http, Options(emulator), time), new AiGatewayLogsClient(http, Options(emulator), time));
    }

    [Fact]
    public async Task Gateways_CreateGetListUpdateDelete()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var (management, _) = Clients(emulator);

        var created = await management.CreateGatewayAsync(new AiGatewaySettings { Id = "prod", CacheTtl = 300, CollectLogs = true, RateLimitingLimit = 10, RateLimitingInterval = 60, RateLimitingTechnique = "sliding" });
        var fetched = await management.GetGatewayAsync("prod");
        var missing = await management.GetGatewayAsync("nope");
        var all = await management.ListGatewaysAsync().ToListAsync();
        var updated = await management.UpdateGatewayAsync("prod", fetched! with { Authentication = true, Zdr = true });
        await management.DeleteGatewayAsync("prod");

        Assert.Equal("prod", created.Id);
        Assert.NotNull(created.CreatedAt);
        Assert.Equal(300, fetched!.CacheTtl);
        Assert.Equal("sliding", fetched.RateLimitingTechnique);
        Assert.Null(missing);
        Assert.Equal(["default", "prod"], all.Select(g => g.Id));
        Assert.True(updated.Authentication);
        Assert.True(updated.Zdr);
        Assert.Equal(300, updated.CacheTtl);
        Assert.Null(emulator.State.GetGateway("prod"));
        var error = await Assert.ThrowsAsync<CloudflareApiException>(() => management.DeleteGatewayAsync("prod"));
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(7002, Assert.Single(error.Errors).Code);
    }

    [Fact]
    public async Task Ensure_CreatesThenDoesNothingThenUpdatesOnlyWhatDiffers()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var (management, _) = Clients(emulator);
        var desired = new AiGatewaySettings { CacheTtl = 600, CollectLogs = true, Authentication = true };

        var first = await management.EnsureGatewayAsync("ensured", desired);
        var second = await management.EnsureGatewayAsync("ensured", desired);
        await management.UpdateGatewayAsync("ensured", (await management.GetGatewayAsync("ensured"))! with { CacheTtl = 60, RetryMaxAttempts = 3 });
        var third = await management.EnsureGatewayAsync("ensured", desired);

        Assert.True(first.Created);
        Assert.Equal(600, first.Gateway.CacheTtl);
        Assert.False(second.Created);
        Assert.Empty(second.ChangedSettings);
        Assert.Equal(["cache_ttl"], third.ChangedSettings);
        Assert.Equal(600, third.Gateway.CacheTtl);
        Assert.Equal(3, third.Gateway.RetryMaxAttempts);
        Assert.True(emulator.State.GetGateway("ensured")!.Authentication);
    }

    [Fact]
    public async Task DatasetsEvaluationsAndEvaluationTypes()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var (management, _) = Clients(emulator);

        var dataset = await management.CreateDatasetAsync("default", new AiGatewayDataset { Name = "mini", Enable = true, Filters = [AiGatewayLogFilter.Equal("model", "gpt-4o-mini")] });
        var datasets = await management.ListDatasetsAsync("default").ToListAsync();
        var fetched = await management.GetDatasetAsync("default", dataset.Id!);
        var renamed = await management.UpdateDatasetAsync("default", dataset.Id!, fetched with { Name = "mini-renamed" });
        var types = await management.ListEvaluationTypesAsync().ToListAsync();
        var evaluation = await management.CreateEvaluationAsync("default", "weekly", [dataset.Id!], [types[0].Id!]);
        var evaluations = await management.ListEvaluationsAsync("default").ToListAsync();
        var fetchedEvaluation = await management.GetEvaluationAsync("default", evaluation.Id!);
        var invalid = await Assert.ThrowsAsync<CloudflareApiException>(() => management.CreateEvaluationAsync("default", "empty", [], [types[0].Id!]));
        await management.DeleteEvaluationAsync("default", evaluation.Id!);
        await management.DeleteDatasetAsync("default", dataset.Id!);

        Assert.Equal("mini", Assert.Single(datasets).Name);
        var filter = Assert.Single(fetched.Filters!);
        Assert.Equal(("model", AiGatewayLogFilterOperator.Equal), (filter.Key, filter.Operator));
        Assert.Equal("gpt-4o-mini", Assert.Single(filter.Values)?.ToString());
        Assert.Equal("mini-renamed", renamed.Name);
        Assert.Contains(types, t => t.Id == "cost" && t.Mandatory == true && t.Enable == true && t.Type == "cost");
        Assert.Equal(dataset.Id, Assert.Single(Assert.Single(evaluations).Datasets!).Id);
        Assert.Equal("weekly", fetchedEvaluation.Name);
        Assert.Equal(types[0].Id, Assert.Single(fetchedEvaluation.Results!).EvaluationTypeId);
        Assert.NotNull(fetchedEvaluation.Processed);
        Assert.Equal(400, invalid.StatusCode);
        Assert.Contains("dataset_ids", invalid.Message);
        Assert.Empty(await management.ListDatasetsAsync("default").ToListAsync());
        Assert.Empty(await management.ListEvaluationsAsync("default").ToListAsync());
    }

    [Fact]
    public async Task Logs_PageFilterGetPatchAndDelete()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 500 });
        using var chat = new AiGatewayChatClient(TestOptions.ForEmulator(emulator));
        for (int i = 0; i < 7; i++)
        {
            await chat.GetResponseAsync($"question {i}", new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)));
        }

        await chat.GetResponseAsync("question 0", new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)));
        using var groq = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "groq", "llama"));
        await Assert.ThrowsAsync<AiGatewayException>(() => groq.GetResponseAsync("x"));
        var (_, logs) = Clients(emulator);

        var all = await logs.ListLogsAsync("default", new AiGatewayLogQuery { PerPage = 3, OrderBy = "created_at", Descending = false }).ToListAsync();
        var cached = await logs.ListLogsAsync("default", new AiGatewayLogQuery { Cached = true }).ToListAsync();
        var failed = await logs.ListLogsAsync("default", new AiGatewayLogQuery { Success = false, Provider = "groq" }).ToListAsync();
        var one = await logs.GetLogAsync("default", all[0].Id);
        var request = await logs.GetLogRequestAsync("default", all[0].Id);
        var response = await logs.GetLogResponseAsync("default", all[0].Id);
        await logs.PatchLogAsync("default", all[0].Id, AiGatewayFeedback.Negative, 12.5, new Dictionary<string, object?> { ["reviewer"] = "ops" });
        var patched = await logs.GetLogAsync("default", all[0].Id);
        await logs.DeleteLogsAsync("default", [AiGatewayLogFilter.Equal("success", false)]);

        Assert.Equal(9, all.Count);
        Assert.Equal(all.Select(l => l.Id).Distinct().Count(), all.Count);
        Assert.Single(cached);
        Assert.Equal("llama", Assert.Single(failed).Model);
        Assert.Equal("openai", one.Provider);
        Assert.True(one.TokensIn > 0);
        Assert.Equal("question 0", JsonDocument.Parse(request).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("chat.completion", JsonDocument.Parse(response).RootElement.GetProperty("object").GetString());
        Assert.Equal(-1, patched.Feedback);
        Assert.Equal(12.5, patched.Score);
        Assert.Equal("ops", patched.GetMetadata()["reviewer"].GetString());
        Assert.Equal("text-generation", patched.ModelType);
        Assert.Equal(8, emulator.State.GetLogs("default").Count);
    }

    [Fact]
    public async Task DeleteLogs_RemovesOnlyWhatItsFiltersName_AndNeverEverythingByAccident()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 500 });
        using var chat = new AiGatewayChatClient(TestOptions.ForEmulator(emulator));
        using var groq = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "groq", "llama"));
        for (int i = 0; i < 3; i++)
        {
            await chat.GetResponseAsync($"question {i}");
            await Assert.ThrowsAsync<AiGatewayException>(() => groq.GetResponseAsync($"x {i}"));
        }

        var (_, logs) = Clients(emulator);
        var noFilter = await Assert.ThrowsAsync<ArgumentException>(() => logs.DeleteLogsAsync("default", []));
        var unknownKey = await Assert.ThrowsAsync<ArgumentException>(() => logs.DeleteLogsAsync("default", [AiGatewayLogFilter.Equal("colour", "red")]));
        await logs.DeleteLogsAsync("default", [AiGatewayLogFilter.Equal("provider", "groq"), AiGatewayLogFilter.Equal("success", false)], limit: 2, orderBy: "created_at", descending: false);
        var afterLimited = emulator.State.GetLogs("default").ToList();
        await logs.DeleteLogsAsync("default", [AiGatewayLogFilter.Equal("success", false)]);
        var afterFailures = emulator.State.GetLogs("default").ToList();
        await logs.DeleteAllLogsAsync("default");

        Assert.Contains("DeleteAllLogsAsync", noFilter.Message, StringComparison.Ordinal);
        Assert.Contains("'colour'", unknownKey.Message, StringComparison.Ordinal);
        Assert.Equal(4, afterLimited.Count);
        Assert.Contains("x 2", afterLimited.Single(l => l.Provider == "groq").RequestBody!, StringComparison.Ordinal);
        Assert.Equal(["openai", "openai", "openai"], afterFailures.Select(l => l.Provider));
        Assert.Empty(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task LogQueries_AreWrittenAsCloudflaresClientWritesThem()
    {
        var handler = new RecordingHandler("""{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":50,"count":0,"total_count":0}}""");
        var logs = new AiGatewayLogsClient(new HttpClient(handler), new AiGatewayManagementOptions { AccountId = "a", ApiToken = CloudflareToken });

        await logs.ListLogsAsync("g", new AiGatewayLogQuery
        {
            Filters = [AiGatewayLogFilter.Equal("provider", "openai", "groq"), AiGatewayLogFilter.GreaterThan("tokens_in", 100)],
            Search = "capital of",
            Feedback = 0,
            MinCost = 0.5,
            OrderBy = "created_at",
            Descending = true,
        }).ToListAsync();
        await logs.DeleteLogsAsync("g", [AiGatewayLogFilter.CreatedBefore(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero))], limit: 10, orderBy: "created_at", descending: false);
        var badOrder = Assert.Throws<ArgumentException>(() => logs.ListLogsAsync("g", new AiGatewayLogQuery { OrderBy = "colour" }));
        var badFeedback = Assert.Throws<ArgumentException>(() => logs.ListLogsAsync("g", new AiGatewayLogQuery { Feedback = -1 }));

        var (list, delete) = (handler.Requests.First(), handler.Requests.Last());
        Assert.Equal(
            "/client/v4/accounts/a/ai-gateway/gateways/g/logs?filters.key=provider&filters.operator=eq&filters.value=openai&filters.value=groq"
            + "&filters.key=tokens_in&filters.operator=gt&filters.value=100&search=capital%20of&feedback=0&min_cost=0.5"
            + "&order_by=created_at&order_by_direction=desc&page=1&per_page=50",
            list.PathAndQuery);
        Assert.Equal("DELETE", delete.Method);
        Assert.Equal(
            "/client/v4/accounts/a/ai-gateway/gateways/g/logs?filters.key=created_at&filters.operator=lt&filters.value=2026-11-01T00%3A00%3A00.000Z"
            + "&limit=10&order_by=created_at&order_by_direction=asc",
            delete.PathAndQuery);
        Assert.Contains("'colour'", badOrder.Message, StringComparison.Ordinal);
        Assert.Contains("0 or 1", badFeedback.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateGateway_SendsTheFieldsTheApiRequires_WithTheDashboardsDefaults()
    {
        var handler = new RecordingHandler("""{"success":true,"errors":[],"messages":[],"result":{"id":"g1"}}""");
        var management = new AiGatewayManagementClient(new HttpClient(handler), new AiGatewayManagementOptions { AccountId = "a", ApiToken = CloudflareToken });

        await management.CreateGatewayAsync(new AiGatewaySettings { Id = "g1", CacheTtl = 60 });

        using var body = JsonDocument.Parse(handler.SoleRequest.Body);
        var root = body.RootElement;
        Assert.Equal("g1", root.GetProperty("id").GetString());
        Assert.Equal(60, root.GetProperty("cache_ttl").GetInt32());
        Assert.False(root.GetProperty("cache_invalidate_on_update").GetBoolean());
        Assert.True(root.GetProperty("collect_logs").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rate_limiting_interval").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rate_limiting_limit").ValueKind);
    }

    [Fact]
    public async Task UpdateGateway_KeepsEverySettingItWasNotAskedToChange_EvenOnesThisLibraryDoesNotModel()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var raw = new HttpClient();
        raw.DefaultRequestHeaders.Authorization = new("Bearer", CloudflareToken);
        var created = await raw.PostAsync(new Uri(emulator.ControlPlaneEndpoint.AbsoluteUri + "/accounts/acct/ai-gateway/gateways"), new StringContent("""
            {"id":"full","cache_ttl":0,"cache_invalidate_on_update":false,"collect_logs":true,"rate_limiting_interval":60,"rate_limiting_limit":5,
             "dlp":{"enabled":true,"action":"BLOCK","profiles":["p1"]},
             "otel":[{"url":"https://otel.example/v1/traces","authorization":"Bearer otel-secret-123","headers":{"x-team":"ai"}}],
             "spend_limits":{"daily":{"amount":50}},"guardrails":{"prompt":{"hate":"block"}},"future_setting":{"a":[1,2]}}
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, created.StatusCode);
        var (management, _) = Clients(emulator);

        var updated = await management.UpdateGatewayAsync("full", new AiGatewaySettings { CacheTtl = 300 });
        var ratesOff = await management.UpdateGatewayAsync("full", new AiGatewaySettings { RateLimitingOff = true });
        var stored = emulator.State.GetGateway("full")!;

        Assert.Equal(300, updated.CacheTtl);
        Assert.Equal("BLOCK", updated.Dlp!.Action);
        Assert.Equal("ai", Assert.Single(updated.Otel!).Headers!["x-team"]);
        Assert.Equal(50, updated.SpendLimits!.Value.GetProperty("daily").GetProperty("amount").GetInt32());
        Assert.Equal(300, stored.CacheTtl);
        Assert.Null(stored.RateLimitingInterval);
        Assert.Null(stored.RateLimitingLimit);
        Assert.Null(ratesOff.RateLimitingLimit);
        Assert.Equal(["dlp", "future_setting", "guardrails", "otel", "spend_limits"], stored.OtherSettings!.Keys.Order());
        Assert.Equal("""{"a":[1,2]}""", stored.OtherSettings["future_setting"].GetRawText());
        Assert.DoesNotContain("otel-secret-123", updated.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feedback_FromAChatAnswerToThePatchedLog(bool stream)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var chat = new AiGatewayChatClient(TestOptions.ForEmulator(emulator));
        var (_, logs) = Clients(emulator);

        var answer = stream ? await chat.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync() : await chat.GetResponseAsync("What is the capital of France?");
        await logs.SendFeedbackAsync(answer, AiGatewayFeedback.Positive, score: 95);

        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal(answer.GetGatewayInfo()!.LogId, log.Id);
        Assert.Equal(1, log.Feedback);
        Assert.Equal(95, log.Score);
    }

    [Fact]
    public async Task Feedback_ForALogTheLegacyApiDoesNotHave_SaysWhereNewAccountsKeepLogs()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var chat = new AiGatewayChatClient(TestOptions.ForEmulator(emulator));
        var (_, logs) = Clients(emulator);
        var answer = await chat.GetResponseAsync("What is the capital of France?");
        emulator.State.DeleteLogs("default", _ => true);

        var error = await Assert.ThrowsAsync<CloudflareApiException>(() => logs.SendFeedbackAsync(answer, AiGatewayFeedback.Positive));

        Assert.Equal(404, error.StatusCode);
        Assert.Contains("Workers Observability", error.Message, StringComparison.Ordinal);
        Assert.Contains(answer.GetGatewayInfo()!.LogId!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_WithoutALogId_IsAClearError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var (_, logs) = Clients(emulator);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => logs.SendFeedbackAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), AiGatewayFeedback.Positive));

        Assert.Contains("no gateway log id", error.Message);
    }

    [Fact]
    public async Task Errors_AreTypedWithTheApisCodes_AndNeverShowTheToken()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Tokens = { "the-right-token" } });
        var (management, _) = Clients(emulator);
        var rightToken = Options(emulator);
        rightToken.ApiToken = "the-right-token";
        var logs = new AiGatewayLogsClient(new HttpClient(), rightToken);

        var unauthorized = await Assert.ThrowsAsync<CloudflareApiException>(() => management.ListGatewaysAsync().ToListAsync().AsTask());
        var notFound = await Assert.ThrowsAsync<CloudflareApiException>(() => logs.GetLogAsync("default", "nope"));

        Assert.Equal(401, unauthorized.StatusCode);
        Assert.Equal(10000, Assert.Single(unauthorized.Errors).Code);
        Assert.DoesNotContain(CloudflareToken, unauthorized.ToString(), StringComparison.Ordinal);
        Assert.Equal(404, notFound.StatusCode);
    }

    [Fact]
    public async Task RateLimited_IsRetriedAfterRetryAfter_OnTheClock()
    {
        var clock = new FakeClock();
        var handler = new RecordingHandler(request => request.RequestUri!.AbsolutePath.EndsWith("/gateways/g1", StringComparison.Ordinal) && !Retried
            ? Limited()
            : RecordingHandler.Json("""{"success":true,"errors":[],"messages":[],"result":{"id":"g1","cache_ttl":5}}"""));
        var management = new AiGatewayManagementClient(new HttpClient(handler), new AiGatewayManagementOptions { AccountId = "a", ApiToken = CloudflareToken }, clock);

        var call = management.GetGatewayAsync("g1");
        await clock.WaitForTimersAsync();
        Retried = true;
        clock.Advance(TimeSpan.FromSeconds(7));
        var gateway = await call;

        Assert.Equal(5, gateway!.CacheTtl);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("Bearer " + CloudflareToken, r.Header("Authorization")));
        Assert.Equal("/client/v4/accounts/a/ai-gateway/gateways/g1", handler.Requests.First().PathAndQuery);

        static HttpResponseMessage Limited()
        {
            var response = RecordingHandler.Json("""{"success":false,"errors":[{"code":971,"message":"Please wait"}],"messages":[],"result":null}""", System.Net.HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        }
    }

    private static volatile bool Retried;

    [Fact]
    public async Task EnsureOnStart_ConvergesTheConfiguredGateways_AndOptionsAreValidated()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGatewayManagement:BaseUrl"] = emulator.ControlPlaneEndpoint.AbsoluteUri,
            ["AiGatewayManagement:AccountId"] = "acct",
            ["AiGatewayManagement:ApiToken"] = CloudflareToken,
            ["AiGatewayManagement:EnsureOnStart"] = "true",
            ["AiGatewayManagement:Gateways:startup:CacheTtl"] = "120",
            ["AiGatewayManagement:Gateways:startup:CollectLogs"] = "true",
        }).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAiGatewayManagement(configuration.GetSection("AiGatewayManagement"));
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.Equal(120, emulator.State.GetGateway("startup")!.CacheTtl);

        var invalid = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        invalid.Services.AddAiGatewayManagement(new ConfigurationBuilder().Build().GetSection("AiGatewayManagement"));
        using var invalidHost = invalid.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => invalidHost.StartAsync());
        Assert.Contains("AiGatewayManagement:AccountId is required", error.Message);
        Assert.Contains("AiGatewayManagement:ApiToken is required", error.Message);
    }
}
