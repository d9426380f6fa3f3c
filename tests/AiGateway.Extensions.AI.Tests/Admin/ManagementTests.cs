using System.Text.Json;
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
        var filters = JsonDocument.Parse("""[{"key":"model","operator":"eq","value":["gpt-4o-mini"]}]""").RootElement;

        var dataset = await management.CreateDatasetAsync("default", new AiGatewayDataset { Name = "mini", Enable = true, Filters = filters });
        var datasets = await management.ListDatasetsAsync("default").ToListAsync();
        var fetched = await management.GetDatasetAsync("default", dataset.Id!);
        var types = await management.ListEvaluationTypesAsync();
        var evaluation = await management.CreateEvaluationAsync("default", new AiGatewayEvaluation { Name = "weekly", DatasetIds = [dataset.Id!], EvaluationTypeIds = [types[0].Id!] });
        var evaluations = await management.ListEvaluationsAsync("default").ToListAsync();
        var fetchedEvaluation = await management.GetEvaluationAsync("default", evaluation.Id!);
        var invalid = await Assert.ThrowsAsync<CloudflareApiException>(() => management.CreateEvaluationAsync("default", new AiGatewayEvaluation { Name = "empty" }));
        await management.DeleteEvaluationAsync("default", evaluation.Id!);
        await management.DeleteDatasetAsync("default", dataset.Id!);

        Assert.Equal("mini", Assert.Single(datasets).Name);
        Assert.Equal("gpt-4o-mini", fetched.Filters!.Value[0].GetProperty("value")[0].GetString());
        Assert.Contains(types, t => t.Id == "cost");
        Assert.Equal([dataset.Id!], Assert.Single(evaluations).DatasetIds!);
        Assert.Equal("weekly", fetchedEvaluation.Name);
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

        var all = await logs.ListLogsAsync("default", new AiGatewayLogQuery { PerPage = 3, OrderBy = "created_at", Direction = "asc" }).ToListAsync();
        var cached = await logs.ListLogsAsync("default", new AiGatewayLogQuery { Cached = true }).ToListAsync();
        var failed = await logs.ListLogsAsync("default", new AiGatewayLogQuery { Success = false, Provider = "groq" }).ToListAsync();
        var one = await logs.GetLogAsync("default", all[0].Id);
        var request = await logs.GetLogRequestAsync("default", all[0].Id);
        var response = await logs.GetLogResponseAsync("default", all[0].Id);
        await logs.PatchLogAsync("default", all[0].Id, AiGatewayFeedback.Negative, 12.5, new Dictionary<string, object?> { ["reviewer"] = "ops" });
        var patched = await logs.GetLogAsync("default", all[0].Id);
        var deleted = await logs.DeleteLogsAsync("default", new AiGatewayLogQuery { Success = false });

        Assert.Equal(9, all.Count);
        Assert.Equal(all.Select(l => l.Id).Distinct().Count(), all.Count);
        Assert.Single(cached);
        Assert.Equal("llama", Assert.Single(failed).Model);
        Assert.Equal("openai", one.Provider);
        Assert.True(one.TokensIn > 0);
        Assert.Equal("question 0", request.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("chat.completion", response.GetProperty("object").GetString());
        Assert.Equal(-1, patched.Feedback);
        Assert.Equal(12.5, patched.Score);
        Assert.Equal("ops", patched.Metadata!.Value.GetProperty("reviewer").GetString());
        Assert.Equal(1, deleted);
        Assert.Equal(8, emulator.State.GetLogs("default").Count);
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
