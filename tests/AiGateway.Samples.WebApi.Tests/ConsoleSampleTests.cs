using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The console sample as a process: its verbs, the settings they share, and what it refuses.</summary>
public sealed partial class ConsoleSampleTests
{
    [Fact]
    public async Task TheEmulatorToolsPrintedSettings_WorkForEveryVerb()
    {
        using var tool = SampleProcess.Start(SampleProcess.ToolDll, ["--port", "0"]);
        try
        {
            // What the tool prints, taken as a user would paste it: every NAME=value after "export".
            var settings = new Dictionary<string, string>();
            Uri? root = null;
            while (await tool.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && !line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
            {
                if (line.StartsWith("AI Gateway emulator listening on ", StringComparison.Ordinal))
                {
                    root = new Uri(line["AI Gateway emulator listening on ".Length..].Trim());
                }

                foreach (string assignment in line.Trim() is ['e', 'x', 'p', 'o', 'r', 't', ' ', .. var rest] ? rest.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
                {
                    settings[assignment[..assignment.IndexOf('=', StringComparison.Ordinal)]] = assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..];
                }
            }

            Assert.NotNull(root);
            Assert.Contains("AiGateway__Endpoint", settings.Keys);

            var chat = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["What is the capital of France?"], settings);
            var embed = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["embed", "The capital of France is Paris."], settings);
            var manage = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["manage", "--stream", "What is the capital of France?"], settings);

            foreach (var run in new[] { chat, embed, manage })
            {
                Assert.True(run.ExitCode == 0, run.Stderr);
                Assert.DoesNotContain("embedded", run.Stderr, StringComparison.Ordinal);
            }

            // Each answer was logged by the tool's emulator: the verbs went to its endpoint, with its account and key.
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, "client/v4/accounts/local/ai-gateway/gateways/default/logs?per_page=50"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "any");
            var logs = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!["result"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()).ToList();
            Assert.Contains(LogId(chat.Stdout), logs);
            Assert.Contains(LogId(embed.Stdout), logs);
            Assert.Contains(LogId(manage.Stdout), logs);
            Assert.Contains("provider=openai model=text-embedding-3-small", embed.Stdout, StringComparison.Ordinal);

            // manage honours --stream: a stream has no cache status, and its answer is still rated.
            Assert.StartsWith("gateway default: ", manage.Stdout, StringComparison.Ordinal);
            Assert.Contains("cache=- provider=openai", manage.Stdout, StringComparison.Ordinal);
            Assert.Contains($"feedback=1 score=100 log={LogId(manage.Stdout)}", manage.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await SampleProcess.TerminateAsync(tool);
        }
    }

    [Fact]
    public async Task Embeddings_TakeTheProviderKeyOnlyForTheSameProvider_AndTheirOwnSectionWins()
    {
        // The chat route is groq: its key must not go to openai's embeddings, which then answer openai's own 401.
        var otherProvider = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["embed", "x"], new Dictionary<string, string>
        {
            ["AiGateway__Provider"] = "groq",
            ["AiGateway__Model"] = "llama-3.3-70b-versatile",
        });

        // The embeddings section's own gateway wins over the shared one: the emulator has no gateway "elsewhere" (400).
        var ownGateway = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["embed", "x"], new Dictionary<string, string>
        {
            ["AiGatewayEmbeddings__GatewayId"] = "elsewhere",
        });

        Assert.Equal(1, otherProvider.ExitCode);
        Assert.Contains("401", otherProvider.Stderr, StringComparison.Ordinal);
        Assert.Contains("(Authentication)", otherProvider.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, ownGateway.ExitCode);
        Assert.Contains("failed with 400", ownGateway.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheHangDemo_AnswersFromTheFallbackRoute_WithinTheSamplesRequestTimeout(bool stream)
    {
        // appsettings.json sets RequestTimeout 00:00:10: the gateway gives up on the silent provider and the fallback
        // moves on, instead of the client waiting its ten-minute NetworkTimeout (RunAsync gives up after one minute).
        string[] args = stream ? ["--stream", "--fault", "openai:hang", "hi"] : ["--fault", "openai:hang", "hi"];

        var run = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, args);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("provider=groq model=llama-3.3-70b-versatile", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("attempts=2", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "embed", "--stream", "x" }, "error: --stream works with chat and manage: an embedding is one answer, not a stream.")]
    [InlineData(new[] { "--fault", "opnai:503", "hi" }, "error: --fault opnai:503: 'opnai' is not a provider the gateway routes to")]
    [InlineData(new[] { "--fault", "openai:999", "hi" }, "error: --fault openai:999: status 999 is not an HTTP status (100-599).")]
    [InlineData(new[] { "--fault", "openai", "hi" }, "error: --fault needs provider:status or provider:hang, for example openai:503.")]
    [InlineData(new[] { "manage", "--repeat", "0", "hi" }, "error: --repeat needs a positive number.")]
    public async Task WhatItCannotHonour_IsRefusedInOneLine_BeforeAnythingStarts(string[] args, string expected)
    {
        var run = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith(expected, Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private static string LogId(string stdout) => LogIdPattern().Match(stdout).Groups[1].Value;

    [GeneratedRegex(@"\blog=([0-9a-f-]{16,})")]
    private static partial Regex LogIdPattern();
}
