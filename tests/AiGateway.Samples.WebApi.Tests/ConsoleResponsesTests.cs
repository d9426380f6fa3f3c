namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The console sample speaks OpenAI's Responses API by configuration alone: <c>AiGateway__Api=Responses</c>.</summary>
public sealed class ConsoleResponsesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApiResponses_AnswersThroughTheEmulatorsResponsesRoute(bool stream)
    {
        string[] args = stream ? ["--stream", "What is the capital of France?"] : ["What is the capital of France?"];

        var run = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, args, new Dictionary<string, string> { ["AiGateway__Api"] = "Responses" });

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("The capital of France is Paris.", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("provider=openai model=gpt-4o-mini", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiResponses_OnAProviderWithoutIt_FailsAtStart_NamingTheKey()
    {
        var run = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["hi"], new Dictionary<string, string>
        {
            ["AiGateway__Api"] = "Responses",
            ["AiGateway__Provider"] = "groq",
            ["AiGateway__Model"] = "llama-3.3-70b-versatile",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("AiGateway:Api Responses needs provider openai", run.Stderr, StringComparison.Ordinal);
    }
}
