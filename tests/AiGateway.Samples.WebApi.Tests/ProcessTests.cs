namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The samples as processes, with the emulator embedded (no Cloudflare account configured).</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task WithTheEmulatorEmbedded_TheAppStillStopsOnSigterm_AndListensWhereTheHostSays()
    {
        using var process = SampleProcess.Start(SampleProcess.WebDll, []);
        try
        {
            string? listening = null;
            while (listening is null && await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
            {
                if (line.Contains("Now listening on: ", StringComparison.Ordinal))
                {
                    listening = line[(line.IndexOf("Now listening on: ", StringComparison.Ordinal) + "Now listening on: ".Length)..].Trim();
                }
            }

            Assert.NotNull(listening);
            Assert.StartsWith("http://127.0.0.1:", listening, StringComparison.Ordinal);
            Assert.NotEqual("http://127.0.0.1:5080", listening);
            using (var http = new HttpClient())
            {
                Assert.Contains("ok", await http.GetStringAsync(new Uri(new Uri(listening), "healthz")), StringComparison.Ordinal);
            }

            await SampleProcess.TerminateAsync(process);

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task TheWebApp_WithBadConfiguration_PrintsOneLineAndExits1_AsTheConsoleDoes()
    {
        var environment = new Dictionary<string, string> { ["AiGateway__Provider"] = "opnai" };

        var web = await SampleProcess.RunAsync(SampleProcess.WebDll, [], environment);
        var console = await SampleProcess.RunAsync(SampleProcess.ConsoleDll, ["hi"], environment);

        Assert.Equal(1, web.ExitCode);
        string line = Assert.Single(web.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Invalid configuration: AiGateway:Provider 'opnai' is not a provider this client can route to", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", web.Stdout + web.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", web.Stdout + web.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, console.ExitCode);
        Assert.Equal(line, console.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task AConsoleAppWithTheEmulatorEmbedded_StillStopsOnSigterm()
    {
        // The console sample embeds the emulator and has no host of its own: SIGTERM must end it even mid-request.
        using var process = SampleProcess.Start(SampleProcess.ConsoleDll, ["--fault", "openai:hang", "--fault", "groq:hang", "Hello?"]);
        try
        {
            string? line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("No AiGateway:AccountId configured: using the embedded AI Gateway emulator", line, StringComparison.Ordinal);
            Assert.False(process.HasExited);

            await SampleProcess.TerminateAsync(process);

            Assert.True(process.HasExited);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
