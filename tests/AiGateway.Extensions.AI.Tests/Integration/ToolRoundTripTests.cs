using System.Text.Json;
using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Integration;

/// <summary>A whole tool exchange against the emulator, and streaming equal to non-streaming for the same exchange.</summary>
public sealed class ToolRoundTripTests
{
    private static readonly AIFunctionDeclaration s_weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Current weather for a city",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement);

    private static AiGatewayChatClient Client(AiGatewayEmulator emulator) => new(TestOptions.ForEmulator(emulator));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelCallsATool_CallerAnswers_ModelUsesTheResult(bool stream)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = Client(emulator);
        var options = new ChatOptions { Tools = [s_weather] };
        List<ChatMessage> history = [new(ChatRole.User, "What is the weather in Paris?")];

        async Task<ChatResponse> AskAsync() => stream
            ? await client.GetStreamingResponseAsync(history, options).ToChatResponseAsync()
            : await client.GetResponseAsync(history, options);

        var first = await AskAsync();
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "18 degrees and sunny")]));
        var final = await AskAsync();

        Assert.Contains("18 degrees and sunny", final.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, final.FinishReason);
        var request = JsonDocument.Parse(emulator.State.GetLogs("default")[^1].RequestBody!).RootElement;
        Assert.Equal(call.CallId, request.GetProperty("messages")[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(call.CallId, request.GetProperty("messages")[2].GetProperty("tool_call_id").GetString());
    }

    [Theory]
    [InlineData("What is the capital of France?", false)]
    [InlineData("What is the weather in Paris?", true)]
    public async Task StreamingCoalesced_EqualsTheNonStreamingResponse(string prompt, bool withTools)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = Client(emulator);
        var options = new ChatOptions { Tools = withTools ? [s_weather] : null };

        var whole = await client.GetResponseAsync(prompt, options);
        var streamed = await client.GetStreamingResponseAsync(prompt, options).ToChatResponseAsync();

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.ResponseId, streamed.ResponseId);
        Assert.Equal(whole.ModelId, streamed.ModelId);
        Assert.NotNull(whole.CreatedAt);
        Assert.NotNull(streamed.CreatedAt);
        Assert.Equal(whole.FinishReason, streamed.FinishReason);
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Equal(whole.Usage.TotalTokenCount, streamed.Usage.TotalTokenCount);
        var wholeCalls = whole.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var streamedCalls = streamed.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(wholeCalls.Select(c => (c.CallId, c.Name, JsonSerializer.Serialize(c.Arguments))), streamedCalls.Select(c => (c.CallId, c.Name, JsonSerializer.Serialize(c.Arguments))));
        Assert.Equal(withTools, wholeCalls.Count == 1);
    }
}
