using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.OpenAIResponses;

/// <summary>Route key <c>Api: Responses</c>: OpenAI's Responses API through the emulator, over real HTTP on 127.0.0.1.</summary>
public sealed class ResponsesRouteTests
{
    private static AiGatewayOptions Options(AiGatewayEmulator emulator)
    {
        var options = TestOptions.ForEmulator(emulator);
        options.Api = AiGatewayApi.Responses;
        return options;
    }

    private static AiGatewayOptions RestOptions(AiGatewayEmulator emulator)
    {
        var options = TestOptions.ForCloudflareApi();
        options.Api = AiGatewayApi.Responses;
        options.CloudflareApiEndpoint = emulator.ControlPlaneEndpoint;
        options.GatewayId = "default";
        return options;
    }

    [Fact]
    public async Task Answered_OnTheOpenAIRoute_WithTheGatewaysFacts()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator));

        var response = await client.GetResponseAsync("What is the capital of France?", new ChatOptions().WithGatewayMetadata("app", "responses"));

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.StartsWith("resp_", response.ResponseId);
        Assert.Equal(response.ResponseId, response.ConversationId);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal("responses", log.Path);
        Assert.Equal("openai", log.Provider);
        Assert.Equal("responses", log.Metadata!["app"]!.GetValue<string>());
        var info = response.GetGatewayInfo()!;
        Assert.Equal(log.Id, info.LogId);
        Assert.Equal("openai", info.Provider);
    }

    [Fact]
    public async Task Streamed_OnTheOpenAIRoute_FactsOnTheFirstAndClosingUpdates()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator));

        var updates = await client.GetStreamingResponseAsync("What is the capital of France?").ToListAsync();
        var response = updates.ToChatResponse();

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        string logId = Assert.Single(emulator.State.GetLogs("default")).Id;
        Assert.Equal(logId, updates[0].GetGatewayInfo()!.LogId);
        Assert.Equal(logId, updates.Single(u => u.FinishReason is not null).GetGatewayInfo()!.LogId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnTheRestForm_GoesToAiV1Responses_WithTheModelsAuthor(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(RestOptions(emulator));

        var response = streaming
            ? await client.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync()
            : await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal("openai", log.Provider);
        Assert.Equal("gpt-4o-mini", log.Model);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolsRoundTrip_ThroughMicrosoftsFunctionInvocation(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator)).AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather")] };

        var response = streaming
            ? await client.GetStreamingResponseAsync("What is the weather in Paris?", options).ToChatResponseAsync()
            : await client.GetResponseAsync("What is the weather in Paris?", options);

        Assert.StartsWith("The tool answered: ", response.Text, StringComparison.Ordinal);
        Assert.Contains("Sunny in Paris", response.Text, StringComparison.Ordinal);
        Assert.Equal(2, emulator.State.GetLogs("default").Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reasoning_SummaryAndEncryptedContent_AreReadAndSentBackOnTheNextTurn(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator));
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } };
        List<ChatMessage> history = [new(ChatRole.User, "What is the capital of France?")];

        var first = streaming
            ? await client.GetStreamingResponseAsync(history, options).ToChatResponseAsync()
            : await client.GetResponseAsync(history, options);
        var reasoning = first.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Where(r => r.Text.Length > 0).ToList();
        Assert.NotEmpty(reasoning);
        Assert.Contains(first.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>(), r => r.ProtectedData?.StartsWith("emu_", StringComparison.Ordinal) == true);

        history.AddRange(first.Messages);
        history.Add(new(ChatRole.User, "What is the capital of Spain?"));
        var second = await client.GetResponseAsync(history, options);

        Assert.Equal("The capital of Spain is Madrid.", second.Text);
        string secondRequest = emulator.State.GetLogs("default").Single(l => l.RequestBody!.Contains("Spain", StringComparison.Ordinal)).RequestBody!;
        Assert.Contains("\"type\":\"reasoning\"", secondRequest, StringComparison.Ordinal);
        Assert.Contains("emu_", secondRequest, StringComparison.Ordinal);
    }
}
